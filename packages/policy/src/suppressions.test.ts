import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance';
import { checkStack } from './check';
import { blockingFindings } from './report-text';
import { setGuardrailContext } from './cdktf/context';
import { suppress } from './cdktf/suppress';
import { tfStack } from './__fixtures__/stack';
import type { TerraformJson } from './terraform-json';

const unversioned = (suppressions?: unknown) => tfStack({ 'aws_s3_bucket.b': { bucket: 'x', ...(suppressions ? { '//': { suppressions } } : {}) } });

describe('suppressions in the JSON', () => {
  it('mark the finding suppressed with its reason, so it no longer blocks', () => {
    const json = unversioned([{ rule: 'GLA-S3-001', reason: 'access is controlled by the account-level block' }]);
    const { findings } = checkStack('s', json);
    const pab = findings.find((f) => f.rule === 'GLA-S3-001')!;
    expect(pab.suppressed).toBe('access is controlled by the account-level block');
    expect(blockingFindings(findings).map((f) => f.rule)).not.toContain('GLA-S3-001');
    // The unsuppressed rules on the same bucket still fire.
    expect(findings.find((f) => f.rule === 'GLA-S3-005')!.suppressed).toBeUndefined();
  });

  it('are an error of their own without a reason, and do not suppress', () => {
    const { findings } = checkStack('s', unversioned([{ rule: 'GLA-S3-001', reason: '  ' }]));
    const error = findings.find((f) => f.rule === 'GLA-SUP-001')!;
    expect(error.severity).toBe('high');
    expect(error.message).toContain('the suppression of GLA-S3-001 gives no reason');
    expect(findings.find((f) => f.rule === 'GLA-S3-001')!.suppressed).toBeUndefined();
    expect(blockingFindings(findings).map((f) => f.rule)).toEqual(expect.arrayContaining(['GLA-SUP-001', 'GLA-S3-001']));
  });

  it('are an error when they name an unknown rule', () => {
    const { findings } = checkStack('s', unversioned([{ rule: 'GLA-NOPE-001', reason: 'a typo in the rule ID' }]));
    expect(findings.find((f) => f.rule === 'GLA-SUP-001')!.message).toContain('unknown rule "GLA-NOPE-001"');
  });

  it('that match no finding are listed for removal', () => {
    const { unusedSuppressions } = checkStack('s', unversioned([{ rule: 'GLA-RDS-001', reason: 'left over from an older design' }]));
    expect(unusedSuppressions).toEqual([{ path: 'test/b', rule: 'GLA-RDS-001' }]);
  });
});

describe('suppress() on constructs', () => {
  function synth(build: (stack: TerraformStack) => void): TerraformJson {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'stack');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    build(stack);
    const outdir = Testing.fullSynth(stack);
    return JSON.parse(readFileSync(join(outdir, 'stacks', 'stack', 'cdk.tf.json'), 'utf8')) as TerraformJson;
  }

  it('records the suppression in the synthesized JSON, where the checker reads it by construct path', () => {
    const json = synth((stack) => {
      const bucket = new S3Bucket(stack, 'cache', { bucket: 'cache' });
      suppress(bucket, 'GLA-S3-005', 'runner cache: every object is disposable');
      suppress(bucket, 'GLA-S3-004', 'only reached through the VPC endpoint by the runners');
    });
    const f = checkStack('stack', json).findings.filter((x) => x.suppressed);
    expect(f.map((x) => [x.rule, x.path, x.suppressed])).toEqual([
      ['GLA-S3-004', 'stack/cache', 'only reached through the VPC endpoint by the runners'],
      ['GLA-S3-005', 'stack/cache', 'runner cache: every object is disposable'],
    ]);
  });

  it('on a higher-level construct applies to every resource below it', () => {
    const json = synth((stack) => {
      const group = new Construct(stack, 'data');
      new DbInstance(group, 'one', { instanceClass: 'db.t3.micro', engine: 'postgres' });
      new DbInstance(group, 'two', { instanceClass: 'db.t3.micro', engine: 'postgres' });
      suppress(group, 'GLA-RDS-003', 'a throwaway database for tests');
    });
    const multiAz = checkStack('stack', json).findings.filter((x) => x.rule === 'GLA-RDS-003');
    expect(multiAz.map((x) => [x.path, x.suppressed])).toEqual([
      ['stack/data/one', 'a throwaway database for tests'],
      ['stack/data/two', 'a throwaway database for tests'],
    ]);
  });

  it('refuses a missing reason or an unknown rule when the construct is built', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'stack');
    const bucket = new S3Bucket(stack, 'b', {});
    expect(() => suppress(bucket, 'GLA-S3-005', '')).toThrow('give a reason of at least 10 characters');
    expect(() => suppress(bucket, 'GLA-S3-999', 'a good reason here')).toThrow('unknown rule "GLA-S3-999"');
  });

  it('setGuardrailContext switches the production rules', () => {
    const build = (production: boolean) =>
      synth((stack) => {
        setGuardrailContext(stack, { environment: 'x', production });
        new DbInstance(stack, 'db', { instanceClass: 'db.t3.micro', engine: 'postgres', storageEncrypted: true });
      });
    expect(checkStack('stack', build(true)).findings.map((f) => f.rule)).toContain('GLA-RDS-004');
    expect(checkStack('stack', build(false)).findings.map((f) => f.rule)).not.toContain('GLA-RDS-004');
    expect(checkStack('stack', build(false)).context).toEqual({ environment: 'x', production: false });
  });
});
