import keyPolicies from '../data/aws-managed-key-policies.json';
import { defaultKeyPolicy } from '../iam-model';
import type { Scenario } from '../scenario';
import type { ScenarioWorld } from '../world';

/** The AWS managed aws/ssm key's policy in a spoke: any principal of the account may decrypt through SSM. */
function ssmKeyPolicy(account: string, region: string): unknown {
  return JSON.parse(JSON.stringify(keyPolicies['aws/ssm']).replace(/\$\{Account\}/g, account).replace(/\$\{Region\}/g, region));
}

function inSpoke(w: ScenarioWorld, spoke: string) {
  const env = w.spoke(spoke);
  return { account: env.accountId, region: env.region, arn: (service: string, rest: string) => `arn:aws:${service}:${env.region}:${env.accountId}:${rest}` };
}

const plan = (w: ScenarioWorld, spoke: string) => w.spokeRole(spoke, 'plan');
const deploy = (w: ScenarioWorld, spoke: string) => w.spokeRole(spoke, 'deploy');
const boundaryOf = (w: ScenarioWorld, spoke: string) => w.iam.role(deploy(w, spoke)).boundary?.name ?? 'none';

/** A read the plan role must be able to do (terraform plan refreshes it). */
const planReads = (name: string, action: string, resource: (w: ScenarioWorld) => string, resourcePolicy?: (w: ScenarioWorld) => unknown): Scenario => ({
  name,
  claim: 'plan-no-secrets',
  expect: 'allow',
  request: (w) => w.act(plan(w, 'prod'), action, resource(w), { resourcePolicy: resourcePolicy?.(w) }),
});

/** A read of a secret the plan role must never do (hole 1: ReadOnlyAccess allowed it). */
const planNeverReads = (name: string, action: string, resource: (w: ScenarioWorld) => string, hole?: number, context?: Record<string, string>, resourcePolicy?: (w: ScenarioWorld) => unknown): Scenario => ({
  name,
  claim: 'plan-no-secrets',
  expect: 'explicit-deny',
  ...(hole ? { hole } : {}),
  request: (w) => w.act(plan(w, 'prod'), action, resource(w), { context, resourcePolicy: resourcePolicy?.(w) }),
});

const UNBOUNDED = 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole';

/** A role change the deploy role may make only on a role that carries its boundary (hole 2). */
const boundaryRequired = (name: string, action: string, resource: string, extra: Record<string, string> = {}): Scenario => ({
  name,
  claim: 'boundary',
  expect: 'explicit-deny',
  hole: 2,
  request: (w) => w.act(deploy(w, 'dev'), action, resource, { context: extra }),
});

/** An action the boundary denies outright. */
const boundaryDenies = (name: string, action: string, resource: (w: ScenarioWorld) => string, hole?: number, context?: (w: ScenarioWorld) => Record<string, string>): Scenario => ({
  name,
  claim: 'boundary',
  expect: 'explicit-deny',
  ...(hole ? { hole } : {}),
  request: (w) => w.act(deploy(w, 'dev'), action, resource(w), { context: context?.(w) }),
});

