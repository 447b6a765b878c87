import { Testing } from 'cdktf';
import { TEST_HUB, TEST_HUB_IDENTITY, TEST_SPOKE, testEnvironment } from '@gitlab-aws/core';
import { HubIdentityStack, STATIC_KEYS_WARNING } from './hub-identity-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function synth(identity: Record<string, unknown> = TEST_HUB_IDENTITY, hubOverrides: Record<string, unknown> = {}): { json: Json; stack: HubIdentityStack } {
  const stack = new HubIdentityStack(Testing.app(), { environment: testEnvironment(TEST_HUB, { identity, ...hubOverrides }) });
  return { json: JSON.parse(Testing.synth(stack)), stack };
}

const policy = (text: string) => JSON.parse(text);
const PROVIDER = 'arn:aws:iam::111111111111:oidc-provider/gitlab.com';

describe('HubIdentityStack', () => {
  it('registers the GitLab instance as OIDC provider with its URL as the audience', () => {
    const { json } = synth();
    expect(json.resource.aws_iam_openid_connect_provider['gitlab-oidc']).toEqual({ url: 'https://gitlab.com', client_id_list: ['https://gitlab.com'] });
  });

  it('trusts the deploy role only to ID tokens with the right aud and an exact sub for each listed ref', () => {
    const role = synth().json.resource.aws_iam_role['deploy-role'];
    expect(role.name).toBe('gitlab-ci-hub-deploy');
    expect(role.max_session_duration).toBe(3600);
    expect(policy(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'GitLabExactRefs',
          Effect: 'Allow',
          Principal: { Federated: PROVIDER },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'gitlab.com:aud': 'https://gitlab.com',
              'gitlab.com:ref_protected': 'true',
              'gitlab.com:pipeline_source': ['push', 'web'],
              'gitlab.com:sub': ['project_path:platform/gitlab-on-aws:ref_type:branch:ref:main'],
            },
          },
        },
      ],
    });
  });

  it('uses StringLike only for the patterns the file spells out, in a statement of their own', () => {
    const role = synth().json.resource.aws_iam_role['plan-role'];
    expect(role.name).toBe('gitlab-ci-hub-plan');
    expect(policy(role.assume_role_policy).Statement).toEqual([
      {
        Sid: 'GitLabRefPatterns',
        Effect: 'Allow',
        Principal: { Federated: PROVIDER },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'gitlab.com:aud': 'https://gitlab.com', 'gitlab.com:pipeline_source': 'merge_request_event' },
          StringLike: { 'gitlab.com:sub': ['project_path:platform/gitlab-on-aws:ref_type:branch:ref:*'] },
        },
      },
    ]);
  });

  it('checks the project ID on gitlab.com when the file gives it, on every role', () => {
    const { json } = synth({ ...TEST_HUB_IDENTITY, gitlab: { project: 'platform/gitlab-on-aws', projectId: '4242' } });
    for (const role of ['deploy-role', 'protected-deploy-role', 'plan-role']) {
      expect(policy(json.resource.aws_iam_role[role].assume_role_policy).Statement[0].Condition.StringEquals['gitlab.com:project_id']).toBe('4242');
    }
  });

  it('trusts the protected deploy role to protected v* tags of the project by default, GitLab tokens only', () => {
    const { json } = synth({ ...TEST_HUB_IDENTITY, staticKeys: { enabled: true, environments: ['dev'], sourceCidrs: ['203.0.113.10/32'] }, operators: { principalArns: ['arn:aws:iam::111111111111:role/ops'] } });
    const role = json.resource.aws_iam_role['protected-deploy-role'];
    expect(role.name).toBe('gitlab-ci-hub-deploy-protected');
    expect(policy(role.assume_role_policy).Statement).toEqual([
      {
        Sid: 'GitLabRefPatterns',
        Effect: 'Allow',
        Principal: { Federated: PROVIDER },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { 'gitlab.com:aud': 'https://gitlab.com', 'gitlab.com:ref_protected': 'true', 'gitlab.com:pipeline_source': ['push', 'web'] },
          StringLike: { 'gitlab.com:sub': ['project_path:platform/gitlab-on-aws:ref_type:tag:ref:v*'] },
        },
      },
    ]);
  });

  it('lets only the protected deploy role assume protected spokes\' deploy roles', () => {
    const spokes = [
      { environment: 'dev', accountId: '222222222222', region: 'eu-west-1' },
      { environment: 'prod', accountId: '333333333333', region: 'eu-west-1', protected: true },
    ];
    const policies = synth({ ...TEST_HUB_IDENTITY, spokes }).json.resource.aws_iam_role_policy;
    expect(policy(policies['deploy-role-assume-spokes'].policy).Statement[0].Resource).toEqual(['arn:aws:iam::222222222222:role/gitlab-ci-deploy']);
    expect(policy(policies['protected-deploy-role-assume-spokes'].policy).Statement[0].Resource).toEqual(['arn:aws:iam::333333333333:role/gitlab-ci-deploy']);
    expect(policy(policies['plan-role-assume-spokes'].policy).Statement[0].Resource).toEqual(['arn:aws:iam::222222222222:role/gitlab-ci-plan', 'arn:aws:iam::333333333333:role/gitlab-ci-plan']);
  });

  it('lets operators (MFA by default) assume the deploy and plan roles, never the protected one', () => {
    const ops = { principalArns: ['arn:aws:iam::111111111111:role/ops'] };
    const { json } = synth({ ...TEST_HUB_IDENTITY, operators: ops });
    const operator = (role: string) => policy(json.resource.aws_iam_role[role].assume_role_policy).Statement.find((x: Json) => x.Sid === 'Operators');
    expect(operator('plan-role')).toEqual({
      Sid: 'Operators',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111111111111:root' },
      Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
      Condition: { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:role/ops'] }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
    });
    expect(operator('deploy-role')).toBeDefined();
    expect(operator('protected-deploy-role')).toBeUndefined();
    const noMfa = synth({ ...TEST_HUB_IDENTITY, operators: { ...ops, requireMfa: false } }).json;
    expect(policy(noMfa.resource.aws_iam_role['plan-role'].assume_role_policy).Statement[1].Condition).toEqual({ ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:role/ops'] } });
  });

  it('lets each pipeline role do nothing but assume the matching spoke roles', () => {
    const policies = synth().json.resource.aws_iam_role_policy;
    expect(Object.keys(policies).sort()).toEqual(['deploy-role-assume-spokes', 'plan-role-assume-spokes']);
    expect(policy(policies['deploy-role-assume-spokes'].policy).Statement).toEqual([
      { Sid: 'AssumeSpokeDeployRoles', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: ['arn:aws:iam::222222222222:role/gitlab-ci-deploy'] },
    ]);
    expect(policy(policies['plan-role-assume-spokes'].policy).Statement).toEqual([
      { Sid: 'AssumeSpokePlanRoles', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: ['arn:aws:iam::222222222222:role/gitlab-ci-plan'] },
    ]);
    // Nothing else is attached to them.
    expect(synth().json.resource.aws_iam_role_policy_attachment).toBeUndefined();
  });

  it('never uses a wildcard principal or allows a "*" action on the pipeline roles (wildcards only narrow, in Deny statements)', () => {
    const { json } = synth({ ...TEST_HUB_IDENTITY, staticKeys: { enabled: true, environments: ['dev'], sourceCidrs: ['203.0.113.10/32'] } });
    const documents = [
      ...Object.values(json.resource.aws_iam_role as Json).map((r) => policy(r.assume_role_policy)),
      ...Object.values(json.resource.aws_iam_role_policy as Json).map((r) => policy(r.policy)),
      ...Object.values(json.resource.aws_iam_user_policy as Json).map((r) => policy(r.policy)),
    ];
    for (const doc of documents) {
      for (const s of doc.Statement.filter((x: Json) => x.Effect === 'Allow')) {
        expect(s.Principal).not.toBe('*');
        expect(JSON.stringify(s.Principal ?? {})).not.toContain('"*"');
        expect([s.Action].flat().every((a: string) => !a.includes('*'))).toBe(true);
        expect([s.Resource ?? []].flat()).not.toContain('*');
      }
    }
  });

  it('grants no permission at all while the hub lists no spokes', () => {
    expect(synth({ ...TEST_HUB_IDENTITY, spokes: [] }).json.resource.aws_iam_role_policy).toBeUndefined();
  });

  it('keys conditions to a self-managed instance, with its own audience and thumbprint', () => {
    const { json } = synth({
      ...TEST_HUB_IDENTITY,
      gitlab: { url: 'https://git.example.com/gitlab', audience: 'aws-hub', thumbprints: ['ABCDEF0123456789ABCDEF0123456789ABCDEF01'], project: 'platform/gitlab-on-aws' },
    });
    expect(json.resource.aws_iam_openid_connect_provider['gitlab-oidc']).toEqual({
      url: 'https://git.example.com/gitlab',
      client_id_list: ['aws-hub'],
      thumbprint_list: ['abcdef0123456789abcdef0123456789abcdef01'],
    });
    const trust = policy(json.resource.aws_iam_role['deploy-role'].assume_role_policy).Statement[0];
    expect(trust.Principal).toEqual({ Federated: 'arn:aws:iam::111111111111:oidc-provider/git.example.com/gitlab' });
    expect(Object.keys(trust.Condition.StringEquals)).toEqual(['git.example.com/gitlab:aud', 'git.example.com/gitlab:sub']);
  });

  it('has no static-key user by default', () => {
    const { json, stack } = synth();
    expect(json.resource.aws_iam_user).toBeUndefined();
    expect(json.check).toBeUndefined();
    expect(stack.node.metadata).toEqual([]);
  });

  it('with static keys on: a user that may only assume the deploy role with a legacy session name, trusted by it, and a warning pointing to OIDC', () => {
    const { json, stack } = synth({ ...TEST_HUB_IDENTITY, staticKeys: { enabled: true, environments: ['dev'], sourceCidrs: ['203.0.113.10/32', '198.51.100.0/24'] } });
    const nets = { IpAddress: { 'aws:SourceIp': ['203.0.113.10/32', '198.51.100.0/24'] }, StringLike: { 'sts:RoleSessionName': 'legacy-keys-*' } };
    expect(json.resource.aws_iam_user['legacy-user'].name).toBe('gitlab-ci-legacy');
    expect(policy(json.resource.aws_iam_user_policy['legacy-user-assume-deploy'].policy).Statement).toEqual([
      { Sid: 'AssumeHubDeployRoleFromListedCidrs', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy', Condition: nets },
    ]);
    expect(policy(json.resource.aws_iam_role['deploy-role'].assume_role_policy).Statement[1]).toEqual({
      Sid: 'LegacyStaticKeysFromListedCidrs',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111111111111:user/gitlab-ci-legacy' },
      Action: 'sts:AssumeRole',
      Condition: nets,
    });
    expect(policy(json.resource.aws_iam_role['protected-deploy-role'].assume_role_policy).Statement).toHaveLength(1);
    // The plan role never trusts the user.
    expect(policy(json.resource.aws_iam_role['plan-role'].assume_role_policy).Statement).toHaveLength(1);
    expect(json.resource.aws_iam_access_key).toBeUndefined();
    expect(stack.node.metadata.map((m) => m.data)).toEqual([STATIC_KEYS_WARNING]);
    expect(STATIC_KEYS_WARNING).toContain('Prefer OIDC');
    expect(json.check.static_access_keys.assert[0]).toEqual({ condition: '${aws_iam_user.legacy-user.name == null}', error_message: STATIC_KEYS_WARNING });
  });

  it('holds legacy sessions of the deploy role to their environments and networks (VPCs behind endpoints too)', () => {
    const { json } = synth({ ...TEST_HUB_IDENTITY, staticKeys: { enabled: true, environments: ['dev'], sourceCidrs: ['203.0.113.10/32'], sourceVpcs: ['vpc-0123456789abcdef0'] } });
    const trust = policy(json.resource.aws_iam_role['deploy-role'].assume_role_policy).Statement.filter((x: Json) => x.Principal.AWS);
    expect(trust.map((x: Json) => x.Condition)).toEqual([
      { IpAddress: { 'aws:SourceIp': ['203.0.113.10/32'] }, StringLike: { 'sts:RoleSessionName': 'legacy-keys-*' } },
      { StringEquals: { 'aws:SourceVpc': ['vpc-0123456789abcdef0'] }, StringLike: { 'sts:RoleSessionName': 'legacy-keys-*' } },
    ]);
    const sessions = json.resource.aws_iam_role_policy['deploy-role-legacy-sessions'];
    expect(sessions.role).toBe('${aws_iam_role.deploy-role.name}');
    const [spokes, state, networks] = policy(sessions.policy).Statement;
    expect(spokes).toMatchObject({ Effect: 'Deny', NotResource: ['arn:aws:iam::222222222222:role/gitlab-ci-deploy'], Condition: { StringLike: { 'aws:userid': '*:legacy-keys-*' } } });
    expect(state).toMatchObject({ Effect: 'Deny', Action: 's3:*', NotResource: ['arn:aws:s3:::gitlab-aws-tfstate-111111111111-eu-west-1', 'arn:aws:s3:::gitlab-aws-tfstate-111111111111-eu-west-1/dev/*'] });
    expect(networks.Condition).toEqual({
      StringLike: { 'aws:userid': '*:legacy-keys-*' },
      Bool: { 'aws:ViaAWSService': 'false' },
      NotIpAddress: { 'aws:SourceIp': ['203.0.113.10/32'] },
      StringNotEquals: { 'aws:SourceVpc': ['vpc-0123456789abcdef0'] },
    });
    expect(synth().json.resource.aws_iam_role_policy['deploy-role-legacy-sessions']).toBeUndefined();
  });

  it('outputs ARNs only', () => {
    expect(synth().json.output).toEqual({
      oidc_provider_arn: { value: PROVIDER, description: expect.any(String) },
      deploy_role_arn: { value: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy', description: expect.any(String) },
      protected_deploy_role_arn: { value: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy-protected', description: expect.any(String) },
      plan_role_arn: { value: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-plan', description: expect.any(String) },
    });
  });

  it('refuses static keys without the networks and environments they may be used for, or for a spoke they cannot reach', () => {
    expect(() => synth({ ...TEST_HUB_IDENTITY, staticKeys: { enabled: true, environments: ['dev'] } })).toThrow('sourceCidrs');
    expect(() => synth({ ...TEST_HUB_IDENTITY, staticKeys: { enabled: true, sourceCidrs: ['203.0.113.10/32'] } })).toThrow('static keys need "environments"');
    expect(() => synth({ ...TEST_HUB_IDENTITY, staticKeys: { enabled: true, environments: ['staging'], sourceCidrs: ['203.0.113.10/32'] } })).toThrow('"staging" is not in "spokes"');
    const prodListed = { ...TEST_HUB_IDENTITY, spokes: [...TEST_HUB_IDENTITY.spokes, { environment: 'prod', accountId: '333333333333', region: 'eu-west-1', protected: true }] };
    expect(() => synth({ ...prodListed, staticKeys: { enabled: true, environments: ['prod'], sourceCidrs: ['203.0.113.10/32'] } })).toThrow('"prod" is a protected spoke');
  });

  it('refuses a spoke environment and a hub without identity, saying what to add', () => {
    expect(() => new HubIdentityStack(Testing.app(), { environment: testEnvironment(TEST_SPOKE) })).toThrow('environment "dev" is a spoke');
    expect(() => new HubIdentityStack(Testing.app(), { environment: testEnvironment(TEST_HUB) })).toThrow('has no "identity" section');
  });
});
