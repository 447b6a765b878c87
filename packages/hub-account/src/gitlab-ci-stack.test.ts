import { Testing } from 'cdktf';
import { TEST_HUB, TEST_HUB_IDENTITY, testEnvironment } from '@gitlab-aws/core';
import { GitLabCiStack, SUB_CLAIM_COMPONENTS } from './gitlab-ci-stack';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SPOKES = [
  { environment: 'dev', accountId: '222222222222', region: 'eu-west-1' },
  { environment: 'prod', accountId: '333333333333', region: 'eu-central-1', protected: true, requiredApprovals: 2 },
];

function synth(identity: Record<string, unknown> = { ...TEST_HUB_IDENTITY, spokes: SPOKES }): Json {
  return JSON.parse(Testing.synth(new GitLabCiStack(Testing.app(), { environment: testEnvironment(TEST_HUB, { identity }) })));
}

/** Variables as "key@scope" -> { value, protected, masked }. */
function variables(json: Json): Record<string, { value: string; protected: boolean; masked: boolean }> {
  return Object.fromEntries(
    Object.values(json.resource.gitlab_project_variable as Json).map((v) => [`${v.key}@${v.environment_scope}`, { value: v.value, protected: v.protected, masked: v.masked }]),
  );
}

describe('GitLabCiStack', () => {
  const json = synth();

  it('uses the gitlabhq/gitlab provider, pointed at the instance, with no token in the configuration', () => {
    expect(json.terraform.required_providers.gitlab.source).toBe('gitlabhq/gitlab');
    expect(json.provider.gitlab).toEqual([{ base_url: 'https://gitlab.com/api/v4/' }]);
  });

  it('sets the role ARNs and regions per environment scope; deploy roles reach protected refs only', () => {
    expect(variables(json)).toEqual({
      'AWS_HUB_DEPLOY_ROLE_ARN@*': { value: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy', protected: true, masked: false },
      'AWS_HUB_PLAN_ROLE_ARN@*': { value: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-plan', protected: false, masked: false },
      'AWS_DEFAULT_REGION@*': { value: 'eu-west-1', protected: false, masked: false },
      'AWS_DEFAULT_REGION@dev': { value: 'eu-west-1', protected: false, masked: false },
      'AWS_SPOKE_DEPLOY_ROLE_ARN@dev': { value: 'arn:aws:iam::222222222222:role/gitlab-ci-deploy', protected: true, masked: false },
      'AWS_SPOKE_PLAN_ROLE_ARN@dev': { value: 'arn:aws:iam::222222222222:role/gitlab-ci-plan', protected: false, masked: false },
      'AWS_DEFAULT_REGION@prod': { value: 'eu-central-1', protected: false, masked: false },
      'AWS_SPOKE_DEPLOY_ROLE_ARN@prod': { value: 'arn:aws:iam::333333333333:role/gitlab-ci-deploy', protected: true, masked: false },
      // Protected spokes' deploy jobs sign in to the protected deploy role (the environment scope wins over "*").
      'AWS_HUB_DEPLOY_ROLE_ARN@prod': { value: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy-protected', protected: true, masked: false },
      'AWS_SPOKE_PLAN_ROLE_ARN@prod': { value: 'arn:aws:iam::333333333333:role/gitlab-ci-plan', protected: false, masked: false },
    });
  });

  it('creates an environment per spoke and protects prod: maintainers deploy, two approvals', () => {
    expect(Object.values(json.resource.gitlab_project_environment as Json).map((e) => e.name)).toEqual(['dev', 'prod']);
    expect(Object.keys(json.resource.gitlab_project_protected_environment)).toEqual(['protected-environment-prod']);
    expect(json.resource.gitlab_project_protected_environment['protected-environment-prod']).toMatchObject({
      environment: '${gitlab_project_environment.environment-prod.name}',
      deploy_access_levels_attribute: [{ access_level: 'maintainer' }],
      approval_rules: [{ access_level: 'maintainer', required_approvals: 2 }],
    });
  });

  it('adopts the existing project and pins the settings the trust relies on, never destroying it', () => {
    const project = json.resource.gitlab_project.project;
    expect(project).toMatchObject({
      ci_id_token_sub_claim_components: SUB_CLAIM_COMPONENTS,
      ci_pipeline_variables_minimum_override_role: 'no_one_allowed',
      ci_forward_deployment_enabled: true,
      ci_separated_caches: true,
      only_allow_merge_if_pipeline_succeeds: true,
    });
    expect(project.lifecycle.prevent_destroy).toBe(true);
    expect(json.import).toEqual([{ to: 'gitlab_project.project', id: 'platform/gitlab-on-aws' }]);
  });

  it('makes no access key and no key variables by default', () => {
    expect(json.resource.aws_iam_access_key).toBeUndefined();
    expect(Object.keys(variables(json)).some((k) => k.startsWith('AWS_ACCESS_KEY_ID') || k.startsWith('AWS_SECRET_ACCESS_KEY'))).toBe(false);
  });

  it('with static keys on, hands the key to GitLab by reference only: protected, masked, scoped to its environments, never in an output', () => {
    const legacy = synth({ ...TEST_HUB_IDENTITY, staticKeys: { enabled: true, environments: ['dev'], sourceCidrs: ['203.0.113.10/32'] } });
    expect(legacy.resource.aws_iam_access_key['legacy-access-key']).toEqual({ user: 'gitlab-ci-legacy' });
    const vars = variables(legacy);
    // Only the environments the keys serve see them.
    expect(Object.keys(vars).filter((k) => k.startsWith('AWS_ACCESS_KEY_ID') || k.startsWith('AWS_SECRET_ACCESS_KEY')).sort()).toEqual(['AWS_ACCESS_KEY_ID@dev', 'AWS_SECRET_ACCESS_KEY@dev']);
    expect(vars['AWS_ACCESS_KEY_ID@dev']).toEqual({ value: '${aws_iam_access_key.legacy-access-key.id}', protected: true, masked: true });
    expect(vars['AWS_SECRET_ACCESS_KEY@dev']).toEqual({ value: '${aws_iam_access_key.legacy-access-key.secret}', protected: true, masked: true });
    expect(vars['AWS_DEFAULT_REGION@*']).toEqual({ value: 'eu-west-1', protected: true, masked: true });
    expect(legacy.output).toBeUndefined();
    // The only mention of the secret is the one reference feeding the masked variable.
    expect(JSON.stringify(legacy).match(/legacy-access-key\.secret/g)).toHaveLength(1);
  });
});
