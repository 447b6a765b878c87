import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { currentPlatform } from '../terraform/provider-address';
import { workspaceRoot } from '../workspace/root';
import { writeSynthOutput } from '../testing/synth-output';

// The verify CLI as the plan target runs it, against a stand-in Terraform (a shell script that
// answers like Terraform) and a mirror holding a stand-in AWS provider: exit codes and messages.
jest.setTimeout(120_000);

const root = workspaceRoot();
const work = mkdtempSync(join(tmpdir(), 'verify-cli-'));

const synthOutput = (name: string, stacks: Record<string, object>): string => writeSynthOutput(join(work, name, 'cdktf.out'), stacks);

/** A Terraform that plans anything (or fails init when FAKE_TF_FAIL is set), after a short wait. */
const fakeTerraform = join(work, 'terraform');
writeFileSync(
  fakeTerraform,
  `#!/bin/sh
case "$1" in
  version) echo '{"terraform_version":"1.10.5"}' ;;
  init) [ -n "$FAKE_TF_FAIL" ] && { echo "Error: init broke" >&2; exit 1; }; exit 0 ;;
  plan) sleep "\${FAKE_TF_SLEEP:-0}"; echo "Plan: 1 to add, 0 to change, 0 to destroy." ;;
  show) echo '{}' ;;
esac
`,
);
chmodSync(fakeTerraform, 0o755);
const mirror = join(work, 'mirror');
const providerDir = join(mirror, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', currentPlatform());
mkdirSync(providerDir, { recursive: true });
writeFileSync(join(providerDir, 'terraform-provider-aws_v5.100.0_x5'), '');
const randomDir = join(mirror, 'registry.terraform.io', 'hashicorp', 'random', '3.7.2', currentPlatform());
mkdirSync(randomDir, { recursive: true });
writeFileSync(join(randomDir, 'terraform-provider-random_v3.7.2_x5'), '');

const aws = { terraform: { required_providers: { aws: { source: 'aws', version: '5.100.0' } } }, resource: { aws_s3_bucket: { b: { bucket: 'x' } } } };
const gitlab = { terraform: { required_providers: { gitlab: { source: 'gitlabhq/gitlab', version: '18.6.1' } } }, resource: { gitlab_project: { p: { name: 'x' } } } };

function verify(outdir: string, args: string[] = [], env: Record<string, string> = {}) {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(TERRAFORM_BINARY|TF_PROVIDER_|VERIFY_)/.test(k)));
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'tools/src/verify/cli.ts'), outdir, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...base, TERRAFORM_BINARY: fakeTerraform, TF_PROVIDER_MIRROR: mirror, VERIFY_CACHE_DIR: join(work, 'cache'), ...env },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('verify CLI exit status', () => {
  it('passes when every stack is planned, printing a line as each stack starts', () => {
    const r = verify(synthOutput('ok', { 'dev-a': aws }));
    expect(r.out).toContain('dev-a: planning (terraform init + plan)');
    expect(r.out).toContain('ok    dev-a: planned, 1 to add');
    expect(r.code).toBe(0);
  });

  it('prints which stacks are still planning while Terraform runs', () => {
    const r = verify(synthOutput('slow', { 'dev-slow': aws }), [], { FAKE_TF_SLEEP: '3', VERIFY_PROGRESS_SECONDS: '1' });
    expect(r.out).toMatch(/still planning: dev-slow \(\d+\.\ds\)/);
    expect(r.code).toBe(0);
  });

  it('plans a stack that needs another mirrored provider too, and says when no shared AWS provider process can start', () => {
    const both = { ...aws, terraform: { required_providers: { ...aws.terraform.required_providers, random: { source: 'hashicorp/random', version: '3.7.2' } } } };
    const r = verify(synthOutput('two-providers', { 'dev-two': both }));
    expect(r.out).toContain('ok    dev-two: planned, 1 to add');
    // The stand-in AWS provider is an empty file: it cannot serve, so Terraform starts the provider.
    expect(r.out).toMatch(/shared provider process not available, each plan starts its own: could not start/);
    expect(r.code).toBe(0);
  });

  it('rejects a worker count that is not a whole number, naming the variable', () => {
    const r = verify(synthOutput('bad-workers', { 'dev-a': aws }), [], { VERIFY_WORKERS: 'many' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('VERIFY_WORKERS="many": expected a whole number of at least 1');
  });

  it('fails when Terraform is absent: every stack is not planned', () => {
    const r = verify(synthOutput('no-tf', { 'dev-a': aws, gitlab }), ['--allow-gitlab-not-planned'], { TERRAFORM_BINARY: join(work, 'no-such-terraform') });
    expect(r.code).toBe(1);
    expect(r.out).toContain('verification FAILED: dev-a: not planned');
    // The GitLab allowance covers a missing GitLab provider, not a missing Terraform.
    expect(r.out).toContain('verification FAILED: gitlab: not planned');
  });

  it('fails when a stack fails, with Terraform\'s error', () => {
    const r = verify(synthOutput('broken', { 'dev-a': aws }), [], { FAKE_TF_FAIL: '1' });
    expect(r.code).toBe(1);
    expect(r.out).toContain('Error: init broke');
    expect(r.out).toContain('verification FAILED: dev-a: failed');
  });

  it('fails when an AWS stack is not planned (its provider is in no mirror), even with the GitLab allowance', () => {
    const old = { ...aws, terraform: { required_providers: { aws: { source: 'aws', version: '4.0.0' } } } };
    const r = verify(synthOutput('aws-missing', { 'dev-old': old }), ['--allow-gitlab-not-planned']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('verification FAILED: dev-old: not planned');
    expect(r.out).toContain('provider not available offline: registry.terraform.io/hashicorp/aws 4.0.0 is in no provider mirror (set TF_PROVIDER_MIRROR to a mirror that holds it');
  });

  it('names every missing provider of a stack, in the plural when there are several', () => {
    const chart = { terraform: { required_providers: { helm: { source: 'hashicorp/helm', version: '~> 3.0' }, kubernetes: { source: 'hashicorp/kubernetes', version: '~> 2.38' } } } };
    const r = verify(synthOutput('chart', { 'dev-chart': chart }), ['--allow-gitlab-not-planned']);
    expect(r.out).toContain(
      'providers not available offline: registry.terraform.io/hashicorp/helm ~> 3.0, registry.terraform.io/hashicorp/kubernetes ~> 2.38 are in no provider mirror (set TF_PROVIDER_MIRROR to a mirror that holds them',
    );
    expect(r.code).toBe(0);
  });

  it('fails a GitLab-provider stack that is not planned unless the job says so explicitly (flag or variable)', () => {
    const outdir = synthOutput('gitlab', { 'dev-a': aws, 'devops-gitlab-ci': gitlab });
    const silent = verify(outdir);
    expect(silent.code).toBe(1);
    expect(silent.out).toContain('devops-gitlab-ci: not planned (only the GitLab provider is missing: set VERIFY_ALLOW_GITLAB_NOT_PLANNED=1');
    const flag = verify(outdir, ['--allow-gitlab-not-planned']);
    expect([flag.code, flag.out]).toEqual([0, expect.stringContaining('GitLab-provider and chart (helm/kubernetes) stacks may be not planned here')]);
    expect(verify(outdir, [], { VERIFY_ALLOW_GITLAB_NOT_PLANNED: '1' }).code).toBe(0);
  });

  it('fails on an empty synth output and removes the previous report when there is no synth output at all', () => {
    expect(verify(synthOutput('empty', {})).code).toBe(1);
    const outdir = synthOutput('gone', { 'dev-a': aws });
    const reportFile = join(work, 'gone', '.verify', 'report.json');
    expect(verify(outdir, ['--plan-json']).code).toBe(0);
    expect(existsSync(reportFile)).toBe(true);
    expect(existsSync(join(work, 'gone', '.verify', 'plans', 'dev-a.json'))).toBe(true);
    rmSync(join(outdir, 'manifest.json'));
    const r = verify(outdir, ['--plan-json']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('manifest.json does not exist: synthesize first');
    expect(existsSync(reportFile)).toBe(false);
    expect(existsSync(join(work, 'gone', '.verify', 'plans'))).toBe(false);
  });
});
