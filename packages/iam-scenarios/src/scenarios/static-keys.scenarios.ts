import { Testing } from 'cdktf';
import { LEGACY_KEYS_SESSION_PREFIX, TEST_HUB, TEST_HUB_IDENTITY, TEST_SPOKE, stateBucketName, testEnvironment } from '@gitlab-aws/core';
import { HubIdentityStack, TerraformStateStack } from '@gitlab-aws/hub-account';
import { SpokeRolesStack } from '@gitlab-aws/spoke-roles';
import type { IamRequest } from '../evaluator';
import { IamWorld } from '../iam-model';
import type { Scenario } from '../scenario';
import type { StackJson } from '../synthesize';
import { ADMIN_POLICY } from './helpers';

/**
 * The example hub leaves static keys off, so these scenarios synthesize a hub of their own with
 * them on: two non-protected spokes (dev and staging, both with their real ci-roles stacks), keys
 * for dev only, usable from the runners' NAT address 203.0.113.10/32 or through an endpoint of
 * vpc-0123456789abcdef0. Evaluated: the user's policy, the hub deploy role's trust and its
 * legacy-session denies, the spoke roles' trust and the state bucket policy.
 */
const HUB_ACCOUNT = '111111111111';
const RUNNER_IP = '203.0.113.10';
const RUNNER_VPC = 'vpc-0123456789abcdef0';
const SPOKES = { dev: '222222222222', staging: '444444444444' } as const;

let cache: { world: IamWorld; bucket: string } | undefined;
function legacyWorld(): { world: IamWorld; bucket: string } {
  if (cache) return cache;
  const spokes = Object.entries(SPOKES).map(([environment, accountId]) => ({ environment, accountId, region: 'eu-west-1' }));
  const hub = testEnvironment(TEST_HUB, {
    identity: { ...TEST_HUB_IDENTITY, spokes, staticKeys: { enabled: true, environments: ['dev'], sourceCidrs: [`${RUNNER_IP}/32`], sourceVpcs: [RUNNER_VPC] } },
  });
  const stacks: Record<string, StackJson> = {
    'devops-ci-identity': JSON.parse(Testing.synth(new HubIdentityStack(Testing.app(), { environment: hub }))),
    'devops-tfstate': JSON.parse(Testing.synth(new TerraformStateStack(Testing.app(), { environment: hub }))),
  };
  for (const [name, accountId] of Object.entries(SPOKES)) {
    const spoke = testEnvironment(TEST_SPOKE, { name, accountId, guardrails: { production: false } });
    stacks[`${name}-ci-roles`] = JSON.parse(Testing.synth(new SpokeRolesStack(Testing.app(), { environment: spoke })));
  }
  cache = { world: new IamWorld(stacks), bucket: stateBucketName(hub) };
  return cache;
}

const USER = `arn:aws:iam::${HUB_ACCOUNT}:user/gitlab-ci-legacy`;
const HUB_DEPLOY = `arn:aws:iam::${HUB_ACCOUNT}:role/gitlab-ci-hub-deploy`;
const LEGACY_SESSION = `${LEGACY_KEYS_SESSION_PREFIX}42-7`;
const OIDC_SESSION = 'gitlab-ci-42-7';
const spokeDeploy = (spoke: keyof typeof SPOKES) => `arn:aws:iam::${SPOKES[spoke]}:role/gitlab-ci-deploy`;

type Network = { 'aws:SourceIp': string } | { 'aws:SourceVpc': string };
const fromRunners: Network = { 'aws:SourceIp': RUNNER_IP };
const fromElsewhere: Network = { 'aws:SourceIp': '198.51.100.7' };

/** The legacy user assuming a hub role: with its own policy, or with an administrator's (then only the trust decides). */
function userAssumes(roleName: string, network: Network, sessionName: string, ownPolicy = true): IamRequest {
  const { world } = legacyWorld();
  const role = world.role(`arn:aws:iam::${HUB_ACCOUNT}:role/${roleName}`);
  const user = world.users.get(USER);
  return {
    principal: USER,
    action: 'sts:AssumeRole',
    resource: role.arn,
    resourceAccount: role.account,
    context: { ...network, 'sts:RoleSessionName': sessionName },
    identityPolicies: ownPolicy ? (user?.identityPolicies ?? []) : [ADMIN_POLICY],
    resourcePolicy: role.trust,
    problems: [...role.problems, ...(ownPolicy ? (user?.problems ?? [`no user ${USER} in the synthesized stacks`]) : [])],
  };
}

