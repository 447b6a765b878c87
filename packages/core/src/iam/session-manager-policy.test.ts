import { SESSION_MANAGER_POLICY } from './session-manager-policy';

describe('SESSION_MANAGER_POLICY', () => {
  const actions = SESSION_MANAGER_POLICY.Statement.flatMap((s) => [s.Action].flat());

  it('keeps what the SSM agent needs for Session Manager and Run Command', () => {
    expect(actions).toEqual(expect.arrayContaining(['ssm:UpdateInstanceInformation', 'ssmmessages:CreateControlChannel', 'ssmmessages:OpenDataChannel', 'ec2messages:GetMessages']));
  });

  it('reads no parameter and only allows, on actions without resource-level permissions', () => {
    expect(actions.filter((a) => /^ssm:GetParameter/.test(a) || a.includes('*'))).toEqual([]);
    expect(SESSION_MANAGER_POLICY.Statement.every((s) => s.Effect === 'Allow' && s.Resource === '*')).toBe(true);
  });
});
