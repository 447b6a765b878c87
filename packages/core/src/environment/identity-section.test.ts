import { checkEnvironmentText } from './loader';
import { formatProblem } from './problems';
import type { EnvironmentConfig } from './schema';
import { TEST_HUB, TEST_HUB_IDENTITY, TEST_SPOKE } from '../testing/environments';

type Data = Record<string, unknown>;

function check(data: Data): { config?: EnvironmentConfig; problems: string[] } {
  const r = checkEnvironmentText(`environments/${String(data.name)}.json`, JSON.stringify(data));
  return { config: r.config, problems: r.problems.map(formatProblem) };
}

/** The problems of the hub with these identity fields replaced (gitlab fields merged). */
function hubProblems(identity: Data, gitlab: Data = {}): string[] {
  return check({ ...TEST_HUB, identity: { ...TEST_HUB_IDENTITY, ...identity, gitlab: { ...TEST_HUB_IDENTITY.gitlab, ...gitlab } } }).problems;
}

function hubIdentity(identity: Data, gitlab: Data = {}) {
  const config = check({ ...TEST_HUB, identity: { ...TEST_HUB_IDENTITY, ...identity, gitlab: { ...TEST_HUB_IDENTITY.gitlab, ...gitlab } } }).config;
  if (config?.kind !== 'hub' || !config.identity) throw new Error('expected a valid hub with an identity section');
  return config.identity;
}

function spokeProblems(identity: Data): string[] {
  return check({ ...TEST_SPOKE, identity }).problems;
}

function spokeIdentity(identity?: Data) {
  const config = check(identity === undefined ? TEST_SPOKE : { ...TEST_SPOKE, identity }).config;
  if (config?.kind !== 'spoke') throw new Error('expected a valid spoke');
  return config.identity;
}

const HUB = 'environments/devops.json';
const SPOKE = 'environments/dev.json';
const exact = (project: string, ref = 'main', refType = 'branch') => ({ project, refType, ref });

describe('hub identity: GitLab project paths', () => {
  it('accepts group/project and subgroups', () => {
    expect(hubProblems({ deploy: [exact('a/b'), exact('group.x/sub-group/my_project')] }, { project: 'a/b/c' })).toEqual([]);
  });

  it.each(['platform', 'platform/', '/platform/app', 'platform/*', 'platform//app', 'https://gitlab.com/platform/app', 'platform/app extra'])('refuses "%s"', (project) => {
    expect(hubProblems({}, { project })).toEqual([
      `${HUB}: identity.gitlab.project: expected a GitLab project path such as "platform/gitlab-on-aws" (group/project, no wildcards), got ${JSON.stringify(project)}`,
    ]);
  });
});

