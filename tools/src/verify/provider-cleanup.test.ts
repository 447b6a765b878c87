import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentPlatform } from '../terraform/provider-address';
import { writeSynthOutput } from '../testing/synth-output';
import { workspaceRoot } from '../workspace/root';

// The verifier starts one AWS provider process per worker and must end every one of them however
// the run ends. Here the mirror holds a stand-in provider that serves like the real one in debug
// mode and records its PID; a stand-in Terraform fails plans or takes its time, as told.
jest.setTimeout(90_000);

const root = workspaceRoot();
const work = mkdtempSync(join(tmpdir(), 'provider-cleanup-'));
const pids = join(work, 'pids');
mkdirSync(pids);

const providerDir = join(work, 'mirror', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', currentPlatform());
mkdirSync(providerDir, { recursive: true });
const provider = join(providerDir, 'terraform-provider-aws_v5.100.0_x5');
writeFileSync(
  provider,
  `#!/usr/bin/env node
require('node:fs').writeFileSync(require('node:path').join(process.env.FAKE_PID_DIR, String(process.pid)), '');
const reattach = { 'registry.terraform.io/hashicorp/aws': { Protocol: 'grpc', ProtocolVersion: 5, Pid: process.pid, Test: true, Addr: { Network: 'unix', String: '/tmp/plugin' + process.pid } } };
process.stdout.write("Provider started.\\n\\n\\tTF_REATTACH_PROVIDERS='" + JSON.stringify(reattach) + "'\\n\\n");
setInterval(() => {}, 1000);
`,
);
chmodSync(provider, 0o755);

const terraform = join(work, 'terraform');
writeFileSync(
  terraform,
  `#!/bin/sh
case "$1" in
  version) echo '{"terraform_version":"1.10.5"}' ;;
  init) exit 0 ;;
  plan) [ -n "$TF_REATTACH_PROVIDERS" ] && printf '%s' "$TF_REATTACH_PROVIDERS" > "$FAKE_PID_DIR/attached"; sleep "\${FAKE_TF_SLEEP:-0}"; [ -n "$FAKE_PLAN_FAIL" ] && { echo "Error: plan broke" >&2; exit 1; }; echo "Plan: 1 to add, 0 to change, 0 to destroy." ;;
  show) echo '{}' ;;
esac
`,
);
chmodSync(terraform, 0o755);

const aws = { terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } }, resource: { aws_s3_bucket: { b: { bucket: 'x' } } } };
const outdir = writeSynthOutput(join(work, 'app', 'cdktf.out'), { 'dev-a': aws, 'dev-b': aws, 'dev-c': aws });

/** The runs' temporary folder, where each schema proxy makes its socket folder. */
const tmp = join(work, 'tmp');
mkdirSync(tmp);
const proxyDirs = () => readdirSync(tmp).filter((f) => f.startsWith('tf-schema-proxy-'));

const env = (extra: Record<string, string>) => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TERRAFORM_BINARY|TF_PROVIDER_|VERIFY_)/.test(k))),
  TERRAFORM_BINARY: terraform,
  TF_PROVIDER_MIRROR: join(work, 'mirror'),
  VERIFY_CACHE_DIR: join(work, 'cache'),
  VERIFY_WORKERS: '2',
  FAKE_PID_DIR: pids,
  TMPDIR: tmp,
  ...extra,
});
const started = () => readdirSync(pids).filter((f) => /^\d+$/.test(f)).map(Number);
const running = (pid: number) => existsSync(`/proc/${pid}`) && !/^\S+ \S+ Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/\(.*\)/, 'x'));
const reset = () => spawnSync('sh', ['-c', `rm -f "${pids}"/*`]);

describe('provider processes end with the verification', () => {
  beforeEach(reset);

  it('after failing plans: the plans attached to started providers, and none is left', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'tools/src/verify/cli.ts'), outdir], { cwd: root, encoding: 'utf8', env: env({ FAKE_PLAN_FAIL: '1' }) });
    expect(r.status).toBe(1);
    expect(`${r.stdout}${r.stderr}`).toContain('Error: plan broke');
    // Terraform attached through a schema proxy's socket, and the proxies are gone too.
    expect(readFileSync(join(pids, 'attached'), 'utf8')).toContain(join(tmp, 'tf-schema-proxy-'));
    expect(started().length).toBeGreaterThanOrEqual(1);
    expect(started().length).toBeLessThanOrEqual(2);
    expect(started().filter(running)).toEqual([]);
    expect(proxyDirs()).toEqual([]);
  });

  it('after Ctrl-C while plans run: the run stops and none is left', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'tools/src/verify/cli.ts'), outdir], { cwd: root, env: env({ FAKE_TF_SLEEP: '60' }), stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ?? code)));
    for (let waited = 0; !existsSync(join(pids, 'attached')) && waited < 60_000; waited += 200) await new Promise((r) => setTimeout(r, 200));
    expect(started().length).toBeGreaterThanOrEqual(1);
    expect(proxyDirs().length).toBeGreaterThanOrEqual(1);
    child.kill('SIGINT');
    const how = await exited;
    expect(how === 'SIGINT' || how === 130).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(started().filter(running)).toEqual([]);
    expect(proxyDirs()).toEqual([]);
  });
});