/** A session of the hub deploy role (legacy or OIDC, by its session name) making a request. */
function sessionRequest(sessionName: string, network: Network, action: string, resource: string, resourceAccount: string, resourcePolicy: unknown, problems: string[]): IamRequest {
  const { world } = legacyWorld();
  const hubDeploy = world.role(HUB_DEPLOY);
  return {
    principal: `arn:aws:sts::${HUB_ACCOUNT}:assumed-role/gitlab-ci-hub-deploy/${sessionName}`,
    action,
    resource,
    resourceAccount,
    // aws:userid of a role session is "<role ID>:<session name>".
    context: { ...network, 'aws:userid': `AROAHUBDEPLOYEXAMPLE:${sessionName}`, 'aws:ViaAWSService': 'false', 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' },
    identityPolicies: hubDeploy.identityPolicies,
    resourcePolicy,
    problems: [...hubDeploy.problems, ...problems],
  };
}

const sessionAssumes = (sessionName: string, spoke: keyof typeof SPOKES, network: Network = fromRunners) => {
  const target = legacyWorld().world.role(spokeDeploy(spoke));
  return sessionRequest(sessionName, network, 'sts:AssumeRole', target.arn, target.account, target.trust, target.problems);
};

const sessionState = (sessionName: string, action: string, key: string, network: Network = fromRunners) => {
  const { world, bucket } = legacyWorld();
  const b = world.bucket(bucket);
  return sessionRequest(sessionName, network, action, `${b.arn}/${key}`, HUB_ACCOUNT, b.policy, b.problems);
};

export const staticKeyScenarios: Scenario[] = [
  // The user: the hub deploy role only, under a legacy session name, from the listed networks.
  { name: 'legacy-user-assumes-hub-deploy-from-runner-network', claim: 'static-keys', expect: 'allow', request: () => userAssumes('gitlab-ci-hub-deploy', fromRunners, LEGACY_SESSION) },
  { name: 'legacy-user-assumes-hub-deploy-through-listed-vpc', claim: 'static-keys', expect: 'allow', request: () => userAssumes('gitlab-ci-hub-deploy', { 'aws:SourceVpc': RUNNER_VPC }, LEGACY_SESSION) },
  { name: 'legacy-user-cannot-assume-from-elsewhere', claim: 'static-keys', expect: 'deny', request: () => userAssumes('gitlab-ci-hub-deploy', fromElsewhere, LEGACY_SESSION, false) },
  { name: 'legacy-user-cannot-assume-through-other-vpc', claim: 'static-keys', expect: 'deny', request: () => userAssumes('gitlab-ci-hub-deploy', { 'aws:SourceVpc': 'vpc-0fedcba9876543210' }, LEGACY_SESSION, false) },
  { name: 'legacy-user-needs-legacy-session-name', claim: 'static-keys', expect: 'deny', request: () => userAssumes('gitlab-ci-hub-deploy', fromRunners, OIDC_SESSION, false) },
  { name: 'legacy-user-cannot-assume-protected-deploy', claim: 'static-keys', expect: 'deny', request: () => userAssumes('gitlab-ci-hub-deploy-protected', fromRunners, LEGACY_SESSION, false) },
  { name: 'legacy-user-cannot-assume-hub-plan', claim: 'static-keys', expect: 'deny', request: () => userAssumes('gitlab-ci-hub-plan', fromRunners, LEGACY_SESSION, false) },
  // Its sessions: the listed environment's deploy role and state only, from the listed networks.
  { name: 'legacy-session-assumes-dev-deploy', claim: 'static-keys', expect: 'allow', request: () => sessionAssumes(LEGACY_SESSION, 'dev') },
  { name: 'legacy-session-cannot-assume-staging-deploy', claim: 'static-keys', expect: 'explicit-deny', request: () => sessionAssumes(LEGACY_SESSION, 'staging') },
  { name: 'oidc-session-of-same-role-assumes-staging-deploy', claim: 'static-keys', expect: 'allow', request: () => sessionAssumes(OIDC_SESSION, 'staging') },
  { name: 'legacy-session-cannot-assume-dev-deploy-from-elsewhere', claim: 'static-keys', expect: 'explicit-deny', request: () => sessionAssumes(LEGACY_SESSION, 'dev', fromElsewhere) },
  { name: 'legacy-session-writes-dev-state', claim: 'static-keys', expect: 'allow', request: () => sessionState(LEGACY_SESSION, 's3:PutObject', 'dev/network.tfstate') },
  { name: 'legacy-session-cannot-read-staging-state', claim: 'static-keys', expect: 'explicit-deny', request: () => sessionState(LEGACY_SESSION, 's3:GetObject', 'staging/network.tfstate') },
  { name: 'legacy-session-cannot-take-staging-lock', claim: 'static-keys', expect: 'explicit-deny', request: () => sessionState(LEGACY_SESSION, 's3:PutObject', 'staging/network.tfstate.tflock') },
  { name: 'oidc-session-of-same-role-reads-staging-state', claim: 'static-keys', expect: 'allow', request: () => sessionState(OIDC_SESSION, 's3:GetObject', 'staging/network.tfstate') },
  { name: 'legacy-session-cannot-read-dev-state-from-elsewhere', claim: 'static-keys', expect: 'explicit-deny', request: () => sessionState(LEGACY_SESSION, 's3:GetObject', 'dev/network.tfstate', fromElsewhere) },
];