describe('hub identity: exact subjects', () => {
  it('accepts branches and tags, and refs up to 255 characters', () => {
    expect(hubProblems({ deploy: [exact('a/b', 'v1.2.3', 'tag'), exact('a/b', 'r'.repeat(255))] })).toEqual([]);
  });

  it('refuses other ref types, empty and overlong refs, and wildcards', () => {
    const problems = hubProblems({ deploy: [exact('a/b', 'main', 'merge_request'), exact('a/b', ''), exact('a/b', 'r'.repeat(256)), exact('a/b', 'release-?')] });
    expect(problems).toEqual([
      // Neither form fits, so the union says what a subject looks like.
      expect.stringMatching(/^environments\/devops\.json: identity\.deploy\[0\]: expected \{ "project": "group\/project", "refType": "branch"\|"tag"/),
      `${HUB}: identity.deploy[1].ref: expected at least 1 characters, got ""`,
      expect.stringMatching(/^environments\/devops\.json: identity\.deploy\[2\]\.ref: expected at most 255 characters, got "r+\.\.\.$/),
      `${HUB}: identity.deploy[3].ref: wildcards are not allowed in "ref": write { "pattern": "project_path:...:ref:release-*" } to ask for StringLike explicitly, got "release-?"`,
    ]);
  });

  it('says what a subject looks like when it is neither form', () => {
    expect(hubProblems({ plan: [{ ref: 'main' }] })[0]).toMatch(
      /^environments\/devops\.json: identity\.plan\[0\]: expected \{ "project": "group\/project", "refType": "branch"\|"tag", "ref": "main" \} or \{ "pattern": "project_path:group\/project:ref_type:branch:ref:\*" \}/,
    );
  });
});

describe('hub identity: subject patterns', () => {
  it('accepts an exact project with any ref type or a ref pattern', () => {
    const patterns = ['project_path:a/b:ref_type:*:ref:*', 'project_path:a/b/c:ref_type:tag:ref:v*', 'project_path:a/b:ref_type:branch:ref:release-*'];
    expect(hubProblems({ plan: patterns.map((pattern) => ({ pattern })) })).toEqual([]);
  });

  it.each([
    'project_path:a:ref_type:branch:ref:*',
    'project_path:a/*:ref_type:branch:ref:*',
    'project_path:a/b:ref_type:mr:ref:*',
    'project_path:a/b:ref_type:branch:ref:',
    'project_path:a/b:ref_type:branch:ref:a b',
    'x:project_path:a/b:ref_type:branch:ref:*',
    'a/b:ref_type:branch:ref:*',
  ])('refuses %s', (pattern) => {
    expect(hubProblems({ plan: [{ pattern }] })).toEqual([
      `${HUB}: identity.plan[0].pattern: expected "project_path:<group>/<project>:ref_type:<branch|tag|*>:ref:<ref pattern>" with an exact project path, got ${JSON.stringify(pattern)}`,
    ]);
  });

  it('requires at least one plan subject', () => {
    expect(hubProblems({ plan: [] })).toEqual([`${HUB}: identity.plan: list at least one project and ref that may plan, got []`]);
  });
});

describe('hub identity: the GitLab instance', () => {
  it('defaults the audience to none (the URL is used) and accepts a custom one', () => {
    expect(hubIdentity({}).gitlab.audience).toBeUndefined();
    expect(hubIdentity({}, { url: 'https://gitlab.example.com', audience: 'a'.repeat(255) }).gitlab).toMatchObject({ url: 'https://gitlab.example.com', audience: 'a'.repeat(255) });
  });

  it('refuses an empty or overlong audience and a plain-http URL', () => {
    expect(hubProblems({}, { audience: '' })).toEqual([`${HUB}: identity.gitlab.audience: expected at least 1 characters, got ""`]);
    expect(hubProblems({}, { audience: 'a'.repeat(256) })[0]).toMatch(/identity\.gitlab\.audience: expected at most 255 characters/);
    expect(hubProblems({}, { url: 'http://gitlab.example.com' })[0]).toMatch(/^environments\/devops\.json: identity\.gitlab\.url: expected an https:\/\/ URL/);
  });

  it('accepts up to five 40-hex-digit thumbprints, in either case', () => {
    const five = ['a'.repeat(40), 'B'.repeat(40), '0123456789abcdefABCDEF0123456789abcdef01', '9'.repeat(40), 'f'.repeat(40)];
    expect(hubIdentity({}, { thumbprints: five }).gitlab.thumbprints).toEqual(five);
  });

  it.each(['a'.repeat(39), 'a'.repeat(41), 'g'.repeat(40), ` ${'a'.repeat(40)}`, `${'a'.repeat(40)}:`])('refuses the thumbprint "%s"', (thumbprint) => {
    expect(hubProblems({}, { thumbprints: [thumbprint] })).toEqual([
      `${HUB}: identity.gitlab.thumbprints[0]: expected a 40-hex-digit SHA-1 thumbprint, got ${JSON.stringify(thumbprint)}`,
    ]);
  });

  it('refuses a sixth thumbprint', () => {
    expect(hubProblems({}, { thumbprints: Array.from({ length: 6 }, () => 'a'.repeat(40)) })[0]).toMatch(/^environments\/devops\.json: identity\.gitlab\.thumbprints: expected at most 5 items/);
  });
});

describe('hub identity: static keys (legacy)', () => {
  it('stays off when the section is given without "enabled"', () => {
    expect(hubIdentity({ staticKeys: {} }).staticKeys).toEqual({ enabled: false, userName: 'gitlab-ci-legacy', environments: [], sourceCidrs: [], sourceVpcs: [] });
  });

  it('turns on with a user name of up to 64 IAM characters, for listed spokes, from CIDRs or VPCs', () => {
    const userName = `ci+=,.@_-${'u'.repeat(55)}`;
    const keys = { enabled: true, userName, environments: ['dev'], sourceCidrs: ['203.0.113.10/32'], sourceVpcs: ['vpc-0123abcd', 'vpc-0123456789abcdef0'] };
    expect(hubIdentity({ staticKeys: keys }).staticKeys).toEqual(keys);
    expect(hubIdentity({ staticKeys: { enabled: true, environments: ['dev'], sourceVpcs: ['vpc-0123abcd'] } }).staticKeys.sourceCidrs).toEqual([]);
  });

  it('refuses static keys without the networks they may be used from, or the environments they serve', () => {
    expect(hubProblems({ staticKeys: { enabled: true, environments: ['dev'] } })).toEqual([expect.stringMatching(/^environments\/devops\.json: identity\.staticKeys\.sourceCidrs: static keys need "sourceCidrs" \(or "sourceVpcs"\)/)]);
    expect(hubProblems({ staticKeys: { enabled: true, sourceCidrs: ['203.0.113.10/32'] } })).toEqual([expect.stringMatching(/^environments\/devops\.json: identity\.staticKeys\.environments: static keys need "environments"/)]);
    expect(hubProblems({ staticKeys: { enabled: true, environments: ['dev'], sourceVpcs: ['vpc-xyz'] } })[0]).toMatch(/identity\.staticKeys\.sourceVpcs\[0\]: expected a VPC ID such as "vpc-0123456789abcdef0"/);
  });

  it('refuses environments the hub does not list, and protected spokes (only GitLab tokens reach those)', () => {
    const keys = (environments: string[]) => ({ enabled: true, environments, sourceCidrs: ['203.0.113.10/32'] });
    expect(hubProblems({ staticKeys: keys(['staging']) })).toEqual([expect.stringMatching(/identity\.staticKeys\.environments\[0\]: "staging" is not in "spokes": static keys deploy listed spokes only \(listed: dev\)/)]);
    const spokes = [{ ...TEST_HUB_IDENTITY.spokes[0], protected: true }];
    expect(hubProblems({ spokes, staticKeys: keys(['dev']) })).toEqual([expect.stringMatching(/identity\.staticKeys\.environments\[0\]: "dev" is a protected spoke/)]);
  });

  it.each(['', 'ci user', 'u'.repeat(65), 'ci/user'])('refuses the user name "%s"', (userName) => {
    expect(hubProblems({ staticKeys: { enabled: true, userName } })[0]).toMatch(/^environments\/devops\.json: identity\.staticKeys\.userName: expected an IAM user name, got /);
  });
});

describe('hub identity: session length', () => {
  it.each([900, 3600, 43200])('accepts %i seconds', (maxSessionSeconds) => {
    expect(hubIdentity({ maxSessionSeconds }).maxSessionSeconds).toBe(maxSessionSeconds);
  });

  it('refuses 899 and 43201 seconds and fractions', () => {
    expect(hubProblems({ maxSessionSeconds: 899 })).toEqual([`${HUB}: identity.maxSessionSeconds: expected at least 900 seconds, got 899`]);
    expect(hubProblems({ maxSessionSeconds: 43201 })).toEqual([`${HUB}: identity.maxSessionSeconds: expected at most 43200 seconds, got 43201`]);
    expect(hubProblems({ maxSessionSeconds: 1800.5 })).toHaveLength(1);
  });
});

describe('hub identity: spokes', () => {
  const spoke = TEST_HUB_IDENTITY.spokes[0];

  it('defaults to no spokes', () => {
    expect(hubIdentity({ spokes: undefined }).spokes).toEqual([]);
  });

  it('accepts up to five approvals on a protected environment, and distinct spokes', () => {
    const spokes = [
      { ...spoke, protected: true, requiredApprovals: 5, deployRoleName: 'deploy', planRoleName: 'plan' },
      { ...spoke, environment: 'qa', protected: true },
    ];
    expect(hubIdentity({ spokes }).spokes).toEqual([
      { ...spoke, protected: true, requiredApprovals: 5, deployRoleName: 'deploy', planRoleName: 'plan' },
      { ...spoke, environment: 'qa', protected: true, requiredApprovals: 0, deployRoleName: 'gitlab-ci-deploy', planRoleName: 'gitlab-ci-plan' },
    ]);
  });

  it('refuses more than five, negative or fractional approvals', () => {
    expect(hubProblems({ spokes: [{ ...spoke, protected: true, requiredApprovals: 6 }] })).toEqual([`${HUB}: identity.spokes[0].requiredApprovals: expected 0-5 approvals, got 6`]);
    expect(hubProblems({ spokes: [{ ...spoke, protected: true, requiredApprovals: -1 }] })).toEqual([`${HUB}: identity.spokes[0].requiredApprovals: expected at least 0, got -1`]);
    expect(hubProblems({ spokes: [{ ...spoke, protected: true, requiredApprovals: 1.5 }] })).toHaveLength(1);
  });

  it('refuses approvals on an unprotected environment only when there are some', () => {
    expect(hubProblems({ spokes: [{ ...spoke, protected: false, requiredApprovals: 0 }] })).toEqual([]);
    const problems = hubProblems({ spokes: [{ ...spoke, requiredApprovals: 2 }] });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^environments\/devops\.json: identity\.spokes\[0\]\.requiredApprovals: approvals apply to protected environments only: set "protected": true or "requiredApprovals": 0/);
  });

  it('checks each entry\'s fields', () => {
    const problems = hubProblems({ spokes: [{ environment: 'Dev', accountId: '2222', region: 'xx-1', deployRoleName: 'a b' }] });
    expect(problems.map((p) => p.split(':')[1].trim())).toEqual(['identity.spokes[0].environment', 'identity.spokes[0].accountId', 'identity.spokes[0].region', 'identity.spokes[0].deployRoleName']);
  });
});

describe('spoke identity', () => {
  it('applies the defaults when the section is absent or empty', () => {
    const defaults = { deployPolicies: ['AdministratorAccess'], planPolicies: [], maxSessionSeconds: 3600 };
    expect(spokeIdentity()).toEqual(defaults);
    expect(spokeIdentity({})).toEqual(defaults);
  });

  it('accepts organization IDs of 10 to 32 characters', () => {
    expect(spokeIdentity({ principalOrgId: 'o-a1b2c3d4e5' }).principalOrgId).toBe('o-a1b2c3d4e5');
    expect(spokeIdentity({ principalOrgId: `o-${'a'.repeat(32)}` }).principalOrgId).toBe(`o-${'a'.repeat(32)}`);
  });

  it.each(['o-a1b2c3d4e', `o-${'a'.repeat(33)}`, 'o-A1B2C3D4E5', 'x-a1b2c3d4e5', ' o-a1b2c3d4e5', 'o-a1b2c3d4e5 '])('refuses the organization ID "%s"', (principalOrgId) => {
    expect(spokeProblems({ principalOrgId })).toEqual([`${SPOKE}: identity.principalOrgId: expected an organization ID such as "o-a1b2c3d4e5", got ${JSON.stringify(principalOrgId)}`]);
  });

  it.each([
    'ReadOnlyAccess',
    'job-function/ViewOnlyAccess',
    'arn:aws:iam::aws:policy/PowerUserAccess',
    'arn:aws:iam::123456789012:policy/boundaries/gitlab-deploy',
    'arn:aws-us-gov:iam::123456789012:policy/x',
    'arn:aws-cn:iam::aws:policy/ReadOnlyAccess',
    'p'.repeat(128),
  ])('accepts the managed policy %s', (policy) => {
    expect(spokeIdentity({ deployPolicies: [policy], planPolicies: [policy], permissionsBoundary: policy })).toMatchObject({ deployPolicies: [policy], planPolicies: [policy], permissionsBoundary: policy });
  });

  it.each([
    '/ReadOnlyAccess',
    'p'.repeat(129),
    'Read Only',
    'arn:aws:iam::12345:policy/x',
    'arn:aws:s3:::bucket',
    'arn:aws:iam::123456789012:role/x',
    `arn:aws:iam::aws:policy/${'p'.repeat(513)}`,
    'xarn:aws:iam::aws:policy/x',
  ])('refuses the managed policy %s', (policy) => {
    const message = `expected an AWS managed policy name such as "ReadOnlyAccess" or a policy ARN, got ${JSON.stringify(policy).length > 60 ? '' : JSON.stringify(policy)}`;
    const problems = spokeProblems({ permissionsBoundary: policy, deployPolicies: [policy], planPolicies: [policy] });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain(`${SPOKE}: identity.permissionsBoundary: ${message}`);
    expect(problems[1]).toContain(`${SPOKE}: identity.deployPolicies[0]: ${message}`);
    expect(problems[2]).toContain(`${SPOKE}: identity.planPolicies[0]: ${message}`);
  });

  it('takes 1 to 10 deploy policies and 0 to 9 extra plan policies (the built-in plan policy takes the tenth)', () => {
    const ten = Array.from({ length: 10 }, (_, i) => `Policy${i}`);
    const nine = ten.slice(0, 9);
    expect(spokeIdentity({ deployPolicies: ten, planPolicies: nine })).toMatchObject({ deployPolicies: ten, planPolicies: nine });
    expect(spokeIdentity({ planPolicies: [] })).toMatchObject({ planPolicies: [] });
    expect(spokeProblems({ deployPolicies: [], planPolicies: [] })).toEqual([`${SPOKE}: identity.deployPolicies: list at least one policy, got []`]);
    const eleven = [...ten, 'Policy10'];
    expect(spokeProblems({ deployPolicies: eleven, planPolicies: ten }).map((p) => p.replace(/, got .*/, ''))).toEqual([
      `${SPOKE}: identity.deployPolicies: IAM allows 10 managed policies per role by default`,
      `${SPOKE}: identity.planPolicies: IAM allows 10 managed policies per role by default; the plan policy takes one`,
    ]);
  });

  it('takes sessions of 900 to 3600 seconds', () => {
    expect(spokeIdentity({ maxSessionSeconds: 900 }).maxSessionSeconds).toBe(900);
    expect(spokeProblems({ maxSessionSeconds: 899 })).toEqual([`${SPOKE}: identity.maxSessionSeconds: expected at least 900 seconds, got 899`]);
    expect(spokeProblems({ maxSessionSeconds: 3601 })).toEqual([`${SPOKE}: identity.maxSessionSeconds: expected at most 3600 seconds (role chaining caps sessions at one hour), got 3601`]);
  });

  it('refuses hub-only fields', () => {
    expect(spokeProblems({ spokes: [] })[0]).toMatch(/^environments\/dev\.json: identity\.spokes: unknown key/);
  });
});