/** The spoke plan role (no secrets) and the deploy role's boundary. */
export const spokeRoleScenarios: Scenario[] = [
  // plan-no-secrets
  planReads('prod-plan-describes-instances', 'ec2:DescribeInstances', () => '*'),
  planReads('prod-plan-reads-role', 'iam:GetRole', (w) => `arn:aws:iam::${w.spoke('prod').accountId}:role/prod-amplify-service-role`),
  planReads('prod-plan-lists-parameters', 'ssm:DescribeParameters', () => '*'),
  planReads('prod-plan-reads-bucket-encryption', 's3:GetEncryptionConfiguration', () => 'arn:aws:s3:::prod-web-assets'),
  planReads('prod-plan-reads-key-policy', 'kms:GetKeyPolicy', (w) => inSpoke(w, 'prod').arn('kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab'), (w) => defaultKeyPolicy('aws', w.spoke('prod').accountId)),
  planReads('prod-plan-reads-plain-parameter', 'ssm:GetParameter', (w) => inSpoke(w, 'prod').arn('ssm', 'parameter/prod/amplify/app-id')),
  planNeverReads(
    'prod-plan-cannot-decrypt-securestring',
    'kms:Decrypt',
    (w) => inSpoke(w, 'prod').arn('kms', 'key/aws-ssm-managed-key'),
    1,
    { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com', 'kms:CallerAccount': '333333333333', 'kms:EncryptionContext:PARAMETER_ARN': 'arn:aws:ssm:eu-west-1:333333333333:parameter/prod/amplify/basic-auth' },
    (w) => ssmKeyPolicy(w.spoke('prod').accountId, w.spoke('prod').region),
  ),
  planNeverReads('prod-plan-cannot-read-s3-objects', 's3:GetObject', () => 'arn:aws:s3:::prod-web-assets/config/.env', 1),
  planNeverReads('prod-plan-cannot-read-amplify-app', 'amplify:GetApp', (w) => inSpoke(w, 'prod').arn('amplify', 'apps/d1a2b3c4'), 1),
  planNeverReads('prod-plan-cannot-read-amplify-branch', 'amplify:GetBranch', (w) => inSpoke(w, 'prod').arn('amplify', 'apps/d1a2b3c4/branches/main'), 1),
  planNeverReads('prod-plan-cannot-read-parameters-by-path', 'ssm:GetParametersByPath', (w) => inSpoke(w, 'prod').arn('ssm', 'parameter/prod/amplify'), 1),
  planNeverReads('prod-plan-cannot-read-log-events', 'logs:GetLogEvents', (w) => inSpoke(w, 'prod').arn('logs', 'log-group:/aws/amplify/d1a2b3c4:log-stream:build'), 1),
  planNeverReads('prod-plan-cannot-get-windows-password', 'ec2:GetPasswordData', (w) => inSpoke(w, 'prod').arn('ec2', 'instance/i-0123456789abcdef0'), 1),
  planNeverReads('prod-plan-cannot-get-secret-value', 'secretsmanager:GetSecretValue', (w) => inSpoke(w, 'prod').arn('secretsmanager', 'secret:prod/db-AbCdEf')),
  planNeverReads('prod-plan-cannot-make-data-keys', 'kms:GenerateDataKey', (w) => inSpoke(w, 'prod').arn('kms', 'key/1234abcd-12ab-34cd-56ef-1234567890ab')),
  { name: 'prod-plan-cannot-write-parameters', claim: 'plan-no-secrets', expect: 'deny', request: (w) => w.act(plan(w, 'prod'), 'ssm:PutParameter', inSpoke(w, 'prod').arn('ssm', 'parameter/prod/amplify/gitlab-token')) },
  { name: 'prod-plan-cannot-create-roles', claim: 'plan-no-secrets', expect: 'deny', request: (w) => w.act(plan(w, 'prod'), 'iam:CreateRole', `arn:aws:iam::${w.spoke('prod').accountId}:role/x`, { context: { 'iam:PermissionsBoundary': boundaryOf(w, 'prod') } }) },
  { name: 'dev-plan-cannot-read-s3-objects', claim: 'plan-no-secrets', expect: 'explicit-deny', hole: 1, request: (w) => w.act(plan(w, 'dev'), 's3:GetObject', 'arn:aws:s3:::dev-web-assets/index.html') },
  // boundary: every role the deploy role creates or changes carries the boundary
  { name: 'deploy-creates-role-with-boundary', claim: 'boundary', expect: 'allow', request: (w) => w.act(deploy(w, 'dev'), 'iam:CreateRole', 'arn:aws:iam::222222222222:role/app-role', { context: { 'iam:PermissionsBoundary': boundaryOf(w, 'dev') } }) },
  boundaryRequired('deploy-cannot-create-role-without-boundary', 'iam:CreateRole', 'arn:aws:iam::222222222222:role/escape'),
  boundaryRequired('deploy-cannot-create-role-with-admin-boundary', 'iam:CreateRole', 'arn:aws:iam::222222222222:role/escape', { 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/AdministratorAccess' }),
  { name: 'deploy-attaches-policy-to-bounded-role', claim: 'boundary', expect: 'allow', request: (w) => w.act(deploy(w, 'dev'), 'iam:AttachRolePolicy', 'arn:aws:iam::222222222222:role/app-role', { context: { 'iam:PermissionsBoundary': boundaryOf(w, 'dev'), 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } }) },
  boundaryRequired('deploy-cannot-attach-admin-to-unbounded-role', 'iam:AttachRolePolicy', UNBOUNDED, { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' }),
  boundaryRequired('deploy-cannot-put-inline-policy-on-unbounded-role', 'iam:PutRolePolicy', UNBOUNDED),
  boundaryRequired('deploy-cannot-change-trust-of-unbounded-role', 'iam:UpdateAssumeRolePolicy', UNBOUNDED),
  boundaryRequired('deploy-cannot-detach-from-unbounded-role', 'iam:DetachRolePolicy', UNBOUNDED, { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
  boundaryRequired('deploy-cannot-delete-unbounded-role', 'iam:DeleteRole', UNBOUNDED),
  boundaryRequired('deploy-cannot-put-other-boundary', 'iam:PutRolePermissionsBoundary', 'arn:aws:iam::222222222222:role/app-role', { 'iam:PermissionsBoundary': 'arn:aws:iam::aws:policy/AdministratorAccess' }),
  { name: 'deploy-changes-trust-of-bounded-role', claim: 'boundary', expect: 'allow', request: (w) => w.act(deploy(w, 'dev'), 'iam:UpdateAssumeRolePolicy', 'arn:aws:iam::222222222222:role/app-role', { context: { 'iam:PermissionsBoundary': boundaryOf(w, 'dev') } }) },
  boundaryDenies('deploy-cannot-remove-boundary', 'iam:DeleteRolePermissionsBoundary', () => 'arn:aws:iam::222222222222:role/app-role', 2, (w) => ({ 'iam:PermissionsBoundary': boundaryOf(w, 'dev') })),
  boundaryDenies('deploy-cannot-create-oidc-provider', 'iam:CreateOpenIDConnectProvider', () => 'arn:aws:iam::222222222222:oidc-provider/token.actions.githubusercontent.com', 2),
  boundaryDenies('deploy-cannot-update-oidc-thumbprint', 'iam:UpdateOpenIDConnectProviderThumbprint', () => 'arn:aws:iam::222222222222:oidc-provider/gitlab.com', 2),
  boundaryDenies('deploy-cannot-add-oidc-audience', 'iam:AddClientIDToOpenIDConnectProvider', () => 'arn:aws:iam::222222222222:oidc-provider/gitlab.com', 2),
  boundaryDenies('deploy-cannot-create-saml-provider', 'iam:CreateSAMLProvider', () => 'arn:aws:iam::222222222222:saml-provider/evil', 2),
  boundaryDenies('deploy-cannot-attach-user-policy', 'iam:AttachUserPolicy', () => 'arn:aws:iam::222222222222:user/someone', 2, () => ({ 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' })),
  boundaryDenies('deploy-cannot-put-user-policy', 'iam:PutUserPolicy', () => 'arn:aws:iam::222222222222:user/someone', 2),
  boundaryDenies('deploy-cannot-attach-group-policy', 'iam:AttachGroupPolicy', () => 'arn:aws:iam::222222222222:group/admins', 2, () => ({ 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' })),
  boundaryDenies('deploy-cannot-add-user-to-group', 'iam:AddUserToGroup', () => 'arn:aws:iam::222222222222:group/admins', 2),
  boundaryDenies('deploy-cannot-create-user', 'iam:CreateUser', () => 'arn:aws:iam::222222222222:user/backdoor'),
  boundaryDenies('deploy-cannot-create-access-key', 'iam:CreateAccessKey', () => 'arn:aws:iam::222222222222:user/someone'),
  boundaryDenies('deploy-cannot-edit-boundary', 'iam:CreatePolicyVersion', (w) => boundaryOf(w, 'dev')),
  boundaryDenies('deploy-cannot-delete-boundary', 'iam:DeletePolicy', (w) => boundaryOf(w, 'dev')),
  boundaryDenies('deploy-cannot-switch-boundary-version', 'iam:SetDefaultPolicyVersion', (w) => boundaryOf(w, 'dev')),
  boundaryDenies('deploy-cannot-change-own-trust', 'iam:UpdateAssumeRolePolicy', (w) => deploy(w, 'dev'), undefined, (w) => ({ 'iam:PermissionsBoundary': boundaryOf(w, 'dev') })),
  boundaryDenies('deploy-cannot-widen-plan-role', 'iam:AttachRolePolicy', (w) => plan(w, 'dev'), undefined, (w) => ({ 'iam:PermissionsBoundary': boundaryOf(w, 'dev'), 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' })),
  boundaryDenies('deploy-cannot-leave-organization', 'organizations:LeaveOrganization', () => '*'),
  { name: 'deploy-creates-vpcs', claim: 'boundary', expect: 'allow', request: (w) => w.act(deploy(w, 'dev'), 'ec2:CreateVpc', 'arn:aws:ec2:eu-west-1:222222222222:vpc/vpc-0a1b2c3d4e5f60718') },
  { name: 'deploy-creates-buckets', claim: 'boundary', expect: 'allow', request: (w) => w.act(deploy(w, 'dev'), 's3:CreateBucket', 'arn:aws:s3:::dev-web-assets') },
  {
    name: 'prod-deploy-cannot-create-role-without-boundary',
    claim: 'boundary',
    expect: 'explicit-deny',
    hole: 2,
    request: (w) => w.act(deploy(w, 'prod'), 'iam:CreateRole', `arn:aws:iam::${w.spoke('prod').accountId}:role/escape`),
  },
];
