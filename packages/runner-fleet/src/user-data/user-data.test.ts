import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { TOKEN_PLACEHOLDER } from '../config-toml';
import { type Json, allStrings, decodeUserData, resourceWhere, resources, synthRunnerStacks } from '../__fixtures__/runner-stacks';
import { FLEETING_PLUGIN_DIR, RUNNER_RELEASE_KEY } from './runner-host';
import { sh, writeFile } from './shell';

let aws: Json;
let tokens: Json;
beforeAll(() => {
  ({ aws, tokens } = synthRunnerStacks());
});

const userData = (templateName: string) => decodeUserData(resourceWhere(aws, 'aws_launch_template', 'name', templateName));

/** The body of the file a user-data script writes to `path` with a quoted heredoc. */
function heredoc(script: string, path: string): string {
  const m = new RegExp(`cat > '${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}' <<'(\\w+)'\\n([\\s\\S]*?)\\n\\1\\n`).exec(script);
  if (!m) throw new Error(`no heredoc for ${path}`);
  return m[2];
}

function bashSyntax(script: string): string {
  const r = spawnSync('bash', ['-n'], { input: script, encoding: 'utf8' });
  return r.status === 0 ? 'ok' : r.stderr;
}

describe('user data', () => {
  const scripts = () => ({
    manager: userData('devops-runners-mr-manager'),
    worker: userData('devops-runners-mr-workers'),
    instance: userData('devops-runners-deploy-runners'),
  });

  it('is valid bash, and so are the scripts it installs', () => {
    for (const [role, script] of Object.entries(scripts())) {
      expect([role, bashSyntax(script)]).toEqual([role, 'ok']);
      if (role === 'worker') continue;
      for (const path of ['/usr/local/sbin/runner-config', '/usr/local/sbin/runner-drain']) {
        expect([role, path, bashSyntax(heredoc(script, path))]).toEqual([role, path, 'ok']);
      }
    }
  });

  it('carries a config.toml that parses, with the token as a placeholder', () => {
    const config = parse(heredoc(scripts().manager, '/etc/gitlab-runner/config.template.toml')) as Json;
    expect(config.concurrent).toBe(24);
    expect(config.runners[0].token).toBe(TOKEN_PLACEHOLDER);
    expect(config.runners[0].url).toBe('https://gitlab.example.com');
    const instance = parse(heredoc(scripts().instance, '/etc/gitlab-runner/config.template.toml')) as Json;
    expect(instance.runners[0]).toMatchObject({ executor: 'docker', token: TOKEN_PLACEHOLDER });
  });

  it('ships a CloudWatch agent config that reports memory per group and the runner log', () => {
    const agent = JSON.parse(heredoc(scripts().instance, '/opt/aws/amazon-cloudwatch-agent/etc/runner-fleet.json'));
    expect(agent.metrics.metrics_collected.mem.measurement).toEqual(['mem_used_percent']);
    expect(agent.metrics.aggregation_dimensions).toEqual([['AutoScalingGroupName']]);
    expect(agent.logs.logs_collected.files.collect_list.map((f: Json) => f.log_group_name)).toEqual(['/gitlab-runner/devops/deploy', '/gitlab-runner/devops/deploy']);
  });

  it('reads the token from its own parameter and drains from its own group', () => {
    const tokenScript = heredoc(scripts().instance, '/usr/local/sbin/runner-config');
    expect(tokenScript).toContain("PARAMETER='/gitlab-aws/devops/runners/deploy/token'");
    expect(tokenScript).toContain('--with-decryption');
    const drain = heredoc(scripts().instance, '/usr/local/sbin/runner-drain');
    expect(drain).toContain("GROUP='devops-runners-deploy-runners'");
    // (90 min job timeout + 10 min margin) x 60 + 300 s for the providers' shutdown (shutdown_timeout).
    expect(drain).toContain('DRAIN_SECONDS=6300');
    expect(drain).toContain('complete-lifecycle-action');
    const unit = heredoc(scripts().instance, '/etc/systemd/system/gitlab-runner.service.d/10-fleet.conf');
    expect(unit).toContain('KillSignal=SIGQUIT');
    expect(unit).toContain('TimeoutStopSec=6300');
    expect(unit).not.toContain('FLEETING_PLUGIN_PATH');
  });

  it('installs the fleeting plugin into a fixed folder and runs the runner with that same folder', () => {
    const manager = scripts().manager;
    const install = manager.split('\n').filter((l) => l.includes('fleeting') && l.includes(' install') && !l.startsWith('ExecStartPre='));
    expect(install).toEqual([`env HOME=/root FLEETING_PLUGIN_PATH=${FLEETING_PLUGIN_DIR} gitlab-runner fleeting --config /etc/gitlab-runner/config.template.toml install`]);
    const unit = heredoc(manager, '/etc/systemd/system/gitlab-runner.service.d/10-fleet.conf');
    const env = unit.split('\n').filter((l) => l.startsWith('Environment='));
    expect(env).toEqual([`Environment=FLEETING_PLUGIN_PATH=${FLEETING_PLUGIN_DIR}`]);
    expect(unit).toContain('ExecStartPre=/usr/bin/env HOME=/root /usr/local/bin/gitlab-runner fleeting --config /etc/gitlab-runner/config.toml install');
    // The template it installs from names a pinned major.
    expect(heredoc(manager, '/etc/gitlab-runner/config.template.toml')).toContain('plugin = "aws:1"');
  });

  it('keeps job containers of instance-mode runners away from the instance role', () => {
    expect(scripts().instance).toContain('-i docker+ -d 169.254.169.254/32 -j REJECT');
    expect(scripts().manager).not.toContain('dnf install -y amazon-cloudwatch-agent docker');
  });
});

