import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTerraform } from '../terraform/find-terraform';
import { verifySynthOutput } from '../verify/verify';
import { workspaceRoot } from '../workspace/root';
import { writeSynthOutput } from '../testing/synth-output';

// The shared AWS provider process with the real Terraform and the real provider from the mirror,
// on one-resource stacks so it stays quick: plans as before, and no provider process outlives a
// failing plan or an interrupted run.
jest.setTimeout(180_000);

const root = workspaceRoot();
const work = mkdtempSync(join(tmpdir(), 'shared-provider-'));
const cacheDir = join(work, 'cache');

const synthOutput = (name: string, stacks: Record<string, object>): string => writeSynthOutput(join(work, name, 'cdktf.out'), stacks);

const bucketStack = (bucket: string, extra: object = {}) => ({
  terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } },
  provider: { aws: [{ region: 'eu-west-1' }] },
  resource: { aws_s3_bucket: { b: { bucket, ...extra } } },
});
const running = (pid: number) => existsSync(`/proc/${pid}`) && !/^\d+ x Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/\(.*\)/, 'x'));
/** The plan JSON without the moment it was made. */
const planOf = (file: string) => ({ ...JSON.parse(readFileSync(file, 'utf8')), timestamp: undefined });

beforeAll(() => {
  if (!findTerraform()) throw new Error('no Terraform binary on PATH (or TERRAFORM_BINARY): the integration test needs the real one');
});

describe('one shared AWS provider process per worker', () => {
  it('plans stack after stack on one process (even with AWS_CA_BUNDLE set), reports a failing plan, and leaves no process behind', async () => {
    const outdir = synthOutput('mixed', {
      first: bucketStack('first-bucket'),
      broken: bucketStack('broken-bucket', { no_such_argument: true }),
      second: bucketStack('second-bucket'),
    });
    const pids: number[] = [];
    const notes: string[] = [];
    const report = await verifySynthOutput({
      outdir,
      cacheDir,
      concurrency: 1,
      planJsonDir: join(work, 'mixed', 'plans'),
      env: { ...process.env, AWS_CA_BUNDLE: '/etc/ssl/certs/ca-certificates.crt' },
      onProviderStart: (pid) => pids.push(pid),
      onNote: (line) => notes.push(line),
    });
    expect(report.stacks.map((s) => [s.stack, s.status, s.plan])).toEqual([
      ['first', 'planned', { add: 1, change: 0, destroy: 0 }],
      ['broken', 'failed', undefined],
      ['second', 'planned', { add: 1, change: 0, destroy: 0 }],
    ]);
    expect(report.stacks[1].reason).toMatch(/no_such_argument/);
    // One process served all three plans (the third configured it a third time), and it is gone.
    expect(pids).toHaveLength(1);
    expect(notes.join('\n')).not.toMatch(/not available/);
    expect(notes.join('\n')).toMatch(/behind a schema proxy/);
    expect(pids.filter(running)).toEqual([]);

    // The same stack planned the plain way (Terraform starts the provider) gives the same plan JSON.
    const plain = await verifySynthOutput({
      outdir: synthOutput('plain', { first: bucketStack('first-bucket') }),
      cacheDir,
      shareProviders: false,
      planJsonDir: join(work, 'plain', 'plans'),
    });
    expect(plain.stacks[0].status).toBe('planned');
    expect(planOf(join(work, 'plain', 'plans', 'first.json'))).toEqual(planOf(join(work, 'mixed', 'plans', 'first.json')));
  });

  it('behind the schema proxy: data sources plan, a misspelled type fails as plain Terraform fails it, and plans match', async () => {
    const withData = {
      ...bucketStack('data-bucket'),
      data: { aws_iam_policy_document: { read: { statement: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::data-bucket/*'] }] } } },
      output: { policy: { value: '${data.aws_iam_policy_document.read.json}' } },
    };
    const misspelled = { ...bucketStack('typo-bucket'), resource: { aws_s3_buckett: { b: { bucket: 'typo-bucket' } } } };
    const stacks = { 'with-data': withData, misspelled };
    const run = (name: string, viaProxy: boolean, notes: string[] = []) =>
      verifySynthOutput({
        outdir: synthOutput(name, stacks),
        cacheDir,
        concurrency: 1,
        shareProviders: viaProxy,
        planJsonDir: join(work, name, 'plans'),
        onNote: (line) => notes.push(line),
      });
    const notes: string[] = [];
    const proxied = await run('proxied', true, notes);
    const plain = await run('plain-typo', false);
    expect(notes.join('\n')).toMatch(/behind a schema proxy/);
    expect(proxied.stacks.map((s) => [s.stack, s.status])).toEqual([
      ['with-data', 'planned'],
      ['misspelled', 'failed'],
    ]);
    expect(plain.stacks.map((s) => s.status)).toEqual(['planned', 'failed']);
    // Word for word plain Terraform's error, suggestion included (the proxy passes every schema then).
    expect(plain.stacks[1].reason).toMatch(/Invalid resource type[\s\S]*aws_s3_buckett[\s\S]*aws_s3_bucket"/);
    expect(proxied.stacks[1].reason).toBe(plain.stacks[1].reason);
    expect(planOf(join(work, 'proxied', 'plans', 'with-data.json'))).toEqual(planOf(join(work, 'plain-typo', 'plans', 'with-data.json')));
  });

  it('ends the provider process when the verification is interrupted (SIGINT)', async () => {
    const outdir = synthOutput('interrupted', { only: bucketStack('only-bucket') });
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'tools/src/verify/cli.ts'), outdir, '--concurrency', '1'], {
      cwd: root,
      env: { ...process.env, VERIFY_CACHE_DIR: cacheDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const pid = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /provider process (\d+) serves/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', () => reject(new Error(`the verification ended before its provider process started:\n${out}`)));
    });
    expect(running(pid)).toBe(true);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGINT');
    expect(await exited).toBe('SIGINT');
    await new Promise((r) => setTimeout(r, 300));
    expect(running(pid)).toBe(false);
  });
});
