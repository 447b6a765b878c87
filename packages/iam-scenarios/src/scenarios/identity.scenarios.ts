import type { Scenario } from '../scenario';
import { ADMIN_POLICY, EXAMPLE_ORG, outsider } from './helpers';

const ORG = { 'aws:PrincipalOrgID': EXAMPLE_ORG };
const mr = { ref: 'feature/login', refProtected: false, pipelineSource: 'merge_request_event' };
const release = { refType: 'tag' as const, ref: 'v1.4.0', refProtected: true, pipelineSource: 'push' };

/** GitLab sign-in to the hub, the protected path, hub-to-spoke assumption, spoke trust and operators. */
export const identityScenarios: Scenario[] = [
  // sign-in-hub-only
  { name: 'deploy-sign-in-main-push', claim: 'sign-in-hub-only', expect: 'allow', request: (w) => w.signIn('deploy', w.job()) },
  { name: 'deploy-sign-in-wrong-audience', claim: 'sign-in-hub-only', expect: 'deny', request: (w) => w.signIn('deploy', w.job({ aud: 'sts.amazonaws.com' })) },
  { name: 'deploy-sign-in-other-project', claim: 'sign-in-hub-only', expect: 'deny', request: (w) => w.signIn('deploy', w.job({ projectPath: 'attacker/gitlab-on-aws' })) },
  {
    name: 'deploy-sign-in-other-issuer',
    claim: 'sign-in-hub-only',
    expect: 'deny',
    request: async (w) => ({ ...(await w.signIn('deploy', w.job({ host: 'gitlab.example.com', aud: 'https://gitlab.example.com' }))), principal: `arn:aws:iam::${w.hub.accountId}:oidc-provider/gitlab.example.com` }),
  },
  // deploy-protected-refs
  { name: 'deploy-sign-in-web-pipeline-on-main', claim: 'deploy-protected-refs', expect: 'allow', request: (w) => w.signIn('deploy', w.job({ pipelineSource: 'web' })) },
  { name: 'deploy-sign-in-feature-branch', claim: 'deploy-protected-refs', expect: 'deny', request: (w) => w.signIn('deploy', w.job({ ref: 'feature/login', refProtected: false })) },
  { name: 'deploy-sign-in-main-unprotected', claim: 'deploy-protected-refs', expect: 'deny', request: (w) => w.signIn('deploy', w.job({ refProtected: false })) },
  { name: 'deploy-sign-in-recreated-project', claim: 'deploy-protected-refs', expect: 'deny', request: (w) => w.signIn('deploy', w.job({ projectId: '99999999' })) },
  { name: 'deploy-sign-in-merge-request-pipeline', claim: 'deploy-protected-refs', expect: 'deny', request: (w) => w.signIn('deploy', w.job({ pipelineSource: 'merge_request_event' })) },
  { name: 'deploy-sign-in-scheduled-pipeline', claim: 'deploy-protected-refs', expect: 'deny', request: (w) => w.signIn('deploy', w.job({ pipelineSource: 'schedule' })) },
  { name: 'deploy-sign-in-release-tag', claim: 'deploy-protected-refs', expect: 'deny', request: (w) => w.signIn('deploy', w.job(release)) },
  // plan-merge-requests (hole 1: the plan role trusted ref:* from any pipeline source)
  { name: 'plan-sign-in-merge-request', claim: 'plan-merge-requests', expect: 'allow', request: (w) => w.signIn('plan', w.job(mr)) },
  { name: 'plan-sign-in-branch-push', claim: 'plan-merge-requests', expect: 'deny', hole: 1, request: (w) => w.signIn('plan', w.job({ ref: 'feature/login', refProtected: false })) },
  { name: 'plan-sign-in-main-push', claim: 'plan-merge-requests', expect: 'deny', hole: 1, request: (w) => w.signIn('plan', w.job()) },
  { name: 'plan-sign-in-scheduled-pipeline', claim: 'plan-merge-requests', expect: 'deny', hole: 1, request: (w) => w.signIn('plan', w.job({ pipelineSource: 'schedule' })) },
  { name: 'plan-sign-in-recreated-project', claim: 'plan-merge-requests', expect: 'deny', hole: 1, request: (w) => w.signIn('plan', w.job({ ...mr, projectId: '99999999' })) },
  { name: 'plan-sign-in-other-project', claim: 'plan-merge-requests', expect: 'deny', request: (w) => w.signIn('plan', w.job({ ...mr, projectPath: 'attacker/gitlab-on-aws' })) },
  { name: 'plan-sign-in-tag-pipeline', claim: 'plan-merge-requests', expect: 'deny', request: (w) => w.signIn('plan', w.job(release)) },
  // protected-spokes (hole 3: one hub deploy role served every spoke)
  { name: 'protected-sign-in-release-tag', claim: 'protected-spokes', expect: 'allow', request: (w) => w.signIn('protectedDeploy', w.job(release)) },
  { name: 'protected-sign-in-main-push', claim: 'protected-spokes', expect: 'deny', request: (w) => w.signIn('protectedDeploy', w.job()) },
  { name: 'protected-sign-in-unprotected-tag', claim: 'protected-spokes', expect: 'deny', request: (w) => w.signIn('protectedDeploy', w.job({ ...release, refProtected: false })) },
  { name: 'protected-sign-in-other-tag', claim: 'protected-spokes', expect: 'deny', request: (w) => w.signIn('protectedDeploy', w.job({ ...release, ref: 'nightly' })) },
  { name: 'protected-sign-in-merge-request', claim: 'protected-spokes', expect: 'deny', request: (w) => w.signIn('protectedDeploy', w.job(mr)) },
  { name: 'hub-deploy-cannot-assume-prod-deploy', claim: 'protected-spokes', expect: 'deny', hole: 3, request: (w) => w.assume(w.hubRole('deploy'), w.spokeRole('prod', 'deploy'), ORG) },
  { name: 'hub-deploy-cannot-assume-gitlab-3k-deploy', claim: 'protected-spokes', expect: 'deny', request: (w) => w.assume(w.hubRole('deploy'), w.spokeRole('gitlab-3k', 'deploy')) },
  { name: 'protected-assumes-prod-deploy', claim: 'protected-spokes', expect: 'allow', request: (w) => w.assume(w.hubRole('protectedDeploy'), w.spokeRole('prod', 'deploy'), ORG) },
  { name: 'protected-assumes-gitlab-3k-deploy', claim: 'protected-spokes', expect: 'allow', request: (w) => w.assume(w.hubRole('protectedDeploy'), w.spokeRole('gitlab-3k', 'deploy')) },
  { name: 'protected-cannot-assume-dev-deploy', claim: 'protected-spokes', expect: 'deny', request: (w) => w.assume(w.hubRole('protectedDeploy'), w.spokeRole('dev', 'deploy')) },
  { name: 'protected-cannot-assume-prod-plan', claim: 'protected-spokes', expect: 'deny', request: (w) => w.assume(w.hubRole('protectedDeploy'), w.spokeRole('prod', 'plan'), ORG) },
  // hub-roles-assume-only
  { name: 'hub-deploy-assumes-dev-deploy', claim: 'hub-roles-assume-only', expect: 'allow', request: (w) => w.assume(w.hubRole('deploy'), w.spokeRole('dev', 'deploy')) },
  { name: 'hub-deploy-cannot-assume-dev-plan', claim: 'hub-roles-assume-only', expect: 'deny', request: (w) => w.assume(w.hubRole('deploy'), w.spokeRole('dev', 'plan')) },
  { name: 'hub-plan-assumes-dev-plan', claim: 'hub-roles-assume-only', expect: 'allow', request: (w) => w.assume(w.hubRole('plan'), w.spokeRole('dev', 'plan')) },
  { name: 'hub-plan-assumes-prod-plan', claim: 'hub-roles-assume-only', expect: 'allow', request: (w) => w.assume(w.hubRole('plan'), w.spokeRole('prod', 'plan'), ORG) },
  { name: 'hub-plan-cannot-assume-dev-deploy', claim: 'hub-roles-assume-only', expect: 'deny', request: (w) => w.assume(w.hubRole('plan'), w.spokeRole('dev', 'deploy')) },
  { name: 'hub-plan-cannot-assume-prod-deploy', claim: 'hub-roles-assume-only', expect: 'deny', request: (w) => w.assume(w.hubRole('plan'), w.spokeRole('prod', 'deploy'), ORG) },
  { name: 'hub-deploy-cannot-create-roles-in-hub', claim: 'hub-roles-assume-only', expect: 'deny', request: (w) => w.act(w.hubRole('deploy'), 'iam:CreateRole', `arn:aws:iam::${w.hub.accountId}:role/backdoor`) },
  { name: 'hub-plan-cannot-read-hub-parameters', claim: 'hub-roles-assume-only', expect: 'deny', request: (w) => w.act(w.hubRole('plan'), 'ssm:GetParameter', `arn:aws:ssm:eu-west-1:${w.hub.accountId}:parameter/gitlab-aws/devops/runners/deploy/token`) },
  // spoke-trust
  { name: 'prod-deploy-requires-organization', claim: 'spoke-trust', expect: 'deny', request: (w) => w.assume(w.hubRole('protectedDeploy'), w.spokeRole('prod', 'deploy'), { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' }) },
  { name: 'prod-plan-requires-organization', claim: 'spoke-trust', expect: 'deny', request: (w) => w.assume(w.hubRole('plan'), w.spokeRole('prod', 'plan')) },
  { name: 'dev-deploy-rejects-runner-role', claim: 'spoke-trust', expect: 'deny', request: (w) => ({ ...w.assume(w.hubRole('deploy'), w.spokeRole('dev', 'deploy')), principal: w.session('arn:aws:iam::111111111111:role/devops-runners-deploy-runner'), identityPolicies: [ADMIN_POLICY] }) },
  {
    name: 'dev-deploy-rejects-other-account',
    claim: 'spoke-trust',
    expect: 'deny',
    request: (w) => outsider(w, 'arn:aws:iam::999999999999:role/gitlab-ci-hub-deploy', 'sts:AssumeRole', w.spokeRole('dev', 'deploy'), w.spoke('dev').accountId, w.iam.role(w.spokeRole('dev', 'deploy')).trust),
  },
  {
    name: 'gitlab-3k-plan-rejects-hub-administrator',
    claim: 'spoke-trust',
    expect: 'deny',
    request: (w) => outsider(w, `arn:aws:iam::${w.hub.accountId}:role/hub-administrator`, 'sts:AssumeRole', w.spokeRole('gitlab-3k', 'plan'), w.spoke('gitlab-3k').accountId, w.iam.role(w.spokeRole('gitlab-3k', 'plan')).trust),
  },
  // operators (item 8)
  ...(['plan', 'deploy'] as const).map(
    (kind): Scenario => ({
      name: `operator-with-mfa-assumes-hub-${kind}`,
      claim: 'operators',
      expect: 'allow',
      request: (w) => outsider(w, `arn:aws:iam::${w.hub.accountId}:role/platform-operator`, 'sts:AssumeRole', w.hubRole(kind), w.hub.accountId, w.iam.role(w.hubRole(kind)).trust, { 'aws:MultiFactorAuthPresent': 'true' }),
    }),
  ),
  {
    name: 'operator-cannot-assume-protected-deploy',
    claim: 'operators',
    expect: 'deny',
    request: (w) => outsider(w, `arn:aws:iam::${w.hub.accountId}:role/platform-operator`, 'sts:AssumeRole', w.hubRole('protectedDeploy'), w.hub.accountId, w.iam.role(w.hubRole('protectedDeploy')).trust, { 'aws:MultiFactorAuthPresent': 'true' }),
  },
  {
    name: 'operator-without-mfa-denied',
    claim: 'operators',
    expect: 'deny',
    request: (w) => outsider(w, `arn:aws:iam::${w.hub.accountId}:role/platform-operator`, 'sts:AssumeRole', w.hubRole('plan'), w.hub.accountId, w.iam.role(w.hubRole('plan')).trust, { 'aws:MultiFactorAuthPresent': 'false' }),
  },
  {
    name: 'operator-without-mfa-cannot-assume-hub-deploy',
    claim: 'operators',
    expect: 'deny',
    request: (w) => outsider(w, `arn:aws:iam::${w.hub.accountId}:role/platform-operator`, 'sts:AssumeRole', w.hubRole('deploy'), w.hub.accountId, w.iam.role(w.hubRole('deploy')).trust, { 'aws:MultiFactorAuthPresent': 'false' }),
  },
  {
    name: 'other-hub-role-cannot-assume-hub-deploy',
    claim: 'operators',
    expect: 'deny',
    request: (w) => outsider(w, `arn:aws:iam::${w.hub.accountId}:role/developer`, 'sts:AssumeRole', w.hubRole('deploy'), w.hub.accountId, w.iam.role(w.hubRole('deploy')).trust, { 'aws:MultiFactorAuthPresent': 'true' }),
  },
  // unchecked-claims: AWS never receives these, so no policy here may rely on them
  {
    name: 'prod-deploy-bound-to-environment-claim',
    claim: 'unchecked-claims',
    expect: 'deny',
    needsUnseenClaims: ['environment', 'environment_protected'],
    request: (w) => w.signIn('protectedDeploy', w.job({ ...release, environment: 'staging', environmentProtected: false })),
  },
  {
    name: 'deploy-bound-to-project-path-claim',
    claim: 'unchecked-claims',
    expect: 'deny',
    needsUnseenClaims: ['project_path'],
    request: (w) => w.signIn('deploy', w.job()),
  },
];
