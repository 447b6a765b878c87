import { decide } from '@gitlab-aws/core/src/testing/iam-decide';
import { PLAN_DENIED_SECRET_ACTIONS, PLAN_READ_ACTIONS, planPolicyStatements } from './plan-policy';

// The plan policy judged by evaluation, alone and next to a policy that allows everything (an extra
// planPolicies entry must not re-grant a secret).
const identity = planPolicyStatements();
const EVERYTHING = { Effect: 'Allow' as const, Action: '*', Resource: '*' };

function resourceFor(action: string): string {
  const [service] = action.split(':');
  const table: Record<string, string> = {
    kms: 'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    secretsmanager: 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:db-AbCdEf',
    s3: 'arn:aws:s3:::dev-web-assets/index.html',
    ssm: 'arn:aws:ssm:eu-west-1:222222222222:parameter/dev/amplify',
    amplify: /Branch/.test(action) ? 'arn:aws:amplify:eu-west-1:222222222222:apps/d1a2b3/branches/main' : 'arn:aws:amplify:eu-west-1:222222222222:apps/d1a2b3',
    ec2: 'arn:aws:ec2:eu-west-1:222222222222:instance/i-0123456789abcdef0',
    logs: 'arn:aws:logs:eu-west-1:222222222222:log-group:/app:log-stream:s',
    rds: 'arn:aws:rds:eu-west-1:222222222222:db:gitlab',
  };
  if (action === 'amplify:ListApps' || action === 'secretsmanager:BatchGetSecretValue') return '*';
  if (action === 'logs:FilterLogEvents' || action === 'logs:StartQuery') return 'arn:aws:logs:eu-west-1:222222222222:log-group:/app';
  return table[service];
}

describe('plan policy, evaluated', () => {
  it.each(PLAN_DENIED_SECRET_ACTIONS)('%s: denied, even next to a policy that allows everything', async (action) => {
    expect(await decide({ identity: [...identity, EVERYTHING], action, resource: resourceFor(action) })).toBe('ExplicitlyDenied');
  });

  it.each([
    ['ec2:DescribeInstances', '*'],
    ['iam:GetRole', 'arn:aws:iam::222222222222:role/app-role'],
    ['ssm:GetParameter', 'arn:aws:ssm:eu-west-1:222222222222:parameter/dev/app-id'],
    ['s3:GetEncryptionConfiguration', 'arn:aws:s3:::dev-web-assets'],
    ['autoscaling:DescribeAutoScalingGroups', '*'],
  ])('%s: allowed (plan refreshes it)', async (action, resource) => {
    expect(await decide({ identity, action, resource })).toBe('Allowed');
  });

  it.each([
    ['iam:CreateRole', 'arn:aws:iam::222222222222:role/x'],
    ['ssm:PutParameter', 'arn:aws:ssm:eu-west-1:222222222222:parameter/x'],
    ['s3:PutObject', 'arn:aws:s3:::dev-web-assets/x'],
    ['ec2:RunInstances', 'arn:aws:ec2:eu-west-1:222222222222:instance/i-0123456789abcdef0'],
  ])('%s: not allowed (plans change nothing)', async (action, resource) => {
    expect(await decide({ identity, action, resource })).toBe('ImplicitlyDenied');
  });

  it('allows no write action and no secret read by pattern', () => {
    for (const a of PLAN_READ_ACTIONS) expect(a).toMatch(/:(Describe|Get|List)/);
    expect(PLAN_READ_ACTIONS).not.toContain('s3:GetObject');
    expect(PLAN_READ_ACTIONS.filter((a) => PLAN_DENIED_SECRET_ACTIONS.includes(a))).toEqual([]);
  });
});
