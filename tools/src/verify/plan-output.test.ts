import { parsePlanSummary, parseWarnings } from './plan-output';

describe('plan output', () => {
  it('reads the plan line', () => {
    expect(parsePlanSummary('...\nPlan: 7 to add, 1 to change, 2 to destroy.\n')).toEqual({ add: 7, change: 1, destroy: 2 });
    expect(parsePlanSummary('No changes. Your infrastructure matches the configuration.')).toEqual({ add: 0, change: 0, destroy: 0 });
    expect(parsePlanSummary('Error: boom')).toBeUndefined();
  });

  it('keeps real warnings and drops the ones the override causes', () => {
    const out = [
      'Plan: 1 to add, 0 to change, 0 to destroy.',
      'Warning: Missing required argument',
      '',
      '  on zz_offline_override.tf.json line 2, in provider.aws[0].assume_role:',
      'Warning: Argument is deprecated',
      '',
      '  on cdk.tf.json line 9: use aws_s3_bucket_versioning instead',
    ].join('\n');
    expect(parseWarnings(out, 'zz_offline_override.tf.json')).toEqual(['Warning: Argument is deprecated\n\n  on cdk.tf.json line 9: use aws_s3_bucket_versioning instead']);
  });
});
