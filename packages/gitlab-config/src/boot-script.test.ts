import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { tempDir } from './__fixtures__/tools';

const SCRIPT = join(__dirname, 'boot', 'gitlab-node-boot.sh');

/** Runs `body` in bash with the boot script's functions loaded and a fake AWS CLI on PATH. */
function runBoot(body: string, env: Record<string, string> = {}) {
  const root = tempDir('gitlab-boot-');
  const bin = join(root, 'bin');
  mkdirSync(bin);
  copyFileSync(join(__dirname, '__fixtures__', 'fake-aws'), join(bin, 'aws'));
  chmodSync(join(bin, 'aws'), 0o755);
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
