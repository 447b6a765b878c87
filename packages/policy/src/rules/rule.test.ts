import { checkStack } from '../check';
import { blockingFindings } from '../report-text';
import { tfStack } from '../__fixtures__/stack';
import { perResource, SEVERITY_ORDER, type Rule } from './rule';

const rule = (id: string, severity: Rule['severity']): Rule => ({
  id,
  severity,
  title: `test rule ${id}`,
  checkov: [],
  trivy: [],
  fix: 'do the right thing',
  check: perResource(['aws_instance', 'aws_ebs_volume'], (r) => (r.values.bad ? `${r.address} is bad` : undefined)),
});

describe('perResource', () => {
  it('reports each resource of the listed types whose test returns a message, and nothing else', () => {
    const stack = tfStack({ 'aws_instance.a': { bad: true }, 'aws_instance.b': {}, 'aws_ebs_volume.v': { bad: true }, 'aws_s3_bucket.s': { bad: true } });
    const found = checkStack('test', stack, { rules: [rule('GLA-TEST-001', 'low')] }).findings;
    expect(found.map((f) => [f.address, f.message])).toEqual([
      ['aws_instance.a', 'aws_instance.a is bad'],
      ['aws_ebs_volume.v', 'aws_ebs_volume.v is bad'],
    ]);
  });
});

describe('blocking severities', () => {
  it('are critical and high; medium and low findings and suppressed ones do not block', () => {
    expect(SEVERITY_ORDER).toEqual(['critical', 'high', 'medium', 'low']);
    const stack = tfStack({
      'aws_instance.a': { bad: true },
      'aws_ebs_volume.s': { bad: true, '//': { suppressions: [{ rule: 'GLA-TEST-CRIT', reason: 'a test fixture' }] } },
    });
    const rules = SEVERITY_ORDER.map((s) => rule(`GLA-TEST-${s.slice(0, 4).toUpperCase()}`, s));
    const blocking = blockingFindings(checkStack('test', stack, { rules }).findings);
    expect(blocking.map((f) => `${f.rule} ${f.address}`).sort()).toEqual(['GLA-TEST-CRIT aws_instance.a', 'GLA-TEST-HIGH aws_ebs_volume.s', 'GLA-TEST-HIGH aws_instance.a']);
  });
});
