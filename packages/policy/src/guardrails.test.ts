import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tfStack } from './__fixtures__/stack';
import { enforceGuardrails } from './enforce';
import { formatReport, REPORT_FILE, runGuardrails, type GuardrailReport } from './guardrails';
import type { TerraformJson } from './terraform-json';

function synthOutput(stacks: Record<string, TerraformJson>, extraFiles: Record<string, string> = {}): string {
  const outdir = mkdtempSync(join(tmpdir(), 'guardrails-'));
  const manifest: Record<string, object> = {};
  for (const [name, json] of Object.entries(stacks)) {
    mkdirSync(join(outdir, 'stacks', name), { recursive: true });
    writeFileSync(join(outdir, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json, null, 2));
    manifest[name] = { name, synthesizedStackPath: `stacks/${name}/cdk.tf.json`, workingDirectory: `stacks/${name}` };
  }
  for (const [file, text] of Object.entries(extraFiles)) writeFileSync(join(outdir, file), text);
  writeFileSync(join(outdir, 'manifest.json'), JSON.stringify({ version: '0.21.0', stacks: manifest }));
  return outdir;
}

const goodVolume = { size: 100, type: 'gp3', encrypted: true, lifecycle: { prevent_destroy: true } };

describe('guardrails on a synth output', () => {
  it('passes a clean output and reports cost per stack and in total, with the diagram', () => {
    const outdir = synthOutput({
      'prod-a': tfStack({ 'aws_ebs_volume.v': goodVolume }, { environment: 'prod' }),
      'prod-b': tfStack({ 'aws_instance.i': { instance_type: 'm5.large', metadata_options: { http_tokens: 'required' }, root_block_device: { encrypted: true } } }, { environment: 'prod' }),
    });
    const report = runGuardrails(outdir);
    expect(report.failed).toBe(false);
    expect(report.environment).toBe('prod');
    expect(report.stacks.map((s) => [s.stack, s.cost.monthly > 0])).toEqual([
      ['prod-a', true],
      ['prod-b', true],
    ]);
    expect(report.monthlyCost).toBe(Math.round((report.stacks[0].cost.monthly + report.stacks[1].cost.monthly) * 100) / 100);
    expect(report.prices.label).toBe('estimate');
    expect(report.architecture).toContain('```mermaid');
  });

  it('fails on an unsuppressed high finding, naming construct path, rule and fix', () => {
    const outdir = synthOutput({ 'prod-a': tfStack({ 'aws_ebs_volume.v': { ...goodVolume, encrypted: false } }) });
    const lines: string[] = [];
    const report = enforceGuardrails(outdir, {}, (t) => lines.push(t));
    expect(report.failed).toBe(true);
    const text = lines.join('');
    expect(text).toContain('HIGH GLA-EBS-001 EBS volumes are encrypted [CKV_AWS_3, Trivy AWS-0026]');
    expect(text).toContain('at   test/v (prod-a: aws_ebs_volume.v)');
    expect(text).toContain('fix  Set encrypted = true');
    expect(text).toContain('synth failed: fix or suppress the findings above');
    // The report is written beside manifest.json for the main job.
    const written = JSON.parse(readFileSync(join(outdir, REPORT_FILE), 'utf8')) as GuardrailReport;
    expect(written.counts.high).toBe(1);
  });

  it('does not fail on medium and low findings, nor on suppressed high ones, but lists them in full mode', () => {
    const suppressed = { ...goodVolume, encrypted: false, '//': { suppressions: [{ rule: 'GLA-EBS-001', reason: 'scratch disk, wiped on every boot' }] } };
    const outdir = synthOutput({ 'prod-a': tfStack({ 'aws_ebs_volume.v': suppressed, 'aws_kms_key.k': { lifecycle: { prevent_destroy: true } } }) });
    const report = runGuardrails(outdir);
    expect(report.failed).toBe(false);
    expect(report.counts).toMatchObject({ high: 0, medium: 1, suppressed: 1 });
    expect(formatReport(report)).not.toContain('GLA-KMS-001');
    const full = formatReport(report, { all: true, cost: true });
    expect(full).toContain('MEDIUM GLA-KMS-001');
    expect(full).toContain('suppressed: scratch disk, wiped on every boot');
    expect(full).toContain('total: $');
  });

  it('fails on a secret in any synthesized file and never writes the secret into its own report', () => {
    const key = ['AKIA', 'ABCDEFGHIJKLMNOP'].join('');
    const outdir = synthOutput({ 'prod-a': tfStack({ 'aws_ebs_volume.v': goodVolume }) }, { 'notes.txt': `key ${key}\n` });
    const report = enforceGuardrails(outdir, {}, () => undefined);
    expect(report.failed).toBe(true);
    expect(report.secrets.map((s) => [s.file, s.kind])).toEqual([['notes.txt', 'AWS access key ID']]);
    expect(readFileSync(join(outdir, REPORT_FILE), 'utf8')).not.toContain(key);
    // A second run does not trip over the first run's report.
    expect(runGuardrails(outdir).secrets).toHaveLength(1);
  });

  it('lets the caller override the production setting the stacks carry', () => {
    const outdir = synthOutput({ 'dev-a': tfStack({ 'aws_ebs_volume.v': { ...goodVolume, lifecycle: {} } }, { production: false }) });
    expect(runGuardrails(outdir).failed).toBe(false);
    expect(runGuardrails(outdir, { production: true }).stacks[0].findings.map((f) => f.rule)).toEqual(['GLA-TF-001']);
  });

  it('says what to do when the folder holds no synth output', () => {
    const empty = mkdtempSync(join(tmpdir(), 'guardrails-'));
    expect(() => runGuardrails(empty)).toThrow('manifest.json does not exist: synthesize first');
    expect(existsSync(join(empty, REPORT_FILE))).toBe(false);
  });
});
