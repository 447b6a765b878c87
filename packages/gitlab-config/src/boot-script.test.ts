import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './__fixtures__/tools';
import { INTERNAL_CA_CERT_PATH, NODE_CERTIFICATE_PATH, NODE_KEY_PATH } from './internal-tls';

const SCRIPT = join(__dirname, 'boot', 'gitlab-node-boot.sh');

/** Runs `body` in bash with the boot script's functions loaded and a fake AWS CLI on PATH. */
function runBoot(body: string, env: Record<string, string> = {}) {
  const root = tempDir('gitlab-boot-');
  const bin = join(root, 'bin');
  mkdirSync(bin);
  copyFileSync(join(__dirname, '__fixtures__', 'fake-aws'), join(bin, 'aws'));
  chmodSync(join(bin, 'aws'), 0o755);
  copyFileSync(join(__dirname, '__fixtures__', 'fake-psql'), join(bin, 'psql'));
  chmodSync(join(bin, 'psql'), 0o755);
  copyFileSync(join(__dirname, '__fixtures__', 'fake-disk'), join(bin, 'fake-disk'));
  chmodSync(join(bin, 'fake-disk'), 0o755);
  for (const tool of ['blkid', 'mkfs.ext4', 'mountpoint', 'mount']) symlinkSync(join(bin, 'fake-disk'), join(bin, tool));
  const vars = {
    PATH: `${bin}:${process.env.PATH}`,
    FAKE_AWS_DIR: join(root, 'aws'),
    SECRETS_DIR: join(root, 'secrets'),
    STATE_DIR: join(root, 'state'),
    NODE_DIR: join(root, 'node'),
    GITLAB_ETC: join(root, 'etc-gitlab'),
    SECRETS_PREFIX: '/gitlab/test',
    SHARED_PREFIX: 'gitlab/test',
    STATUS_PARAMETER: '/gitlab/test/status/rails/rails-1',
    GITLAB_NODE: 'rails-1',
    GITLAB_ROLE: 'rails',
    GITLAB_VERSION: '19.3.0',
    DEPENDENCY_TIMEOUT: '60',
    POLL_SECONDS: '1',
    KMS_KEY_ID: '',
    FAKE_DISK_DIR: join(root, 'disk'),
    FAKE_PSQL_DIR: join(root, 'psql'),
    PSQL: join(bin, 'psql'),
    SSHD_CONFIG_DIR: join(root, 'sshd_config.d'),
    SSHD: 'true',
    SYSTEMCTL: 'true',
    GITLAB_RAILS: join(root, 'gitlab-rails'),
    DISK_BY_ID: join(root, 'by-id'),
    FSTAB: join(root, 'fstab'),
    ...env,
  };
  for (const d of [vars.SECRETS_DIR, vars.NODE_DIR, vars.GITLAB_ETC]) mkdirSync(d, { recursive: true });
  // stdin from /dev/null: bash reads ~/.bashrc when stdin is a socket (as Node's pipes are).
  const r = spawnSync('bash', ['-c', `source ${SCRIPT}\n${body}`], { env: vars, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : '');
  return {
    ...r,
    root,
    calls: read(join(vars.FAKE_AWS_DIR, 'calls.log')),
    stored: (kind: 'ssm' | 'sm', name: string) => read(join(vars.FAKE_AWS_DIR, kind, name.replace(/\//g, '_'))),
    secret: (name: string) => read(join(vars.SECRETS_DIR, name)),
    disk: (name: string) => read(join(vars.FAKE_DISK_DIR, name)),
    psql: (name: string) => read(join(vars.FAKE_PSQL_DIR, name)),
    fstab: () => read(vars.FSTAB),
    statusJson: () => JSON.parse(read(join(vars.STATE_DIR, 'status.json')) || '{}'),
  };
}

describe('boot script syntax', () => {
  it('passes bash -n', () => {
    expect(spawnSync('bash', ['-n', SCRIPT], { encoding: 'utf8' }).status).toBe(0);
  });
});

describe('secrets: generated once, create-if-absent, race-safe', () => {
  it('creates an absent secret as a SecureString without --overwrite, passing the value by file', () => {
    const r = runBoot('ssm_secret gitaly-token hex32');
    expect(r.status).toBe(0);
    const value = r.secret('gitaly-token').trim();
    expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(r.stored('ssm', '/gitlab/test/gitaly-token').trim()).toBe(value);
    const put = r.calls.split('\n').find((l) => l.startsWith('ssm put-parameter'))!;
    expect(put).toContain('--type SecureString');
    expect(put).not.toContain('--overwrite');
    expect(r.calls).not.toContain(value); // never on a command line
  });

  it('reads an existing secret and creates nothing', () => {
    const r = runBoot('mkdir -p "$FAKE_AWS_DIR/ssm"; printf existing-value > "$FAKE_AWS_DIR/ssm/_gitlab_test_redis-password"; ssm_secret redis-password hex32');
    expect(r.status).toBe(0);
    expect(r.secret('redis-password').trim()).toBe('existing-value');
    expect(r.calls).not.toContain('put-parameter');
  });

  it("uses the other node's value when it loses the creation race", () => {
    const r = runBoot('ssm_secret consul-gossip-key base64-32', { FAKE_AWS_RACE: '1' });
    expect(r.status).toBe(0);
    expect(r.secret('consul-gossip-key').trim()).toBe('winner-value');
    expect(r.stderr).toContain('was created by another node');
  });

  it('fails clearly (and reports) on any other error', () => {
    const r = runBoot('STEP=secrets; ssm_secret gitaly-token hex32', { FAKE_AWS_DENY: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/FAILED: reading \/gitlab\/test\/gitaly-token: .*AccessDenied/);
    expect(r.statusJson()).toMatchObject({ state: 'failed', step: 'secrets' });
  });

  it('reads one key of an RDS-managed credentials secret', () => {
    const arn = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:rds!db-1';
    const r = runBoot(`mkdir -p "$FAKE_AWS_DIR/sm"; printf '{"username":"gitlab","password":"p@ss"}' > "$FAKE_AWS_DIR/sm/${arn.replace(/\//g, '_')}"; fetch_secrets`, {
      GENERATED_SECRETS: '',
      MANAGED_SECRETS: `gitlab-db-username|${arn}|username gitlab-db-password|${arn}|password`,
    });
    expect(r.stderr).toBe('');
    expect(r.secret('gitlab-db-username').trim()).toBe('gitlab');
    expect(r.secret('gitlab-db-password').trim()).toBe('p@ss');
  });
});

describe('shared files (gitlab-secrets.json)', () => {
  it('the seed publishes once; others install the same file; publishing again is harmless', () => {
    const r = runBoot(
      [
        'echo \'{"gitlab_rails":{"db_key_base":"abc"}}\' > "$GITLAB_ETC/gitlab-secrets.json"',
        'shared_publish gitlab-secrets-json',
        'shared_publish gitlab-secrets-json',
        'rm "$GITLAB_ETC/gitlab-secrets.json"',
        'wait_shared gitlab-secrets-json',
        'cat "$GITLAB_ETC/gitlab-secrets.json"',
      ].join('\n'),
    );
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('{"gitlab_rails":{"db_key_base":"abc"}}');
    expect(r.calls.split('\n').filter((l) => l.startsWith('secretsmanager create-secret'))).toHaveLength(2);
  });

  it('gives up waiting after the timeout with a clear error', () => {
    const r = runBoot('STEP=shared-files; wait_shared gitlab-secrets-json', { DEPENDENCY_TIMEOUT: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('timed out after 1s waiting for gitlab/test/gitlab-secrets-json');
  });
});

describe('dependencies: bounded waits', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => server.close());

  it('proceeds as soon as any address accepts connections', () => {
    const r = runBoot(`WAIT_FOR="database=127.0.0.1:1,127.0.0.1:${port}"; wait_for_dependencies`);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(`database reachable at 127.0.0.1:${port}`);
  });

  it('fails after the timeout naming the dependency, and reports failure to the status parameter', () => {
    const r = runBoot('STEP=dependencies; WAIT_FOR="praefect-database=127.0.0.1:1"; wait_for_dependencies', { DEPENDENCY_TIMEOUT: '2' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('timed out after 2s waiting for praefect-database (127.0.0.1:1)');
    expect(r.statusJson()).toMatchObject({ state: 'failed', step: 'dependencies', node: 'rails-1', role: 'rails' });
    expect(r.calls).toMatch(/ssm put-parameter --name \/gitlab\/test\/status\/rails\/rails-1 --type String --overwrite/);
  });
});

describe('data volume: found by EBS volume ID, formatted only when blank, mounted by UUID', () => {
  const VOLUME = 'vol-0123456789abcdef0';
  /** A node whose volume is attached (the by-id link exists), booted `times` times on the same disk. */
  function bootWithVolume(times: number, prepare = '', env: Record<string, string> = {}) {
    const body = [
      'mkdir -p "$DISK_BY_ID"; touch "$FAKE_DISK_DIR.dev" 2>/dev/null || { mkdir -p "$(dirname "$FAKE_DISK_DIR")"; touch "$FAKE_DISK_DIR.dev"; }',
      'ln -sf "$FAKE_DISK_DIR.dev" "$DISK_BY_ID/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0"',
      prepare,
      // A reboot forgets mounts but keeps the disk and fstab.
      ...Array.from({ length: times }, () => 'rm -f "$FAKE_DISK_DIR/mounts"; STEP=data-volume; mount_data_volume'),
    ].join('\n');
    return runBoot(body, { DATA_VOLUME_ID: VOLUME, DATA_MOUNT: '/var/opt/gitlab/git-data', ...env });
  }

  it('formats a blank volume once, then mounts it by UUID at the role\'s data path', () => {
    const r = bootWithVolume(1);
    expect(r.stderr).toContain('formatting new data volume vol-0123456789abcdef0');
    expect(r.status).toBe(0);
    expect(r.disk('calls.log')).toMatch(/^mkfs\.ext4 -q -L gitlab-data \S+\.dev$/m);
    expect(r.fstab()).toBe('UUID=0a1b2c3d-0000-4000-8000-00000000da7a /var/opt/gitlab/git-data ext4 defaults,nofail,x-systemd.device-timeout=5min 0 2\n');
    expect(statSync(join(r.root, 'fstab')).mode & 0o777).toBe(0o644);
    expect(r.disk('mounts')).toBe('/var/opt/gitlab/git-data\n');
  });

  it('is idempotent: a reboot or a new instance with the same volume never formats it again', () => {
    const r = bootWithVolume(3);
    expect(r.status).toBe(0);
    expect(r.disk('calls.log').match(/^mkfs/gm)).toHaveLength(1);
    expect(r.fstab().trim().split('\n')).toHaveLength(1);
    // The volume already formatted elsewhere (instance replaced): mounted, not formatted.
    const replaced = bootWithVolume(1, 'mkdir -p "$FAKE_DISK_DIR"; echo 11111111-2222-4333-8444-555555555555 > "$FAKE_DISK_DIR/uuid"; echo "UUID=old /var/opt/gitlab/git-data ext4 defaults 0 2" > "$FSTAB"; echo "/dev/root / ext4 defaults 0 1" >> "$FSTAB"');
    expect(replaced.status).toBe(0);
    expect(replaced.disk('calls.log')).not.toMatch(/^mkfs/m);
    expect(replaced.fstab()).toBe('/dev/root / ext4 defaults 0 1\nUUID=11111111-2222-4333-8444-555555555555 /var/opt/gitlab/git-data ext4 defaults,nofail,x-systemd.device-timeout=5min 0 2\n');
  });

  it('does not format a device it cannot probe', () => {
    const r = bootWithVolume(1, '', { FAKE_BLKID_ERROR: '4' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('cannot probe');
    expect(r.disk('calls.log')).not.toMatch(/^mkfs/m);
  });

  it('waits for the attachment, then fails naming the volume', () => {
    const r = runBoot('STEP=data-volume; mount_data_volume', { DATA_VOLUME_ID: VOLUME, DATA_MOUNT: '/var/opt/gitlab/git-data', DEPENDENCY_TIMEOUT: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('timed out after 1s waiting for data volume vol-0123456789abcdef0 to be attached');
    expect(r.statusJson()).toMatchObject({ state: 'failed', step: 'data-volume' });
  });

  it('does nothing for a node without a data volume', () => {
    const r = runBoot('mount_data_volume; echo fine', { DATA_VOLUME_ID: '' });
    expect(r.stdout.trim()).toBe('fine');
    expect(r.disk('calls.log')).toBe('');
  });

  it('runs before the package is installed, so GitLab writes its data onto the volume', () => {
    const main = readFileSync(SCRIPT, 'utf8').split('\nmain() {')[1];
    expect(main.indexOf('mount_data_volume')).toBeGreaterThan(0);
    expect(main.indexOf('mount_data_volume')).toBeLessThan(main.indexOf('install_gitlab'));
    expect(main.indexOf('mount_data_volume')).toBeLessThan(main.indexOf('configure'));
  });
});

describe('managed PostgreSQL: GitLab logs in as its own user, never as the RDS master user', () => {
  const seedBody = (extra = '') =>
    [
      'printf gitlab_admin > "$SECRETS_DIR/gitlab-db-master-username"',
      "printf '%s' 'ma:st\\er' > \"$SECRETS_DIR/gitlab-db-master-password\"",
      'printf app-password > "$SECRETS_DIR/gitlab-db-password"',
      `STEP=database-login; bootstrap_database${extra}`,
      'ls "$SECRETS_DIR"',
    ].join('\n');
  const DB = { DB_BOOTSTRAP: 'gitlab-db.abc.eu-west-1.rds.amazonaws.com 5432 gitlabhq_production gitlab gitlab-db', RDS_CA_BUNDLE: '/usr/local/share/gitlab-node/rds-ca-bundle.pem' };

  it('creates or re-passwords the dedicated login with the master credentials, over TLS that verifies the server', () => {
    const r = runBoot(seedBody(), DB);
    expect(r.stderr).toContain('database login gitlab ready on gitlab-db.abc.eu-west-1.rds.amazonaws.com:5432/gitlabhq_production');
    expect(r.status).toBe(0);
    const args = r.psql('args').split('\n');
    expect(args[0]).toBe('host=gitlab-db.abc.eu-west-1.rds.amazonaws.com port=5432 dbname=gitlabhq_production user=gitlab_admin sslmode=verify-full sslrootcert=/usr/local/share/gitlab-node/rds-ca-bundle.pem');
    expect(args).toEqual(expect.arrayContaining(['app_user=gitlab', 'app_db=gitlabhq_production', 'ON_ERROR_STOP=1']));
    const sql = r.psql('sql');
    expect(sql).toMatch(/CREATE ROLE %I WITH LOGIN PASSWORD %L', :'app_user', :'pw'\) WHERE NOT EXISTS/);
    expect(sql).toContain("ALTER ROLE %I WITH LOGIN PASSWORD %L");
    expect(sql).toContain("ALTER DATABASE %I OWNER TO %I");
    expect(sql).toContain('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    expect(sql).toMatch(/\\set pw `cat :pw_file`/);
    // The master password reaches psql only through a password file (":" and "\\" escaped), never an argument or the environment.
    expect(r.psql('pgpass')).toBe('gitlab-db.abc.eu-west-1.rds.amazonaws.com:5432:*:gitlab_admin:ma\\:st\\\\er\n');
    expect(r.psql('args')).not.toContain('ma:st');
    expect(r.psql('env')).not.toContain('ma:st');
    expect(r.psql('args')).not.toContain('app-password');
    // The master credentials do not stay on the node.
    expect(r.stdout.split('\n')).not.toEqual(expect.arrayContaining(['gitlab-db-master-password', 'gitlab-db-master-username', '.pgpass-gitlab-db']));
    expect(r.stdout).toContain('gitlab-db-password');
  });

  it('fails the boot naming the database when psql fails, and still removes the master credentials', () => {
    const r = runBoot(seedBody(), { ...DB, FAKE_PSQL_EXIT: '2' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('creating the gitlab login on gitlab-db.abc.eu-west-1.rds.amazonaws.com:5432/gitlabhq_production failed (psql exit 2)');
    expect(r.statusJson()).toMatchObject({ state: 'failed', step: 'database-login' });
  });

  it('does nothing on nodes without DB_BOOTSTRAP', () => {
    const r = runBoot('bootstrap_database; echo fine', { DB_BOOTSTRAP: '' });
    expect(r.stdout.trim()).toBe('fine');
    expect(r.psql('args')).toBe('');
  });
});

describe('RDS CA bundle: verify-full needs the CAs on the node', () => {
  /** A fake curl writing $CA_SOURCE (or failing when it is empty) to its -o argument, logging the URL. */
  const fakeCurl = 'curl() { local out url; while (($#)); do case $1 in -o) out=$2; shift ;; https://*) url=$1 ;; esac; shift; done; echo "$url" >> "$FAKE_AWS_DIR.curl"; [[ -n ${CA_SOURCE:-} ]] && cp "$CA_SOURCE" "$out"; }';
  const URL = 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem';
  const withCa = (body: string, env: Record<string, string> = {}) => {
    const dir = tempDir('rds-ca-');
    const pem = join(dir, 'ca.pem');
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k'), '-out', pem, '-subj', '/CN=Test RDS CA', '-days', '2'], { stdio: 'ignore' });
    expect(made.status).toBe(0);
    return runBoot(`${fakeCurl}\nmkdir -p "$(dirname "$FAKE_AWS_DIR")"\n${body}`, { RDS_CA_URL: URL, RDS_CA_BUNDLE: join(dir, 'share', 'rds-ca-bundle.pem'), CA_SOURCE: pem, ...env });
  };

  it('downloads the bundle from AWS\'s trust store and installs it readable by the git user', () => {
    const r = withCa('STEP=rds-ca; rds_ca_bundle; stat -c %a "$RDS_CA_BUNDLE" "$(dirname "$RDS_CA_BUNDLE")"; cat "$FAKE_AWS_DIR.curl"');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['644', '755', URL]);
  });

  it('fails the boot when there is no valid bundle, and keeps an earlier one when a refresh fails', () => {
    const junk = withCa('echo "<html>error</html>" > "$FAKE_AWS_DIR.junk"; CA_SOURCE="$FAKE_AWS_DIR.junk"; STEP=rds-ca; rds_ca_bundle');
    expect(junk.status).toBe(1);
    expect(junk.stderr).toContain(`could not download a valid RDS CA bundle from ${URL}`);
    expect(junk.statusJson()).toMatchObject({ state: 'failed', step: 'rds-ca' });
    const kept = withCa('rds_ca_bundle; CA_SOURCE=; rds_ca_bundle; grep -c "BEGIN CERTIFICATE" "$RDS_CA_BUNDLE"');
    expect(kept.status).toBe(0);
    expect(kept.stderr).toContain('keeping');
    expect(kept.stdout.trim()).toBe('1');
  });

  it('does nothing on nodes that do not use RDS', () => {
    const r = withCa('rds_ca_bundle; [[ -e "$(dirname "$RDS_CA_BUNDLE")" || -e "$FAKE_AWS_DIR.curl" ]] || echo end', { RDS_CA_URL: '' });
    expect(r.stdout.trim()).toBe('end');
  });
});

describe('internal CA: Gitaly and Praefect over TLS with certificates from the environment\'s own CA', () => {
  const shared = () => tempDir('internal-ca-aws-');
  const node = (aws: string, body: string, env: Record<string, string>) => {
    const dirs = tempDir('internal-ca-node-');
    return runBoot(body, { FAKE_AWS_DIR: aws, SSL_DIR: join(dirs, 'ssl'), TRUSTED_CERTS_DIR: join(dirs, 'trusted-certs'), ...env });
  };
  const openssl = (...args: string[]) => spawnSync('openssl', args, { encoding: 'utf8' });
  const issue = (aws: string, name: string, names: string, extra = '') =>
    node(aws, `STEP=internal-ca; internal_ca${extra}; echo "$SSL_DIR $TRUSTED_CERTS_DIR $SECRETS_DIR"`, { INTERNAL_CA: 'issue', GITLAB_NODE: name, TLS_NAMES: names });
  const dirsOf = (r: { stdout: string }) => r.stdout.trim().split('\n').pop()!.split(' ');

  it('the first Gitaly creates the CA; every Gitaly and Praefect issues its own certificate from it, for its names', () => {
    const aws = shared();
    const g1 = issue(aws, 'gitaly-1', 'IP:10.20.0.90');
    expect(g1.status).toBe(0);
    expect(g1.stderr).toContain('created the internal CA gitlab/test/internal-ca');
    const p1 = issue(aws, 'praefect-1', 'IP:10.20.0.130,DNS:internal.gl.gitlab.internal');
    expect(p1.status).toBe(0);
    expect(p1.stderr).not.toContain('created the internal CA');
    const [gSsl, gTrust, gSecrets] = dirsOf(g1);
    const [pSsl, pTrust] = dirsOf(p1);
    // One CA: both nodes trust the same certificate, and each node certificate verifies against it.
    expect(readFileSync(join(pTrust, 'gitlab-internal-ca.crt'), 'utf8')).toBe(readFileSync(join(gTrust, 'gitlab-internal-ca.crt'), 'utf8'));
    expect(openssl('verify', '-CAfile', join(gTrust, 'gitlab-internal-ca.crt'), join(pSsl, 'gitlab-node.crt')).status).toBe(0);
    expect(openssl('verify', '-CAfile', join(pTrust, 'gitlab-internal-ca.crt'), join(gSsl, 'gitlab-node.crt')).status).toBe(0);
    expect(openssl('x509', '-in', join(gSsl, 'gitlab-node.crt'), '-noout', '-ext', 'subjectAltName').stdout).toContain('IP Address:10.20.0.90');
    expect(openssl('x509', '-in', join(pSsl, 'gitlab-node.crt'), '-noout', '-ext', 'subjectAltName').stdout).toMatch(/IP Address:10\.20\.0\.130, DNS:internal\.gl\.gitlab\.internal/);
    // Keys stay private: the node key and the CA key are 0600.
    expect(statSync(join(gSsl, 'gitlab-node.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(gSecrets, 'internal-ca.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(gTrust, 'gitlab-internal-ca.crt')).mode & 0o777).toBe(0o644);
    // Clients get the certificate alone, never the key.
    const certOnly = readFileSync(join(aws, 'sm', 'gitlab_test_internal-ca-cert'), 'utf8');
    expect(certOnly).toContain('BEGIN CERTIFICATE');
    expect(certOnly).not.toContain('PRIVATE KEY');
  });

  it('Rails trusts the CA certificate once published, and fails the boot naming it when it never comes', () => {
    const aws = shared();
    expect(issue(aws, 'gitaly-1', 'IP:10.20.0.90').status).toBe(0);
    const rails = node(aws, 'STEP=internal-ca; internal_ca; echo "$TRUSTED_CERTS_DIR"; ls "$SECRETS_DIR"', { INTERNAL_CA: 'trust' });
    expect(rails.status).toBe(0);
    const trust = rails.stdout.trim().split('\n')[0];
    expect(readFileSync(join(trust, 'gitlab-internal-ca.crt'), 'utf8')).toContain('BEGIN CERTIFICATE');
    expect(rails.stdout).not.toContain('internal-ca.key');
    // Its only call (the log is shared with gitaly-1's run): the certificate, never the key.
    expect(rails.calls.trim().split('\n').pop()).toBe('secretsmanager get-secret-value --secret-id gitlab/test/internal-ca-cert --query SecretString --output text');
    const alone = node(shared(), 'STEP=internal-ca; internal_ca', { INTERNAL_CA: 'trust', DEPENDENCY_TIMEOUT: '1' });
    expect(alone.status).toBe(1);
    expect(alone.stderr).toContain('waiting for gitlab/test/internal-ca-cert (the first Gitaly or Praefect node publishes it)');
    expect(alone.statusJson()).toMatchObject({ state: 'failed', step: 'internal-ca' });
  });

  it('keeps a current certificate on a re-run, and re-issues it when the names change', () => {
    const aws = shared();
    const again = issue(aws, 'gitaly-1', 'IP:10.20.0.90', '; internal_ca');
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('node certificate for IP:10.20.0.90 is current');
    const moved = issue(aws, 'gitaly-1', 'IP:10.20.0.90', '; TLS_NAMES=IP:10.20.1.90; internal_ca');
    expect(moved.stderr.match(/issued the node certificate/g)).toHaveLength(2);
    expect(openssl('x509', '-in', join(dirsOf(moved)[0], 'gitlab-node.crt'), '-noout', '-ext', 'subjectAltName').stdout).toContain('IP Address:10.20.1.90');
  });

  it('renews a certificate that is due from the weekly job and restarts the service; leaves a current one alone', () => {
    const aws = shared();
    const fakes = [
      'mkdir -p "$FAKE_AWS_DIR/bin"',
      `ln -sf ${join(__dirname, '__fixtures__', 'fake-tool')} "$FAKE_AWS_DIR/bin/gitlab-ctl"`,
      'GITLAB_CTL="$FAKE_AWS_DIR/bin/gitlab-ctl"; GITLAB_ROLE=gitaly',
    ].join('\n');
    const r = issue(aws, 'gitaly-1', 'IP:10.20.0.90', `; ${fakes}; STEP=certificate; certificate; echo "current: $(cat "$FAKE_AWS_DIR/tools.log" 2>/dev/null)"; CERT_RENEW_SECONDS=100000000 certificate; cat "$FAKE_AWS_DIR/tools.log"`);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('current: \n');
    expect(r.stdout).toContain('gitlab-ctl restart gitaly');
    expect(r.stderr.match(/issued the node certificate/g)).toHaveLength(2);
  });

  it('schedules the weekly renewal on Gitaly and Praefect only', () => {
    const cron = (mode: string) => {
      const r = runBoot('STEP=post-configure; post_configure; cat "$CRON_DIR/gitlab-node-certificate" 2>/dev/null || echo none', { INTERNAL_CA: mode, GITLAB_ROLE: mode === 'issue' ? 'praefect' : 'rails', CRON_DIR: join(tempDir('cron-'), 'cron.d'), SSHD: 'true', RAILS_SETTINGS: '', BACKUP_CRON: '', SHARED_PUBLISH: '' });
      expect(r.status).toBe(0);
      return r.stdout.trim();
    };
    expect(cron('issue')).toMatch(/^17 4 \* \* 1 root \/usr\/local\/sbin\/gitlab-node-boot certificate >>\/var\/log\/gitlab-node-certificate.log 2>&1$/m);
    expect(cron('trust').split('\n').pop()).toBe('none');
  });

  it('uses the paths the rendered gitlab.rb points Gitaly and Praefect at', () => {
    const r = runBoot('echo "$SSL_DIR/gitlab-node.crt $SSL_DIR/gitlab-node.key $TRUSTED_CERTS_DIR/$CA_CERT_NAME"', { SSL_DIR: '', TRUSTED_CERTS_DIR: '' });
    expect(r.stdout.trim()).toBe([NODE_CERTIFICATE_PATH, NODE_KEY_PATH, INTERNAL_CA_CERT_PATH].join(' '));
  });
});

describe('Rails: SSH keys from the database, incremental logging, applied once', () => {
  /** A fake gitlab-rails that logs its arguments and exits with $RAILS_EXIT. */
  const fakeRails = 'printf \'#!/usr/bin/env bash\\necho "$*" >> "$GITLAB_RAILS.log"\\nexit ${RAILS_EXIT:-0}\\n\' > "$GITLAB_RAILS"; chmod +x "$GITLAB_RAILS"';

  it('points sshd at the database lookup for the git user on every Rails node', () => {
    const r = runBoot('authorized_keys_lookup; cat "$SSHD_CONFIG_DIR/60-gitlab-authorized-keys.conf"');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Match User git\n {2}AuthorizedKeysCommand \/opt\/gitlab\/embedded\/service\/gitlab-shell\/bin\/gitlab-shell-authorized-keys-check git %u %k\n {2}AuthorizedKeysCommandUser git\nMatch all$/m);
    expect(statSync(join(r.root, 'sshd_config.d', '60-gitlab-authorized-keys.conf')).mode & 0o777).toBe(0o644);
  });

  it('removes its sshd snippet and fails when sshd rejects it', () => {
    const r = runBoot('STEP=post-configure; authorized_keys_lookup', { SSHD: 'false' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('sshd rejected');
    expect(existsSync(join(r.root, 'sshd_config.d', '60-gitlab-authorized-keys.conf'))).toBe(false);
  });

  it('enables incremental logging and turns off authorized_keys writes once, on the seed node only', () => {
    const r = runBoot(`${fakeRails}\nGITLAB_ROLE=rails; RAILS_SETTINGS=1; post_configure; post_configure; cat "$GITLAB_RAILS.log"`);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(['runner Feature.enable(:ci_enable_live_trace); ApplicationSetting.current.update!(authorized_keys_enabled: false); puts "ok"']);
    const other = runBoot(`${fakeRails}\nGITLAB_ROLE=rails; RAILS_SETTINGS=; post_configure; cat "$GITLAB_RAILS.log" 2>/dev/null || true; echo end`);
    expect(other.stdout.trim()).toBe('end');
    expect(existsSync(join(other.root, 'sshd_config.d', '60-gitlab-authorized-keys.conf'))).toBe(true);
  });

  it("points sshd at the database lookup on 1k's all-in-one node too (it serves Git SSH), never on a Gitaly node", () => {
    const aio = runBoot(`${fakeRails}\nGITLAB_ROLE=all-in-one; RAILS_SETTINGS=1; post_configure; cat "$GITLAB_RAILS.log"`);
    expect(aio.status).toBe(0);
    expect(existsSync(join(aio.root, 'sshd_config.d', '60-gitlab-authorized-keys.conf'))).toBe(true);
    expect(aio.stdout).toContain('authorized_keys_enabled: false');
    const gitaly = runBoot(`${fakeRails}\nGITLAB_ROLE=gitaly; RAILS_SETTINGS=; post_configure; echo end`);
    expect(gitaly.status).toBe(0);
    expect(existsSync(join(gitaly.root, 'sshd_config.d', '60-gitlab-authorized-keys.conf'))).toBe(false);
  });

  it('fails the boot (and retries next run) when the settings cannot be applied', () => {
    const r = runBoot(`${fakeRails}\nSTEP=post-configure; rails_settings`, { RAILS_EXIT: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('applying application settings (incremental logging, authorized_keys off) failed');
    expect(existsSync(join(r.root, 'state', 'rails-settings-applied'))).toBe(false);
  });
});

describe('GitLab backup: scheduled on the seed node, database on the Patroni leader, repositories server-side', () => {
  /** Fake gitlab-backup / gitlab-ctl / gitlab-rails logging their environment and arguments. */
  const fakes = [
    'mkdir -p "$FAKE_AWS_DIR/bin"',
    `for t in gitlab-backup gitlab-ctl gitlab-rails; do ln -sf ${join(__dirname, '__fixtures__', 'fake-tool')} "$FAKE_AWS_DIR/bin/$t"; done`,
    'GITLAB_BACKUP="$FAKE_AWS_DIR/bin/gitlab-backup"; GITLAB_CTL="$FAKE_AWS_DIR/bin/gitlab-ctl"; GITLAB_RAILS="$FAKE_AWS_DIR/bin/gitlab-rails"',
  ].join('\n');
  const tools = (r: ReturnType<typeof runBoot>) => readFileSync(join(r.root, 'aws', 'tools.log'), 'utf8').trim().split('\n');

  it('installs a daily cron entry that runs gitlab-node-boot backup', () => {
    const r = runBoot('CRON_DIR="$STATE_DIR/cron.d"; BACKUP_CRON="0 3 * * *"; schedule_backup; schedule_backup; cat "$CRON_DIR/gitlab-backup"');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('0 3 * * * root /usr/local/sbin/gitlab-node-boot backup >>/var/log/gitlab-backup.log 2>&1');
    expect(statSync(join(r.root, 'state', 'cron.d', 'gitlab-backup')).mode & 0o777).toBe(0o644);
    const none = runBoot('CRON_DIR="$STATE_DIR/cron.d"; BACKUP_CRON=""; schedule_backup; ls "$CRON_DIR" 2>/dev/null | wc -l');
    expect(none.stdout.trim()).toBe('0');
  });

  it('backs up database and repositories (server-side), skipping what the buckets already keep', () => {
    const r = runBoot(`${fakes}\nBACKUP_SERVER_SIDE=1; PATRONI_MEMBERS=""; STEP=backup; backup`);
    expect(r.status).toBe(0);
    const [line] = tools(r);
    expect(line).toMatch(/^gitlab-backup CRON=1 REPOSITORIES_SERVER_SIDE=true SKIP=artifacts,lfs,uploads,packages,terraform_state,registry,ci_secure_files,external_diffs,pages create$/);
    expect(existsSync(join(r.root, 'state', 'last-backup'))).toBe(true);
  });

  it('dumps the database on the Patroni leader, not through PgBouncer', () => {
    const leader = createServer((s) => s.end());
    return new Promise<void>((done) => {
      leader.listen(0, '127.0.0.1', () => {
        // patroni_leader asks :8008/primary; a fake curl answers for 10.0.0.2 only.
        const curl = 'curl() { [[ "$*" == *10.0.0.2:8008/primary* ]]; }';
        const r = runBoot(`${fakes}\n${curl}\nPATRONI_MEMBERS="10.0.0.1 10.0.0.2"; STEP=backup; backup`);
        leader.close();
        expect(r.status).toBe(0);
        expect(tools(r)[0]).toContain('GITLAB_BACKUP_PGHOST=10.0.0.2 GITLAB_BACKUP_PGPORT=5432');
        done();
      });
    });
  });

  it('fails the run (and reports it) when gitlab-backup fails', () => {
    const r = runBoot(`${fakes}\nSTEP=backup; backup`, { FAKE_TOOL_EXIT: '1' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('gitlab-backup create failed');
    expect(r.statusJson()).toMatchObject({ state: 'failed', step: 'backup' });
  });

  it('restores: stops the writers, fetches the archive from the backups bucket, restores, reconfigures, restarts and checks', () => {
    const id = '1733011200_2026_12_01_19.3.0-ee';
    const r = runBoot(
      [
        fakes,
        `mkdir -p "$FAKE_AWS_DIR/s3/acme-backups"; echo archive > "$FAKE_AWS_DIR/s3/acme-backups/${id}_gitlab_backup.tar"`,
        'BACKUP_DIR="$STATE_DIR/backups"; BACKUPS_BUCKET=acme-backups; BACKUP_SERVER_SIDE=1; PATRONI_MEMBERS=""',
        'reconfigure() { echo "gitlab-ctl reconfigure" >> "$FAKE_AWS_DIR/tools.log"; }',
        `STEP=restore; restore ${id}`,
        `cat "$BACKUP_DIR/${id}_gitlab_backup.tar"`,
      ].join('\n'),
    );
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('archive');
    expect(tools(r)).toEqual([
      'gitlab-ctl stop puma',
      'gitlab-ctl stop sidekiq',
      `gitlab-backup BACKUP=${id} REPOSITORIES_SERVER_SIDE=true SKIP=artifacts,lfs,uploads,packages,terraform_state,registry,ci_secure_files,external_diffs,pages force=yes restore`,
      'gitlab-ctl reconfigure',
      'gitlab-ctl restart',
      "gitlab-rails runner puts Gitlab::CurrentSettings.current_application_settings.id",
    ]);
  });

  it('refuses to restore an archive the bucket does not have', () => {
    const r = runBoot(`${fakes}\nBACKUP_DIR="$STATE_DIR/backups"; BACKUPS_BUCKET=acme-backups; STEP=restore; restore 42_missing`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no backup 42_missing in s3://acme-backups');
  });
});
