import { messagesOf, policy, type Values } from '../__fixtures__/findings';

const identity = (...statements: object[]) => ({ 'aws_iam_role_policy.p': { role: 'r', policy: policy(...statements) } });
const trust = (...statements: object[]) => ({ 'aws_iam_role.r': { assume_role_policy: policy(...statements) } });
const bucketPolicy = (...statements: object[]) => ({ 'aws_s3_bucket_policy.b': { bucket: 'x', policy: policy(...statements) } });
const web = (extra: Values = {}) => ({
  Effect: 'Allow',
  Principal: { Federated: 'arn:aws:iam::111111111111:oidc-provider/gitlab.com' },
  Action: 'sts:AssumeRoleWithWebIdentity',
  Condition: { StringEquals: { 'gitlab.com:aud': 'https://gitlab.com', 'gitlab.com:sub': 'project_path:g/p:ref_type:branch:ref:main' } },
  ...extra,
});

describe('GLA-IAM-001: Action "*"', () => {
  it('flags every Allow of "*", in identity and resource policies, naming each statement', () => {
    expect(messagesOf('GLA-IAM-001', identity({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, { Effect: 'Allow', Action: ['s3:GetObject', '*'], Resource: '*' }))).toEqual([
      'aws_iam_role_policy.p (policy): statement 2 allows Action "*"',
    ]);
    expect(messagesOf('GLA-IAM-001', bucketPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/x' }, Action: '*', Resource: '*' }, { Effect: 'Allow', Action: '*', Resource: '*' }))).toEqual([
      'aws_s3_bucket_policy.b (policy): statement 1 allows Action "*"; statement 2 allows Action "*"',
    ]);
  });
});

describe('GLA-IAM-002: service wildcards', () => {
  it('lists each "service:*" an identity policy allows', () => {
    expect(messagesOf('GLA-IAM-002', identity({ Effect: 'Allow', Action: ['s3:*', 'ec2:Describe*', 's3:*Object', 'ssm-contacts:*', 'kms:Decrypt'], Resource: '*' }))).toEqual([
      'aws_iam_role_policy.p (policy): statement 1 allows s3:*, ssm-contacts:*',
    ]);
  });

  it('ignores Deny statements, bare "*" (GLA-IAM-001) and resource policies', () => {
    expect(messagesOf('GLA-IAM-002', identity({ Effect: 'Deny', Action: 's3:*', Resource: '*' }, { Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Allow', Action: 'x s3:*', Resource: '*' }))).toEqual([]);
    expect(messagesOf('GLA-IAM-002', bucketPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:*', Resource: '*' }))).toEqual([]);
  });
});

describe('GLA-IAM-003: "*" principals', () => {
  const open = 'aws_s3_bucket_policy.b (policy): statement 1 allows any principal ("*") without a condition';

  it('flags Principal "*", {"AWS": "*"} and "*" among other principals', () => {
    expect(messagesOf('GLA-IAM-003', bucketPolicy({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: '*' }))).toEqual([open]);
    expect(messagesOf('GLA-IAM-003', bucketPolicy({ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111111111111:root', '*'] }, Action: 's3:GetObject', Resource: '*' }))).toEqual([open]);
    expect(messagesOf('GLA-IAM-003', trust({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }))).toEqual([
      'aws_iam_role.r (assume_role_policy): statement 1 allows any principal ("*") without a condition',
    ]);
  });

  it('accepts named principals, Deny statements and conditioned "*"', () => {
    expect(messagesOf('GLA-IAM-003', bucketPolicy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 's3:GetObject', Resource: '*' }))).toEqual([]);
    expect(messagesOf('GLA-IAM-003', bucketPolicy({ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: '*' }))).toEqual([]);
    expect(messagesOf('GLA-IAM-003', bucketPolicy({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }))).toEqual([]);
  });
});

describe('GLA-IAM-004: whole-account trust', () => {
  const assume = (principal: unknown, extra: Values = {}) => messagesOf('GLA-IAM-004', trust({ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole', ...extra }));

  it('flags a bare account ID and a root ARN in any partition', () => {
    expect(assume('111111111111')).toEqual(['aws_iam_role.r (assume_role_policy): statement 1 lets every principal of 111111111111 assume the role, with no condition']);
    expect(assume(['arn:aws-cn:iam::111111111111:root', 'arn:aws:iam::222222222222:role/x', 'arn:aws-us-gov:iam::333333333333:root'])).toEqual([
      'aws_iam_role.r (assume_role_policy): statement 1 lets every principal of arn:aws-cn:iam::111111111111:root, arn:aws-us-gov:iam::333333333333:root assume the role, with no condition',
    ]);
  });

  it('accepts an account trust with a condition, a Deny, and principals that are not whole accounts', () => {
    expect(assume('111111111111', { Condition: { StringEquals: { 'sts:ExternalId': 'x' } } })).toEqual([]);
    expect(assume('arn:aws:iam::111111111111:root', { Effect: 'Deny' })).toEqual([]);
    expect(assume(['1111111111112', 'x111111111111', 'arn:aws:iam::111111111111:rootx', 'arn:aws:iam::11111111111:root', 'xarn:aws:iam::111111111111:root', 'arn::iam::111111111111:root'])).toEqual([]);
  });

  it('looks at trust policies only', () => {
    expect(messagesOf('GLA-IAM-004', bucketPolicy({ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: 's3:GetObject', Resource: '*' }))).toEqual([]);
  });
});

describe('GLA-IAM-005/006/007: GitLab OIDC trust', () => {
  const rules = ['GLA-IAM-005', 'GLA-IAM-006', 'GLA-IAM-007'];
  const all = (statement: object) => rules.flatMap((id) => messagesOf(id, trust(statement)));

  it('accept a web-identity trust bound to audience and one project', () => {
    expect(all(web())).toEqual([]);
    expect(all(web({ Condition: { StringEquals: { 'gitlab.com:aud': 'https://gitlab.com' }, StringLike: { 'gitlab.com:sub': 'project_path:g/p:ref_type:branch:ref:*' } } }))).toEqual([]);
  });

  it('treat "sts:*" and "*" as web-identity trust too', () => {
    for (const Action of ['sts:*', '*', ['sts:TagSession', 'sts:AssumeRoleWithWebIdentity']]) {
      expect(messagesOf('GLA-IAM-005', trust(web({ Action, Condition: {} })))).toEqual([
        'aws_iam_role.r (assume_role_policy): statement 1 trusts web identities with no condition on the "sub" claim: any project of the provider could assume it',
      ]);
    }
  });

  it('ignore Deny statements, other actions and non-federated principals', () => {
    expect(all(web({ Effect: 'Deny', Condition: {} }))).toEqual([]);
    expect(all(web({ Action: 'sts:TagSession', Condition: {} }))).toEqual([]);
    expect(all(web({ Principal: { AWS: 'arn:aws:iam::111111111111:role/x' }, Condition: {} }))).toEqual([]);
  });

  it('require the claims by their exact name', () => {
    const claims = { StringEquals: { 'gitlab.com:audience': 'x', 'gitlab.com:subject': 'y', 'gitlab.com:aud': 'https://gitlab.com' } };
    expect(messagesOf('GLA-IAM-005', trust(web({ Condition: claims })))).toHaveLength(1);
    expect(messagesOf('GLA-IAM-006', trust(web({ Condition: { StringEquals: { 'gitlab.com:sub': 'project_path:g/p:ref_type:branch:ref:main' } } })))).toEqual([
      'aws_iam_role.r (assume_role_policy): statement 1 trusts web identities with no condition on the "aud" claim',
    ]);
  });

  it('flag a subject of "*" or any project, and only those', () => {
    const sub = (value: unknown) => messagesOf('GLA-IAM-007', trust(web({ Condition: { StringEquals: { 'gitlab.com:aud': 'x' }, StringLike: { 'gitlab.com:sub': value } } })));
    expect(sub('*')).toEqual(['aws_iam_role.r (assume_role_policy): statement 1 accepts any project as subject (*)']);
    expect(sub(['project_path:g/p:ref_type:branch:ref:main', 'project_path:*:ref_type:branch:ref:main'])).toEqual([
      'aws_iam_role.r (assume_role_policy): statement 1 accepts any project as subject (project_path:*:ref_type:branch:ref:main)',
    ]);
    expect(sub('project_path:g/*')).toEqual([]);
    // Only web-identity trust is judged.
    expect(messagesOf('GLA-IAM-007', trust(web({ Effect: 'Deny', Condition: { StringLike: { 'gitlab.com:sub': '*' } } })))).toEqual([]);
    // A loose value on another claim is not a subject.
    expect(messagesOf('GLA-IAM-007', trust(web({ Condition: { StringLike: { 'gitlab.com:aud': '*', 'gitlab.com:sub': 'project_path:g/p:*' } } })))).toEqual([]);
  });
});

describe('GLA-IAM-008 and GLA-IAM-009', () => {
  it('flag static keys and user attachments, not group or role ones', () => {
    expect(messagesOf('GLA-IAM-008', { 'aws_iam_access_key.k': { user: 'ci' } })).toEqual(['aws_iam_access_key.k creates a long-lived access key (static-key mode)']);
    expect(messagesOf('GLA-IAM-009', { 'aws_iam_user_policy.p': { user: 'ci', policy: '{}' }, 'aws_iam_role_policy.r': { role: 'r', policy: '{}' } })).toEqual([
      'aws_iam_user_policy.p attaches a policy directly to a user',
    ]);
  });
});

describe('GLA-IAM-010: AdministratorAccess', () => {
  const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

  it('flags it on users, groups and policy attachments, and in managed_policy_arns', () => {
    expect(
      messagesOf('GLA-IAM-010', {
        'aws_iam_user_policy_attachment.u': { user: 'ci', policy_arn: ADMIN },
        'aws_iam_group_policy_attachment.g': { group: 'ops', policy_arn: 'arn:aws-us-gov:iam::aws:policy/AdministratorAccess' },
        'aws_iam_policy_attachment.p': { name: 'p', roles: ['r'], policy_arn: ADMIN },
        'aws_iam_role.r': { assume_role_policy: '{}', managed_policy_arns: ['arn:aws:iam::aws:policy/ReadOnlyAccess', ADMIN] },
      }),
    ).toEqual([
      'aws_iam_user_policy_attachment.u attaches AdministratorAccess',
      'aws_iam_group_policy_attachment.g attaches AdministratorAccess',
      'aws_iam_policy_attachment.p attaches AdministratorAccess',
      'aws_iam_role.r attaches AdministratorAccess to aws_iam_role.r, which has no permissions boundary',
    ]);
  });

  it('accepts it on a role with a permissions boundary', () => {
    expect(messagesOf('GLA-IAM-010', { 'aws_iam_role.r': { assume_role_policy: '{}', permissions_boundary: 'arn:aws:iam::111111111111:policy/b', managed_policy_arns: [ADMIN] } })).toEqual([]);
  });

  it('is not fooled by policies whose name only starts or ends like it', () => {
    const attach = (arn: string) => ({ 'aws_iam_role_policy_attachment.a': { role: 'r', policy_arn: arn } });
    expect(messagesOf('GLA-IAM-010', attach('arn:aws:iam::aws:policy/AdministratorAccess-Amplify'))).toEqual([]);
    expect(messagesOf('GLA-IAM-010', attach('arn:aws:iam::111111111111:policy/NotAdministratorAccess'))).toEqual([]);
    expect(messagesOf('GLA-IAM-010', attach('arn:aws:iam::aws:policy/job-function/AdministratorAccess'))).toEqual([]);
  });

  it('finds the role of an attachment only through a reference to an aws_iam_role', () => {
    const attach = { 'aws_iam_role_policy_attachment.a': { role: '${aws_iam_policy.other.name}', policy_arn: ADMIN } };
    expect(messagesOf('GLA-IAM-010', { ...attach, 'aws_iam_policy.other': { name: 'x', policy: '{}', permissions_boundary: 'b' } })).toEqual([
      'aws_iam_role_policy_attachment.a attaches AdministratorAccess',
    ]);
  });
});

describe('GLA-IAM-011: PassRole and AssumeRole on "*"', () => {
  it('names only the risky actions of a statement on Resource "*"', () => {
    expect(messagesOf('GLA-IAM-011', identity({ Effect: 'Allow', Action: ['s3:GetObject', 'iam:PassRole', 'iam:*', 'sts:*', 'sts:AssumeRole'], Resource: ['arn:aws:s3:::b/*', '*'] }))).toEqual([
      'aws_iam_role_policy.p (policy): statement 1 allows iam:PassRole, iam:*, sts:*, sts:AssumeRole on Resource "*"',
    ]);
  });

  it('accepts harmless actions on "*", a Deny, and risky actions on named roles', () => {
    expect(messagesOf('GLA-IAM-011', identity({ Effect: 'Allow', Action: ['ec2:DescribeInstances', 'sts:GetCallerIdentity'], Resource: '*' }))).toEqual([]);
    expect(messagesOf('GLA-IAM-011', identity({ Effect: 'Deny', Action: 'iam:PassRole', Resource: '*' }))).toEqual([]);
    expect(messagesOf('GLA-IAM-011', identity({ Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111111111111:role/*' }))).toEqual([]);
  });
});
