import { TEST_HUB, TEST_HUB_IDENTITY, testEnvironment } from '@gitlab-aws/core';
import { statementIdProblems } from '@gitlab-aws/core/src/testing/statement-ids';
import type { HubWithIdentity } from './hub-config';
import { legacyUserArn, legacyUserStatements, pipelinePermissionStatements, pipelineTrustStatements, trustedSubjects, type PipelineRole } from './pipeline-policies';

// The pipeline-role policies beyond hub-identity-stack.test.ts: subjects the hub file names for the
// protected deploy role, other partitions, and statement names.
const hub = (identity: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) =>
  testEnvironment(TEST_HUB, { identity: { ...TEST_HUB_IDENTITY, ...identity }, ...overrides }) as HubWithIdentity;
const ROLES: PipelineRole[] = ['deploy', 'protectedDeploy', 'plan'];

describe('trustedSubjects', () => {
  it('uses the subjects the hub file names for the protected deploy role instead of the v* default', () => {
    const named = [{ project: 'platform/gitlab-on-aws', refType: 'tag', ref: 'release-2026' }];
    expect(trustedSubjects(hub({ protectedDeploy: named }), 'protectedDeploy')).toEqual(named);
    const sub = pipelineTrustStatements(hub({ protectedDeploy: named }), 'protectedDeploy')[0].Condition!.StringEquals['gitlab.com:sub'];
    expect(sub).toEqual(['project_path:platform/gitlab-on-aws:ref_type:tag:ref:release-2026']);
  });

  it('keeps the deploy and plan subjects apart', () => {
    expect(trustedSubjects(hub(), 'deploy')).toEqual(TEST_HUB_IDENTITY.deploy);
    expect(trustedSubjects(hub(), 'plan')).toEqual(TEST_HUB_IDENTITY.plan);
  });
});

describe('pipeline policies in another partition', () => {
  const gov = hub({ spokes: [{ environment: 'dev', accountId: '222222222222', region: 'us-gov-west-1' }], staticKeys: { enabled: true, sourceCidrs: ['203.0.113.10/32'], environments: ['dev'] }, operators: { principalArns: ['arn:aws-us-gov:iam::111111111111:role/ops'] } }, { region: 'us-gov-west-1' });

  it('names the legacy user, the operators\' account and the roles in the hub\'s partition', () => {
    expect(legacyUserArn(gov)).toBe('arn:aws-us-gov:iam::111111111111:user/gitlab-ci-legacy');
    expect(pipelineTrustStatements(gov, 'plan').find((s) => s.Sid === 'Operators')?.Principal).toEqual({ AWS: 'arn:aws-us-gov:iam::111111111111:root' });
    expect(legacyUserStatements(gov)[0].Resource).toBe('arn:aws-us-gov:iam::111111111111:role/gitlab-ci-hub-deploy');
  });
});

describe('pipeline policies name every statement', () => {
  const full = hub({ staticKeys: { enabled: true, sourceCidrs: ['203.0.113.10/32'], environments: ['dev'] }, operators: { principalArns: ['arn:aws:iam::111111111111:role/ops'] }, deploy: [...TEST_HUB_IDENTITY.deploy, ...TEST_HUB_IDENTITY.plan] });
  it.each(ROLES)('%s role: trust and permissions', (role) => {
    expect(statementIdProblems(pipelineTrustStatements(full, role))).toEqual([]);
    expect(statementIdProblems(pipelinePermissionStatements(hub({ spokes: [{ environment: 'dev', accountId: '222222222222', region: 'eu-west-1' }, { environment: 'prod', accountId: '333333333333', region: 'eu-west-1', protected: true }] }), role) ?? [])).toEqual([]);
  });

  it('legacy user', () => {
    expect(statementIdProblems(legacyUserStatements(full))).toEqual([]);
  });

  it('checks a deploy trust with every kind of statement: exact refs, patterns, static keys, operators', () => {
    expect(pipelineTrustStatements(full, 'deploy')).toHaveLength(4);
  });
});