describe('the token never leaks', () => {
  const TOKEN_LIKE = /glrt-[A-Za-z0-9_-]{8,}/;

  it('appears nowhere in the AWS stack, user data included, and the AWS stack never refers to the runner resource', () => {
    const strings = [...allStrings(aws), ...resources(aws, 'aws_launch_template').map(decodeUserData)];
    expect(strings.filter((s) => TOKEN_LIKE.test(s))).toEqual([]);
    expect(strings.filter((s) => s.includes('gitlab_user_runner') || s.includes('.token}'))).toEqual([]);
    expect(aws.output).toBeUndefined();
    expect(aws.data?.terraform_remote_state).toBeUndefined();
  });

  it('flows in the token stack only from the runner into a SecureString under the token key, never to an output', () => {
    const params = resources(tokens, 'aws_ssm_parameter');
    expect(params.map((p) => [p.name, p.type, p.key_id])).toEqual([
      ['/gitlab-aws/devops/runners/deploy/token', 'SecureString', 'alias/devops-runner-tokens'],
      ['/gitlab-aws/devops/runners/mr/token', 'SecureString', 'alias/devops-runner-tokens'],
    ]);
    expect(params.map((p) => p.value)).toEqual(['${gitlab_user_runner.deploy-runner.token}', '${gitlab_user_runner.mr-runner.token}']);
    expect(tokens.output).toBeUndefined();
    const elsewhere = allStrings({ ...tokens, resource: { ...tokens.resource, aws_ssm_parameter: undefined } }).filter((s) => s.includes('.token}'));
    expect(elsewhere).toEqual([]);
  });

  it('registers each fleet as its own runner with its tags, scope and timeout', () => {
    const runners = resources(tokens, 'gitlab_user_runner');
    expect(runners.map((r) => [r.description, r.tag_list, r.access_level, r.maximum_timeout, r.runner_type, r.untagged])).toEqual([
      ['devops deploy fleet', ['deploy'], 'ref_protected', 5400, 'instance_type', false],
      ['devops mr fleet', ['docker'], 'not_protected', 3600, 'instance_type', false],
    ]);
    expect(runners[0].lifecycle).toEqual({ create_before_destroy: true });
    expect(tokens.provider.gitlab[0].base_url).toBe('https://gitlab.example.com/api/v4/');
    expect(tokens.provider.gitlab[0].token).toBeUndefined();
  });
});

describe('shell helpers', () => {
  it('quote anything safely and write files verbatim', () => {
    const script = `${writeFile('/tmp/x', 'a $HOME `id` \'q\'\nEND_OF_FILE\n')}\necho ${sh("it's")}`;
    expect(bashSyntax(script)).toBe('ok');
    expect(script).toContain("<<'END_OF_FILE_'");
    expect(sh("it's")).toBe(`'it'\\''s'`);
  });
});

