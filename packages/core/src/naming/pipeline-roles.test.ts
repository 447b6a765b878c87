import { Testing } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { protectedDeployRoleName } from '../environment/sections/roles';
import type { SpokeEnvironmentConfig } from '../environment/schema';
import { EnvironmentStack } from '../stack/environment-stack';
import { TEST_HUB, TEST_HUB_IDENTITY, TEST_SPOKE, testEnvironment } from '../testing/environments';
import { stateKey } from './arns';
import { breakGlassRoleArn, deployKindOf, hubPipelineRoleArns, hubRoleFor, isProtectedSpoke, spokeDeployBoundaryArn, spokeTargetsOf } from './pipeline-roles';

const prod = testEnvironment(TEST_SPOKE) as SpokeEnvironmentConfig;
const dev = testEnvironment(TEST_SPOKE, { guardrails: { production: false } }) as SpokeEnvironmentConfig;

describe('pipeline roles (what the pipeline generator calls)', () => {
  it('names the three hub roles the same from the hub and from a spoke', () => {
    const expected = {
      deploy: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy',
      protectedDeploy: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy-protected',
      plan: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-plan',
    };
    expect(hubPipelineRoleArns(testEnvironment(TEST_HUB, { identity: TEST_HUB_IDENTITY }))).toEqual(expected);
    expect(hubPipelineRoleArns(prod)).toEqual(expected);
  });

  it('sends deploys of production spokes to the protected role, others to the deploy role, plans to the plan role', () => {
    expect(isProtectedSpoke(prod)).toBe(true);
    expect(isProtectedSpoke(dev)).toBe(false);
    expect(hubRoleFor(prod, 'deploy')).toEqual({ kind: 'protectedDeploy', arn: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy-protected' });
    expect(hubRoleFor(dev, 'deploy')).toEqual({ kind: 'deploy', arn: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy' });
    expect(hubRoleFor(prod, 'plan')).toEqual({ kind: 'plan', arn: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-plan' });
  });

  it('splits the spokes\' deploy roles by protection; plan roles go to the plan role', () => {
    const base = { accountId: '222222222222', region: 'eu-west-1' as const, deployRoleName: 'gitlab-ci-deploy', planRoleName: 'gitlab-ci-plan', requiredApprovals: 0 };
    const spokes = [{ ...base, environment: 'dev', protected: false }, { ...base, environment: 'prod', accountId: '333333333333', protected: true }];
    expect(deployKindOf(spokes[1])).toBe('protectedDeploy');
    expect(spokeTargetsOf({ spokes }, 'deploy')).toEqual(['arn:aws:iam::222222222222:role/gitlab-ci-deploy']);
    expect(spokeTargetsOf({ spokes }, 'protectedDeploy')).toEqual(['arn:aws:iam::333333333333:role/gitlab-ci-deploy']);
    expect(spokeTargetsOf({ spokes }, 'plan')).toEqual(['arn:aws:iam::222222222222:role/gitlab-ci-plan', 'arn:aws:iam::333333333333:role/gitlab-ci-plan']);
  });

  it('refuses a deploy role name whose protected twin would not fit IAM\'s 64 characters', () => {
    expect(protectedDeployRoleName('a'.repeat(54))).toHaveLength(64);
    expect(() => protectedDeployRoleName('a'.repeat(55))).toThrow('shorten roles.deployRoleName to at most 54');
  });

  it('builds the boundary and break-glass ARNs from the files alone', () => {
    expect(spokeDeployBoundaryArn(prod)).toBe('arn:aws:iam::222222222222:policy/gitlab-ci-deploy-boundary');
    expect(spokeDeployBoundaryArn(testEnvironment(TEST_SPOKE, { identity: { permissionsBoundary: 'org-boundary' } }) as SpokeEnvironmentConfig)).toBe('arn:aws:iam::aws:policy/org-boundary');
    const hub = testEnvironment(TEST_HUB, { identity: TEST_HUB_IDENTITY }) as Parameters<typeof breakGlassRoleArn>[0];
    expect(breakGlassRoleArn(hub, { breakGlassRoleName: 'bg' })).toBe('arn:aws:iam::111111111111:role/bg');
  });

  it('keeps the state of stacks that hold secrets under <env>/secrets/', () => {
    expect(stateKey(prod, 'dev-amplify', true)).toBe('dev/secrets/dev-amplify.tfstate');
    expect(stateKey(prod, 'dev-baseline')).toBe('dev/dev-baseline.tfstate');
  });
});

describe('DeployBoundaryAspect', () => {
  it('puts the deploy boundary on every role of a spoke stack that has none, and leaves hub roles and explicit boundaries alone', () => {
    const app = Testing.app();
    const spokeStack = new EnvironmentStack(app, { environment: prod, component: 'things' });
    new IamRole(spokeStack, 'plain', { name: 'plain', assumeRolePolicy: '{}' });
    new IamRole(spokeStack, 'own', { name: 'own', assumeRolePolicy: '{}', permissionsBoundary: 'arn:aws:iam::222222222222:policy/own' });
    const json = JSON.parse(Testing.synth(spokeStack));
    expect(json.resource.aws_iam_role.plain.permissions_boundary).toBe('arn:aws:iam::222222222222:policy/gitlab-ci-deploy-boundary');
    expect(json.resource.aws_iam_role.own.permissions_boundary).toBe('arn:aws:iam::222222222222:policy/own');
    const hubStack = new EnvironmentStack(Testing.app(), { environment: testEnvironment(TEST_HUB, { identity: TEST_HUB_IDENTITY }), component: 'things' });
    new IamRole(hubStack, 'plain', { name: 'plain', assumeRolePolicy: '{}' });
    expect(JSON.parse(Testing.synth(hubStack)).resource.aws_iam_role.plain.permissions_boundary).toBeUndefined();
  });
});
