import { Testing } from 'cdktf';
import { testEnvironment, TEST_SPOKE, type SpokeEnvironmentConfig } from '@gitlab-aws/core';
import { statementIdProblems } from '@gitlab-aws/core/src/testing/statement-ids';
import { deployBoundaryStatements } from './deploy-boundary';
import { planPolicyStatements } from './plan-policy';
import { SpokeRolesStack } from './spoke-roles-stack';
import { spokeTrustStatements } from './spoke-trust';

// Every policy of the spoke names each statement (findings and simulations point at statements by
// Sid); what each statement allows or denies is tested by evaluation next to its source.
const env = testEnvironment(TEST_SPOKE, { roles: { externalId: 'acme-ci-7f3a' } }) as SpokeEnvironmentConfig;

describe('spoke policies name every statement', () => {
  it.each([
    ['deploy boundary', deployBoundaryStatements(env)],
    ['plan policy', planPolicyStatements()],
    ['deploy-role trust', spokeTrustStatements(env, 'deploy')],
    ['plan-role trust', spokeTrustStatements(env, 'plan')],
  ])('%s', (_, statements) => {
    expect(statementIdProblems(statements)).toEqual([]);
  });
});

describe('SpokeRolesStack descriptions say what each thing is for', () => {
  const json = JSON.parse(Testing.synth(new SpokeRolesStack(Testing.app(), { environment: env })));

  it('names the environment and who assumes each role', () => {
    expect(json.resource.aws_iam_role['deploy-role'].description).toBe('Deploys dev; assumed by the hub deploy role only');
    expect(json.resource.aws_iam_role['plan-role'].description).toBe('Read-only plans of dev; assumed by the hub plan role only');
  });

  it('describes the boundary as the ceiling of the deploy role it names', () => {
    expect(json.resource.aws_iam_policy['deploy-boundary'].description).toMatch(/^Ceiling of gitlab-ci-deploy and every role it creates: /);
  });

  it('describes each output by the hub role that uses it', () => {
    expect(json.output.deploy_role_arn.description).toBe('Role the hub deploy role assumes here');
    expect(json.output.plan_role_arn.description).toBe('Read-only role the hub plan role assumes here');
  });
});
