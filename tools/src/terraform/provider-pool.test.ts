import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '../workspace/root';
import { parseReattach, startDebugProvider } from './debug-provider';
import { ProviderPool } from './provider-pool';
import { mapLimit } from './run-process';

// The pool and the debug-mode start against a stand-in provider: a node script that prints the
// reattach line the real one prints (or misbehaves as told), and keeps a child of its own so the
// test sees the whole process group end. The real provider is exercised by the integration test.
jest.setTimeout(30_000);

const work = mkdtempSync(join(tmpdir(), 'provider-pool-'));
const fake = join(work, 'terraform-provider-aws_v5.100.0_x5');
writeFileSync(
  fake,
  `#!/usr/bin/env node
const { spawn } = require('node:child_process');
const { writeFileSync } = require('node:fs');
if (process.env.FAKE_ENV_FILE) writeFileSync(process.env.FAKE_ENV_FILE, JSON.stringify(process.env));
if (process.env.FAKE_MODE === 'exit') { console.error('cannot serve'); process.exit(3); }
const child = spawn('sleep', ['600'], { stdio: 'ignore' });
if (process.env.FAKE_CHILD_FILE) writeFileSync(process.env.FAKE_CHILD_FILE, String(child.pid));
if (process.env.FAKE_MODE !== 'silent') {
  const reattach = { 'registry.terraform.io/hashicorp/aws': { Protocol: 'grpc', ProtocolVersion: 5, Pid: process.pid, Test: true, Addr: { Network: 'unix', String: '/tmp/plugin' + process.pid } } };
  process.stdout.write('Provider started. To attach Terraform CLI, set the TF_REATTACH_PROVIDERS environment variable with the following:\\n\\n');
  process.stdout.write("\\tTF_REATTACH_PROVIDERS='" + JSON.stringify(reattach) + "'\\n\\n");
}
setInterval(() => {}, 1000);
`,
);
chmodSync(fake, 0o755);

const ADDRESS = 'registry.terraform.io/hashicorp/aws';
const running = (pid: number) => existsSync(`/proc/${pid}`) && !/^\S+ \S+ Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/\(.*\)/, 'x'));
const start = (env: Record<string, string> = {}, timeoutMs = 10_000, signal?: AbortSignal) =>
  startDebugProvider(fake, { address: ADDRESS, env: { PATH: process.env.PATH, ...env }, timeoutMs, ...(signal ? { signal } : {}) });

describe('parseReattach', () => {
  it('takes the one provider of the line and keys it by the address the plans use', () => {
    const line = `\tTF_REATTACH_PROVIDERS='{"registry.terraform.io/hashicorp/aws":{"Protocol":"grpc","Pid":7}}'\n`;
    expect(JSON.parse(parseReattach(line, 'registry.opentofu.org/hashicorp/aws')!)).toEqual({ 'registry.opentofu.org/hashicorp/aws': { Protocol: 'grpc', Pid: 7 } });
  });
  it('waits for the whole line', () => {
    expect(parseReattach(`TF_REATTACH_PROVIDERS='{"a/b/c":{"Pid":7}`, ADDRESS)).toBeUndefined();
  });
});

describe('startDebugProvider', () => {
  it('serves a reattach value, never passes AWS_CA_BUNDLE on, and stop() ends its whole process group', async () => {
    const envFile = join(work, 'env.json');
    const childFile = join(work, 'child.pid');
    const p = await start({ AWS_CA_BUNDLE: '/etc/ssl/certs/ca.pem', AWS_REGION: 'eu-west-1', FAKE_ENV_FILE: envFile, FAKE_CHILD_FILE: childFile });
    expect(JSON.parse(p.reattach)[ADDRESS].Pid).toBe(p.pid);
    const seen = JSON.parse(readFileSync(envFile, 'utf8')) as Record<string, string>;
    expect(seen.AWS_CA_BUNDLE).toBeUndefined();
    expect(seen.AWS_REGION).toBe('eu-west-1');
    const grandchild = Number(readFileSync(childFile, 'utf8'));
    expect([running(p.pid), running(grandchild), p.alive()]).toEqual([true, true, true]);
    await p.stop();
    await new Promise((r) => setTimeout(r, 200));
    expect([running(p.pid), running(grandchild), p.alive()]).toEqual([false, false, false]);
  });

  it('gives up after the time limit when no reattach line comes, and ends the process', async () => {
    const childFile = join(work, 'silent-child.pid');
    await expect(start({ FAKE_MODE: 'silent', FAKE_CHILD_FILE: childFile }, 1500)).rejects.toThrow(/no TF_REATTACH_PROVIDERS line within 1500 ms/);
    await new Promise((r) => setTimeout(r, 200));
    expect(running(Number(readFileSync(childFile, 'utf8')))).toBe(false);
  });

  it('says so when the provider exits instead of serving, with its last words', async () => {
    await expect(start({ FAKE_MODE: 'exit' })).rejects.toThrow(/exited \(code 3\).*cannot serve/s);
  });

  it('ends a provider that is still starting when aborted', async () => {
    const abort = new AbortController();
    const childFile = join(work, 'aborted-child.pid');
    const started = start({ FAKE_MODE: 'silent', FAKE_CHILD_FILE: childFile }, 10_000, abort.signal);
    while (!existsSync(childFile)) await new Promise((r) => setTimeout(r, 50));
    abort.abort();
    await expect(started).rejects.toThrow(/exited/);
    expect(running(Number(readFileSync(childFile, 'utf8')))).toBe(false);
  });
});