/** A scratch folder with stand-in commands on PATH; removed after the test. */
function sandbox(commands: Record<string, string>): { dir: string; env: NodeJS.ProcessEnv; run: (script: string, extra?: NodeJS.ProcessEnv) => ReturnType<typeof spawnSync> } {
  const dir = mkdtempSync(join(tmpdir(), 'runner-ud-'));
  const bin = join(dir, 'bin');
  spawnSync('mkdir', ['-p', bin]);
  for (const [name, body] of Object.entries(commands)) {
    writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const env = { ...process.env, PATH: `${bin}:${process.env.PATH}` };
  const run = (script: string, extra: NodeJS.ProcessEnv = {}) => spawnSync('bash', ['-c', script, 'script'], { env: { ...env, ...extra }, encoding: 'utf8' });
  return { dir, env, run };
}

describe('runner-config (token rotation)', () => {
  const NEW = 'glrt-newtoken1234567890';
  const OLD = 'glrt-oldtoken1234567890';
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  function setup(role: 'manager' | 'instance', existing: string | undefined, runnerActive: boolean) {
    const script = heredoc(role === 'manager' ? userData('devops-runners-mr-manager') : userData('devops-runners-deploy-runners'), '/usr/local/sbin/runner-config');
    const box = sandbox({ aws: `echo ${NEW}`, systemctl: `[[ "$*" == "is-active --quiet gitlab-runner" ]] && exit ${runnerActive ? 0 : 3}; exit 0` });
    dirs.push(box.dir);
    writeFileSync(join(box.dir, 'config.template.toml'), 'token = "@RUNNER_TOKEN@"\n');
    if (existing) writeFileSync(join(box.dir, 'config.toml'), `token = "${existing}"\n`);
    const r = box.run(script, { RUNNER_CONFIG_DIR: box.dir });
    return { status: r.status, out: `${r.stdout}${r.stderr}`, config: existsSync(join(box.dir, 'config.toml')) ? readFileSync(join(box.dir, 'config.toml'), 'utf8') : '' };
  }

  it('never swaps the token of a running docker-autoscaler manager, and says how to rotate', () => {
    const r = setup('manager', OLD, true);
    expect(r.status).toBe(3);
    expect(r.config).toBe(`token = "${OLD}"\n`);
    expect(r.out).toContain("aws autoscaling start-instance-refresh --region eu-west-1 --auto-scaling-group-name devops-runners-mr-manager");
    expect(r.out).not.toContain(NEW);
  });

  it('writes the token at boot, on a stopped manager, and in instance mode (where the runner reloads it)', () => {
    for (const [role, existing, active] of [['manager', undefined, false], ['manager', OLD, false], ['instance', OLD, true], ['instance', undefined, false]] as const) {
      const r = setup(role, existing, active);
      expect([role, existing, r.status, r.config]).toEqual([role, existing, 0, `token = "${NEW}"\n`]);
      expect(r.out).not.toContain(NEW);
    }
  });

  it('leaves a config that already holds the token alone', () => {
    const r = setup('manager', NEW, true);
    expect(r.status).toBe(0);
    expect(r.out).toContain('already holds the token');
  });

  it('tells systemd not to retry a refused rotation', () => {
    const unit = heredoc(userData('devops-runners-mr-manager'), '/etc/systemd/system/runner-config.service');
    expect(unit).toContain('RestartPreventExitStatus=3');
  });
});

describe('install-gitlab-runner', () => {
  const script = () => heredoc(userData('devops-runners-mr-manager'), '/usr/local/sbin/install-gitlab-runner');
  const gpg = (home: string, ...args: string[]) => spawnSync('gpg', ['--batch', '--homedir', home, ...args], { encoding: 'utf8' });
  const hasGpg = spawnSync('gpg', ['--version']).status === 0;
  let root: string;
  let fingerprint: string;
  let otherHome: string;
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';

  beforeAll(() => {
    if (!hasGpg) return;
    root = mkdtempSync(join(tmpdir(), 'runner-release-'));
    const keyHome = join(root, 'signer');
    otherHome = join(root, 'other');
    for (const home of [keyHome, otherHome]) {
      spawnSync('mkdir', ['-m', '0700', '-p', home]);
      gpg(home, '--passphrase', '', '--quick-gen-key', `Signer ${home} <s@example.com>`, 'ed25519', 'sign', 'never');
    }
    fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(gpg(keyHome, '--with-colons', '--fingerprint').stdout)![1];
    const release = join(root, 'release');
    spawnSync('mkdir', ['-p', join(release, 'binaries')]);
    writeFileSync(join(release, 'binaries', `gitlab-runner-linux-${arch}`), '#!/bin/sh\necho runner\n');
    const sum = spawnSync('sha256sum', [`binaries/gitlab-runner-linux-${arch}`], { cwd: release, encoding: 'utf8' }).stdout;
    writeFileSync(join(release, 'release.sha256'), sum);
    gpg(keyHome, '--armor', '--detach-sign', '--output', join(release, 'release.sha256.asc'), join(release, 'release.sha256'));
    writeFileSync(join(root, 'key.gpg'), spawnSync('gpg', ['--batch', '--homedir', keyHome, '--export', fingerprint]).stdout);
    for (const home of [keyHome, otherHome]) spawnSync('gpgconf', ['--homedir', home, '--kill', 'all']);
  });
  afterAll(() => root && rmSync(root, { recursive: true, force: true }));

  /** Runs the install with a curl that serves the local release folder (and the key), after `tamper`. */
  function install(tamper: (release: string) => void = () => undefined, keyFile = join(root, 'key.gpg')) {
    const release = mkdtempSync(join(root, 'serve-'));
    spawnSync('cp', ['-r', `${join(root, 'release')}/.`, release]);
    tamper(release);
    const box = sandbox({
      curl: `out=""; url=""; while [[ $# -gt 0 ]]; do case $1 in -o) out=$2; shift 2 ;; -*) shift ;; *) url=$1; shift ;; esac; done
case $url in *key.gpg) src=${keyFile} ;; */v19.3.0/*) src=${release}/\${url#*/v19.3.0/} ;; *) exit 22 ;; esac
[[ -f $src ]] || exit 22; cp "$src" "$out"`,
    });
    const target = join(box.dir, 'gitlab-runner');
    const r = box.run(`${script()}`.replace('VERSION=$1', 'VERSION=19.3.0'), {
      RUNNER_RELEASE_KEY_FINGERPRINT: fingerprint,
      RUNNER_RELEASE_KEY_URL: 'https://keys.example/key.gpg',
      RUNNER_DOWNLOAD_BASE: 'https://downloads.example',
      RUNNER_INSTALL_PATH: target,
    });
    const installed = existsSync(target);
    rmSync(box.dir, { recursive: true, force: true });
    return { status: r.status, out: `${r.stdout}${r.stderr}`, installed };
  }

  (hasGpg ? it : it.skip)('installs a release whose checksum file carries the pinned key\'s signature and matches the binary', () => {
    const r = install();
    expect([r.status, r.installed]).toEqual([0, true]);
    expect(r.out).toContain(`signature by ${fingerprint} and checksum verified`);
  });

  (hasGpg ? it : it.skip)('refuses a release without a signature, with a tampered checksum file, signed by another key, or with a changed binary', () => {
    const unsigned = install((d) => rmSync(join(d, 'release.sha256.asc')));
    expect([unsigned.status === 0, unsigned.installed]).toEqual([false, false]);
    const tampered = install((d) => writeFileSync(join(d, 'release.sha256'), `${'0'.repeat(64)}  binaries/gitlab-runner-linux-${arch}\n`));
    expect([tampered.status, tampered.installed, tampered.out]).toEqual([1, false, expect.stringContaining('no valid signature')]);
    // Signed by another key that is served too: the signature verifies, but not by the pinned fingerprint.
    writeFileSync(join(root, 'both.gpg'), Buffer.concat([readFileSync(join(root, 'key.gpg')), spawnSync('gpg', ['--batch', '--homedir', otherHome, '--export']).stdout]));
    const foreign = install((d) => {
      gpg(otherHome, '--yes', '--armor', '--detach-sign', '--output', join(d, 'release.sha256.asc'), join(d, 'release.sha256'));
      spawnSync('gpgconf', ['--homedir', otherHome, '--kill', 'all']);
    }, join(root, 'both.gpg'));
    expect([foreign.status, foreign.installed, foreign.out]).toEqual([1, false, expect.stringContaining("is not signed by GitLab's key")]);
    const swapped = install((d) => writeFileSync(join(d, 'binaries', `gitlab-runner-linux-${arch}`), 'evil'));
    expect([swapped.status, swapped.installed]).toEqual([1, false]);
  });

  it('pins GitLab\'s package key by its documented fingerprint', () => {
    expect(script()).toContain(`KEY_FINGERPRINT=\${RUNNER_RELEASE_KEY_FINGERPRINT:-${RUNNER_RELEASE_KEY.fingerprint}}`);
    expect(RUNNER_RELEASE_KEY.fingerprint).toBe('931DA69CFA3AFEBBC97DAA8C6C57C29C6BA75A4E');
    expect(bashSyntax(script())).toBe('ok');
  });
});
