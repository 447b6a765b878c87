import { Testing } from 'cdktf';
import { TEST_HUB, TEST_HUB_IDENTITY, testEnvironment } from '@gitlab-aws/core';
import { HubIdentityStack } from '@gitlab-aws/hub-account';
import { IamWorld } from '../iam-model';
import type { Scenario } from '../scenario';
import { ADMIN_POLICY } from './helpers';

/**
 * The example hub leaves static keys off, so these scenarios synthesize the hub identity stack of
 * the shared test hub with them on (from the runners' NAT address 203.0.113.10/32) and evaluate that.
 */
let world: IamWorld | undefined;
function legacyWorld(): IamWorld {
  if (!world) {
    const env = testEnvironment(TEST_HUB, { identity: { ...TEST_HUB_IDENTITY, staticKeys: { enabled: true, sourceCidrs: ['203.0.113.10/32'] } } });
    const stack = new HubIdentityStack(Testing.app(), { environment: env });
    world = new IamWorld({ 'devops-ci-identity': JSON.parse(Testing.synth(stack)) });
  }
  return world;
}

const USER = 'arn:aws:iam::111111111111:user/gitlab-ci-legacy';
const userPolicy = () => {
  const json = JSON.parse(Testing.synth(new HubIdentityStack(Testing.app(), { environment: testEnvironment(TEST_HUB, { identity: { ...TEST_HUB_IDENTITY, staticKeys: { enabled: true, sourceCidrs: ['203.0.113.10/32'] } } }) })));
  return JSON.parse(json.resource.aws_iam_user_policy['legacy-user-assume-deploy'].policy);
};

const legacyAssumes = (roleName: string, sourceIp: string, withUserPolicy = true) => {
  const role = legacyWorld().role(`arn:aws:iam::111111111111:role/${roleName}`);
  return {
    principal: USER,
    action: 'sts:AssumeRole',
    resource: role.arn,
    resourceAccount: role.account,
    context: { 'aws:SourceIp': sourceIp },
    identityPolicies: withUserPolicy ? [{ name: 'inline:assume-hub-deploy-role', policy: userPolicy() }] : [ADMIN_POLICY],
    resourcePolicy: role.trust,
    problems: role.problems,
  };
};

export const staticKeyScenarios: Scenario[] = [
  { name: 'legacy-user-assumes-hub-deploy-from-runner-network', claim: 'static-keys', expect: 'allow', request: () => legacyAssumes('gitlab-ci-hub-deploy', '203.0.113.10') },
  { name: 'legacy-user-cannot-assume-from-elsewhere', claim: 'static-keys', expect: 'deny', request: () => legacyAssumes('gitlab-ci-hub-deploy', '198.51.100.7', false) },
  { name: 'legacy-user-cannot-assume-protected-deploy', claim: 'static-keys', expect: 'deny', request: () => legacyAssumes('gitlab-ci-hub-deploy-protected', '203.0.113.10', false) },
  { name: 'legacy-user-cannot-assume-hub-plan', claim: 'static-keys', expect: 'deny', request: () => legacyAssumes('gitlab-ci-hub-plan', '203.0.113.10', false) },
];
