import { crossCheck, type LoadedFile } from './cross-checks';
import { checkEnvironmentText } from './loader';
import { formatProblem } from './problems';
import type { EnvironmentConfig } from './schema';
import { subjectClaim } from './sections/identity';
import { TEST_HUB, TEST_SPOKE } from '../testing/environments';

const identity = {
  gitlab: { project: 'platform/gitlab-on-aws' },
  deploy: [{ project: 'platform/gitlab-on-aws', refType: 'branch', ref: 'main' }],
  plan: [{ pattern: 'project_path:platform/gitlab-on-aws:ref_type:branch:ref:*' }],
  // TEST_SPOKE is production (the default), so the hub lists it as protected.
  spokes: [{ environment: 'dev', accountId: '222222222222', region: 'eu-west-1', protected: true }],
};
const hub = { ...TEST_HUB, identity };
const spoke = TEST_SPOKE;

function check(data: Record<string, unknown>): { config?: EnvironmentConfig; problems: string[] } {
  const r = checkEnvironmentText(`environments/${String(data.name)}.json`, JSON.stringify(data));
  return { config: r.config, problems: r.problems.map(formatProblem) };
}

function loaded(...datas: Record<string, unknown>[]): LoadedFile[] {
  return datas.map((d) => {
    const r = check(d);
    if (!r.config) throw new Error(r.problems.join('\n'));
    return { file: `environments/${String(d.name)}.json`, config: r.config };
  });
}

describe('hub identity section', () => {
  it('applies documented defaults: gitlab.com, no static keys, one-hour sessions, spoke role names', () => {
    const config = check(hub).config;
    expect(config?.kind === 'hub' && config.identity).toEqual({
      gitlab: { url: 'https://gitlab.com', thumbprints: [], project: 'platform/gitlab-on-aws' },
      deploy: identity.deploy,
      plan: identity.plan,
      spokes: [{ environment: 'dev', accountId: '222222222222', region: 'eu-west-1', deployRoleName: 'gitlab-ci-deploy', planRoleName: 'gitlab-ci-plan', protected: true, requiredApprovals: 0 }],
      breakGlassRoleName: 'gitlab-aws-break-glass',
      staticKeys: { enabled: false, userName: 'gitlab-ci-legacy', environments: [], sourceCidrs: [], sourceVpcs: [] },
      maxSessionSeconds: 3600,
    });
  });

  it('turns subjects into sub claims, exact unless a pattern is written', () => {
    expect(subjectClaim({ project: 'a/b', refType: 'tag', ref: 'v1.0.0' })).toEqual({ value: 'project_path:a/b:ref_type:tag:ref:v1.0.0', pattern: false });
    expect(subjectClaim({ pattern: 'project_path:a/b:ref_type:branch:ref:*' })).toEqual({ value: 'project_path:a/b:ref_type:branch:ref:*', pattern: true });
  });

  it('refuses wildcards in an exact ref and patterns that could match another project', () => {
    const bad = check({
      ...hub,
      identity: {
        ...identity,
        deploy: [{ project: 'platform/gitlab-on-aws', refType: 'branch', ref: 'release-*' }],
        plan: [{ pattern: 'project_path:platform/*:ref_type:branch:ref:*' }],
      },
    }).problems.join('\n');
    expect(bad).toContain('identity.deploy[0]');
    expect(bad).toContain('identity.plan[0]');
    expect(bad).toContain('exact project path');
  });

  it('requires at least one deploy subject and a project', () => {
    const problems = check({ ...hub, identity: { ...identity, deploy: [], gitlab: {} } }).problems.join('\n');
    expect(problems).toContain('identity.deploy: list at least one project and ref that may deploy');
    expect(problems).toContain('identity.gitlab.project');
  });

  it('rejects approvals on an unprotected environment and a spoke listed twice', () => {
    const problems = check({
      ...hub,
      identity: { ...identity, spokes: [...identity.spokes, { ...identity.spokes[0], protected: false, requiredApprovals: 1 }] },
    }).problems.join('\n');
    expect(problems).toContain('identity.spokes[1].requiredApprovals: approvals apply to protected environments only');
    expect(problems).toContain('identity.spokes: lists a spoke twice');
  });
});

