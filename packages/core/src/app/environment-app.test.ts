import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

// synthEnvironmentApp ends the process on failure, so each case runs a real main.ts in a child.
jest.setTimeout(60_000);

const core = resolve(__dirname, '..', 'index.ts');
const volume = require.resolve('@cdktf/provider-aws/lib/ebs-volume');
// The app lives in a temp folder, outside node_modules' reach: load tsx by its path.
const tsx = pathToFileURL(join(dirname(require.resolve('tsx/package.json')), 'dist', 'loader.mjs')).href;

function runApp(production: boolean, volumeProps: string): { status: number | null; stderr: string; stdout: string; outdir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'env-app-'));
  mkdirSync(join(dir, 'environments'));
  writeFileSync(
    join(dir, 'environments', 'dev.json'),
    JSON.stringify({ name: 'dev', kind: 'hub', accountId: '111111111111', region: 'eu-west-1', owner: 'platform-team', guardrails: { production } }),
  );
  mkdirSync(join(dir, 'app'));
  writeFileSync(
    join(dir, 'app', 'main.ts'),
    `import { synthEnvironmentApp, EnvironmentStack } from ${JSON.stringify(core)};
import { EbsVolume } from ${JSON.stringify(volume)};
synthEnvironmentApp({
  appDir: __dirname,
  environmentFile: '../environments/dev.json',
  compose: (app, environment) => {
    const stack = new EnvironmentStack(app, { environment, component: 'data' });
    new EbsVolume(stack, 'gitaly', ${volumeProps});
  },
});
`,
  );
  const outdir = join(dir, 'app', 'cdktf.out');
  const r = spawnSync(process.execPath, ['--import', tsx, 'main.ts'], { cwd: join(dir, 'app'), encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: outdir } });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout, outdir };
}

describe('synthEnvironmentApp guardrails', () => {
  it('fails the synth on an unsuppressed high finding, naming construct path, rule and fix', () => {
    const r = runApp(false, `{ availabilityZone: 'eu-west-1a', size: 100 }`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('HIGH GLA-EBS-001 EBS volumes are encrypted');
    expect(r.stderr).toContain('at   dev-data/gitaly (dev-data: aws_ebs_volume.gitaly)');
    expect(r.stderr).toContain('fix  Set encrypted = true');
    expect(existsSync(join(r.outdir, 'guardrails.json'))).toBe(true);
  });

  it('passes a compliant stack, and applies production rules from the environment file', () => {
    const ok = runApp(false, `{ availabilityZone: 'eu-west-1a', size: 100, encrypted: true }`);
    expect([ok.status, ok.stdout]).toEqual([0, expect.stringContaining('guardrails dev: passed')]);
    const report = JSON.parse(readFileSync(join(ok.outdir, 'guardrails.json'), 'utf8')) as { stacks: { context: object }[] };
    expect(report.stacks[0].context).toEqual({ environment: 'dev', production: false });
    // The same volume in a production environment needs prevent_destroy.
    const prod = runApp(true, `{ availabilityZone: 'eu-west-1a', size: 100, encrypted: true }`);
    expect(prod.status).toBe(1);
    expect(prod.stderr).toContain('HIGH GLA-TF-001');
  });
});