describe('ProviderPool', () => {
  it('never leases one process to two workers at once, reuses them, and ends them all on close', async () => {
    const pool = new ProviderPool({ size: 2, start: (signal) => start({}, 10_000, signal) });
    const inUse = new Set<number>();
    const used: number[] = [];
    await mapLimit([1, 2, 3, 4, 5, 6], 2, async () => {
      const p = (await pool.lease())!;
      expect(inUse.has(p.pid)).toBe(false);
      inUse.add(p.pid);
      used.push(p.pid);
      await new Promise((r) => setTimeout(r, 30));
      inUse.delete(p.pid);
      pool.release(p);
    });
    expect(pool.started).toHaveLength(2);
    expect(new Set(used)).toEqual(new Set(pool.started));
    await pool.close();
    expect(pool.started.filter(running)).toEqual([]);
  });

  it('refuses more leases than processes', async () => {
    const pool = new ProviderPool({ size: 1, start: (signal) => start({}, 10_000, signal) });
    await pool.lease();
    await expect(pool.lease()).rejects.toThrow(/more leases than the 1 provider processes/);
    await pool.close();
  });

  it('replaces a process that died', async () => {
    const pool = new ProviderPool({ size: 1, start: (signal) => start({}, 10_000, signal) });
    const first = (await pool.lease())!;
    await first.stop();
    pool.release(first);
    const second = (await pool.lease())!;
    expect(second.pid).not.toBe(first.pid);
    expect(second.alive()).toBe(true);
    await pool.close();
    expect(second.alive()).toBe(false);
  });

  it('falls back (no lease) after one failed start, says why once, and tries no more', async () => {
    const reasons: string[] = [];
    let starts = 0;
    const pool = new ProviderPool({
      size: 2,
      start: () => {
        starts++;
        return Promise.reject(new Error('no reattach line'));
      },
      onFallback: (why) => reasons.push(why),
    });
    expect(await pool.lease()).toBeUndefined();
    expect(await pool.lease()).toBeUndefined();
    expect([starts, reasons]).toEqual([1, ['no reattach line']]);
    await pool.close();
  });

  it('ends its processes when the process running it is interrupted', () => {
    const script = join(work, 'interrupted.ts');
    writeFileSync(
      script,
      `import { ProviderPool } from ${JSON.stringify(join(__dirname, 'provider-pool'))};
import { startDebugProvider } from ${JSON.stringify(join(__dirname, 'debug-provider'))};
const pool = new ProviderPool({ size: 2, start: (signal) => startDebugProvider(${JSON.stringify(fake)}, { address: 'a/b/c', env: process.env, signal }) });
Promise.all([pool.lease(), pool.lease()]).then((ps) => {
  console.log(ps.map((p) => p!.pid).join(' '));
  process.kill(process.pid, 'SIGINT');
  setTimeout(() => console.log('still running'), 5000);
});
`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: workspaceRoot(), encoding: 'utf8', timeout: 25_000 });
    expect(r.signal).toBe('SIGINT');
    const pids = r.stdout.trim().split(' ').map(Number);
    expect(pids).toHaveLength(2);
    expect(pids.filter(running)).toEqual([]);
  });
});
