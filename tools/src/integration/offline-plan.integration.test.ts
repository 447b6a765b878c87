import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findTerraform } from '../terraform/find-terraform';
import type { VerificationReport } from '../verify/report';
import { verifySynthOutput } from '../verify/verify';
import { environmentApps } from '../workspace/environment-apps';
import { workspaceRoot } from '../workspace/root';

// The real thing: every example environment synthesized, every stack planned by the real Terraform
// binary with the real AWS provider from the local mirror. Slow by nature (seconds per stack).
jest.setTimeout(15 * 60_000);

const root = workspaceRoot();
const work = mkdtempSync(join(tmpdir(), 'integration-'));

function synth(appDir: string, outdir: string): void {
  mkdirSync(outdir, { recursive: true });
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: appDir, encoding: 'utf8', env: { ...process.env, CDKTF_OUTDIR: outdir } });
  if (r.status !== 0) throw new Error(`synth of ${appDir} failed:\n${r.stderr}`);
}

describe('offline verification of every example environment', () => {
  beforeAll(() => {
    if (!findTerraform()) throw new Error('no Terraform binary on PATH (or TERRAFORM_BINARY): the integration test needs the real one');
  });

  const apps = environmentApps(root);
  it('has the three example environments at least', () => {
    expect(apps.map((a) => a.name)).toEqual(expect.arrayContaining(['devops', 'dev', 'prod']));
  });

  it.each(apps.map((a) => [a.name, a.dir]))('%s: synthesizes, and every AWS stack plans with every declared resource', async (name, dir) => {
    const outdir = join(work, name, 'cdktf.out');
    synth(dir, outdir);
    const before = readFileSync(join(outdir, 'manifest.json'), 'utf8');
    const report = await verifySynthOutput({ outdir, workRoot: join(work, name, 'work'), planJsonDir: join(work, name, 'plans') });
    expect(report.stacks.length).toBeGreaterThan(0);
    for (const s of report.stacks) {
      // Stacks of the GitLab provider, and the Kubernetes-side stack (helm, kubernetes), cannot be
      // planned without those providers; the AWS provider is always in the mirror.
      const needsUnmirrored = /gitlabhq\/gitlab|hashicorp\/(helm|kubernetes)/.test(s.reason ?? '') && !(s.reason ?? '').includes('hashicorp/aws');
      if (needsUnmirrored) {
        expect(s.status).toBe('not-planned');
      } else {
        expect([s.stack, s.status, s.reason]).toEqual([s.stack, 'planned', undefined]);
        expect(s.resources).toBeGreaterThan(0);
        // A first plan creates everything the stack declares.
        expect(s.plan).toEqual({ add: s.resources, change: 0, destroy: 0 });
      }
    }
    // The synthesized output is left as it was: overrides live in the working copies only.
    expect(readFileSync(join(outdir, 'manifest.json'), 'utf8')).toBe(before);
  });
});

describe('the schema proxy changes no plan', () => {
  /** Plan JSON without the moment it was made; Terraform writes relevant_attributes in no fixed order. */
  const planOf = (file: string) => {
    const plan = JSON.parse(readFileSync(file, 'utf8')) as { timestamp?: string; relevant_attributes?: unknown[] };
    return { ...plan, timestamp: undefined, relevant_attributes: plan.relevant_attributes?.map((a) => JSON.stringify(a)).sort() };
  };

  it('gitlab-3k (the largest stack) planned the plain way, each command starting its own provider, gives the same plan JSON', async () => {
    const app = environmentApps(root).find((a) => a.name === 'gitlab-3k');
    if (!app) throw new Error('the gitlab-3k example environment is gone: point this test at the largest example stack');
    const proxied = join(work, 'gitlab-3k', 'plans');
    const plain = await verifySynthOutput({ outdir: join(work, 'gitlab-3k', 'cdktf.out'), workRoot: join(work, 'plain-work'), shareProviders: false, planJsonDir: join(work, 'plain-plans') });
    const planned = plain.stacks.filter((s) => s.status === 'planned').map((s) => s.stack);
    expect(planned.length).toBeGreaterThanOrEqual(3);
    for (const stack of planned) expect([stack, planOf(join(work, 'plain-plans', `${stack}.json`))]).toEqual([stack, planOf(join(proxied, `${stack}.json`))]);
  });
});

describe('offline verification reports what it cannot do, never skips silently', () => {
  function fakeOutput(stacks: Record<string, object>): string {
    const outdir = join(work, `fake-${Object.keys(stacks).join('-')}`);
    const manifest: Record<string, object> = {};
    for (const [name, json] of Object.entries(stacks)) {
      mkdirSync(join(outdir, 'stacks', name), { recursive: true });
      writeFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json));
      manifest[name] = { name, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, workingDirectory: `stacks/${name}` };
    }
    writeFileSync(join(outdir, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: manifest }));
    return outdir;
  }
  const aws = { required_providers: { aws: { source: 'aws', version: '5.100.0' } } };

  let report: VerificationReport;
  beforeAll(async () => {
    report = await verifySynthOutput({
      outdir: fakeOutput({
        broken: { terraform: aws, provider: { aws: [{ region: 'eu-west-1' }] }, resource: { aws_s3_bucket: { b: { bucket: 'x', no_such_argument: true } } } },
        gitlab: { terraform: { required_providers: { gitlab: { source: 'gitlabhq/gitlab', version: '18.6.1' } } }, resource: { gitlab_project: { p: { name: 'x' } } } },
        'wrong-version': { terraform: { required_providers: { aws: { source: 'aws', version: '4.0.0' } } } },
      }),
      workRoot: join(work, 'fake-work'),
    });
  });

  it('fails a stack Terraform rejects, with Terraform\'s own error', () => {
    const broken = report.stacks.find((s) => s.stack === 'broken')!;
    expect(broken.status).toBe('failed');
    expect(broken.reason).toContain('Error: Extraneous JSON object property');
    expect(broken.reason).toContain('No argument or block type is named "no_such_argument".');
  });

  it('names the provider that keeps a stack from being planned', () => {
    const gitlab = report.stacks.find((s) => s.stack === 'gitlab')!;
    expect(gitlab).toMatchObject({ status: 'not-planned', resources: 1 });
    expect(gitlab.reason).toContain('registry.terraform.io/gitlabhq/gitlab 18.6.1 is in no provider mirror');
    expect(report.stacks.find((s) => s.stack === 'wrong-version')!.reason).toContain('registry.terraform.io/hashicorp/aws 4.0.0 is in no provider mirror');
  });
});