describe('hub identity section: protected deploys, operators, static keys', () => {
  it('accepts protected-deploy subjects, a project ID and operators (MFA by default)', () => {
    const config = check({
      ...hub,
      identity: { ...identity, gitlab: { project: 'platform/gitlab-on-aws', projectId: '4242' }, protectedDeploy: [{ pattern: 'project_path:platform/gitlab-on-aws:ref_type:tag:ref:v*' }], operators: { principalArns: ['arn:aws:iam::111111111111:role/ops'] } },
    }).config;
    expect(config?.kind === 'hub' && config.identity?.operators).toEqual({ principalArns: ['arn:aws:iam::111111111111:role/ops'], requireMfa: true });
    expect(config?.kind === 'hub' && config.identity?.gitlab.projectId).toBe('4242');
  });

  it('refuses a non-numeric project ID, an operator that is not a role ARN, and static keys without networks', () => {
    const problems = check({ ...hub, identity: { ...identity, gitlab: { project: 'platform/gitlab-on-aws', projectId: 'abc' }, operators: { principalArns: ['arn:aws:iam::111111111111:user/me'] }, staticKeys: { enabled: true } } }).problems.join('\n');
    expect(problems).toContain('identity.gitlab.projectId: expected the numeric GitLab project ID');
    expect(problems).toContain('identity.operators.principalArns[0]: expected an IAM role ARN');
    expect(problems).toContain('identity.staticKeys.sourceCidrs: static keys need "sourceCidrs"');
    const open = { ...identity, spokes: [{ ...identity.spokes[0], protected: false }] };
    expect(check({ ...hub, identity: { ...open, staticKeys: { enabled: true, environments: ['dev'], sourceCidrs: ['203.0.113.10/32'] } } }).problems).toEqual([]);
  });
});

describe('spoke identity section', () => {
  it('defaults to AdministratorAccess and no extra plan policy, with one-hour sessions', () => {
    const config = check(spoke).config;
    expect(config?.kind === 'spoke' && config.identity).toEqual({ deployPolicies: ['AdministratorAccess'], planPolicies: [], maxSessionSeconds: 3600 });
  });

  it('rejects sessions longer than role chaining allows and a malformed organization ID', () => {
    const problems = check({ ...spoke, identity: { maxSessionSeconds: 7200, principalOrgId: 'org-1' } }).problems.join('\n');
    expect(problems).toContain('identity.maxSessionSeconds: expected at most 3600 seconds (role chaining caps sessions at one hour)');
    expect(problems).toContain('identity.principalOrgId: expected an organization ID');
  });
});

describe('hub and spokes agree on who trusts whom', () => {
  it('accepts a hub listing exactly its spokes', () => {
    expect(crossCheck(loaded(hub, spoke))).toEqual([]);
  });

  it('reports a spoke the hub does not list, with the entry to add', () => {
    const problems = crossCheck(loaded({ ...hub, identity: { ...identity, spokes: [] } }, spoke)).map(formatProblem);
    expect(problems).toEqual([
      'environments/dev.json: hub.environment: hub "devops" does not list "dev" in environments/devops.json identity.spokes, so it would not trust it: add { "environment": "dev", "accountId": "222222222222", "region": "eu-west-1" } there',
    ]);
  });

  it('reports a listed spoke that does not exist, or whose account or role names differ', () => {
    const spokes = [
      { environment: 'dev', accountId: '333333333333', region: 'eu-west-1', planRoleName: 'other-plan', protected: true },
      { environment: 'qa', accountId: '444444444444', region: 'eu-west-1' },
    ];
    const problems = crossCheck(loaded({ ...hub, identity: { ...identity, spokes } }, spoke)).map(formatProblem);
    expect(problems).toEqual([
      'environments/devops.json: identity.spokes[0].accountId: is "333333333333" but environments/dev.json has accountId "222222222222": make them agree',
      'environments/devops.json: identity.spokes[0].planRoleName: is "other-plan" but environments/dev.json has roles.planRoleName "gitlab-ci-plan": make them agree',
      'environments/devops.json: identity.spokes[1].environment: lists "qa", but there is no spoke environment of that name: remove the entry or add environments/qa.json (npm run new-env)',
    ]);
  });

  it('reports a production spoke the hub does not protect, and a protected spoke that is not production', () => {
    const unprotected = crossCheck(loaded({ ...hub, identity: { ...identity, spokes: [{ ...identity.spokes[0], protected: false }] } }, spoke)).map(formatProblem);
    expect(unprotected).toEqual([
      'environments/devops.json: identity.spokes[0].protected: is false but environments/dev.json has guardrails.production true: a production spoke is protected (only the protected deploy role reaches it), so set "protected": true here or change guardrails.production there',
    ]);
    expect(crossCheck(loaded(hub, { ...spoke, guardrails: { production: false } })).map(formatProblem)[0]).toContain('identity.spokes[0].protected: is true but environments/dev.json has guardrails.production false');
  });

  it('checks nothing extra for a hub without an identity section', () => {
    const plainHub = Object.fromEntries(Object.entries(hub).filter(([k]) => k !== 'identity'));
    expect(crossCheck(loaded(plainHub, spoke))).toEqual([]);
  });
});
