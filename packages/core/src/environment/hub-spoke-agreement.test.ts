// Checks across environment files (cross-checks.ts). Messages are matched by field and by the
// values they must name, not word for word, so rewording them does not break these tests.
import { crossCheck, type LoadedFile } from './cross-checks';
import type { EnvironmentProblem } from './problems';
import { TEST_HUB, TEST_HUB_IDENTITY, TEST_SPOKE, testEnvironment } from '../testing/environments';

type Data = Record<string, unknown>;

const file = (data: Data): LoadedFile => ({ file: `environments/${String(data.name)}.json`, config: testEnvironment(data as never) });
const where = (p: EnvironmentProblem) => `${p.file}: ${p.field}`;
const hubWith = (identity: Data | undefined, extra: Data = {}): Data => ({ ...TEST_HUB, ...extra, ...(identity ? { identity } : {}) });
const spokeOf = (name: string, hub = 'devops', extra: Data = {}): Data => ({ ...TEST_SPOKE, name, ...extra, hub: { ...TEST_SPOKE.hub, environment: hub } });
// The test spokes keep the production guardrails (the default), so the hub lists them protected.
const entry = (environment: string, extra: Data = {}) => ({ ...TEST_HUB_IDENTITY.spokes[0], environment, protected: true, ...extra });

describe('a spoke and the hub it names', () => {
  it('reports a missing hub when no hub exists at all, saying a hub file is needed', () => {
    const problems = crossCheck([file(spokeOf('dev', 'devops'))]);
    expect(problems.map(where)).toEqual(['environments/dev.json: hub.environment']);
    expect(problems[0].message).toContain('"devops"');
    expect(problems[0].message).toContain('kind "hub"');
  });

  it('lists every hub there is when the named one is missing', () => {
    const problems = crossCheck([file(hubWith(undefined)), file(hubWith(undefined, { name: 'tooling' })), file(spokeOf('dev', 'ops'))]);
    expect(problems.map(where)).toEqual(['environments/dev.json: hub.environment']);
    expect(problems[0].message).toContain('"ops"');
    expect(problems[0].message).toContain('"devops", "tooling"');
  });

  it('reports each field of the hub reference that disagrees, and only those', () => {
    const hub = file(hubWith(undefined, { roles: { deployRoleName: 'hub-deploy', planRoleName: 'hub-plan' } }));
    const spoke = file({ ...TEST_SPOKE, hub: { ...TEST_SPOKE.hub, deployRoleName: 'hub-deploy', planRoleName: 'other-plan' } });
    const problems = crossCheck([hub, spoke]);
    expect(problems.map(where)).toEqual(['environments/dev.json: hub.planRoleName']);
    expect(problems[0].message).toContain('"other-plan"');
    expect(problems[0].message).toContain('"hub-plan"');
    expect(problems[0].message).toContain('environments/devops.json');
  });

  it('does not compare a spoke with a hub of another name', () => {
    expect(crossCheck([file(hubWith(undefined)), file(hubWith(undefined, { name: 'tooling', accountId: '999999999999' })), file(TEST_SPOKE)])).toEqual([]);
  });
});

describe('a hub identity section and its spokes', () => {
  it('accepts a hub listing every one of its spokes', () => {
    const identity = { ...TEST_HUB_IDENTITY, spokes: [entry('dev'), entry('qa', { accountId: '333333333333' })] };
    expect(crossCheck([file(hubWith(identity)), file(TEST_SPOKE), file(spokeOf('qa', 'devops', { accountId: '333333333333' }))])).toEqual([]);
  });

  it('reports the spoke a hub omits while listing another', () => {
    const identity = { ...TEST_HUB_IDENTITY, spokes: [entry('dev')] };
    const problems = crossCheck([file(hubWith(identity)), file(TEST_SPOKE), file(spokeOf('qa', 'devops', { accountId: '333333333333', region: 'us-east-1' }))]);
    expect(problems.map(where)).toEqual(['environments/qa.json: hub.environment']);
    expect(problems[0].message).toContain('"devops"');
    expect(problems[0].message).toContain('environments/devops.json');
    // The entry to add, with the spoke's own account and region.
    expect(problems[0].message).toContain('{ "environment": "qa", "accountId": "333333333333", "region": "us-east-1" }');
  });

  it('leaves the spokes of another hub to that hub', () => {
    const identity = { ...TEST_HUB_IDENTITY, spokes: [entry('dev')] };
    const otherHub = hubWith(undefined, { name: 'tooling' });
    expect(crossCheck([file(hubWith(identity)), file(otherHub), file(TEST_SPOKE), file(spokeOf('qa', 'tooling'))])).toEqual([]);
  });

  it('reports a listed spoke that belongs to another hub, naming that hub', () => {
    const identity = { ...TEST_HUB_IDENTITY, spokes: [entry('dev'), entry('qa')] };
    const problems = crossCheck([file(hubWith(identity)), file(hubWith(undefined, { name: 'tooling' })), file(TEST_SPOKE), file(spokeOf('qa', 'tooling'))]);
    expect(problems.map(where)).toEqual(['environments/devops.json: identity.spokes[1].environment']);
    expect(problems[0].message).toContain('"qa"');
    expect(problems[0].message).toContain('"tooling"');
    expect(problems[0].message).toContain('environments/qa.json');
  });

  it('reports a listed environment that is a hub, not a spoke', () => {
    const identity = { ...TEST_HUB_IDENTITY, spokes: [entry('dev'), entry('tooling')] };
    const problems = crossCheck([file(hubWith(identity)), file(hubWith(undefined, { name: 'tooling' })), file(TEST_SPOKE)]);
    expect(problems.map(where)).toEqual(['environments/devops.json: identity.spokes[1].environment']);
    expect(problems[0].message).toContain('"tooling"');
    expect(problems[0].message).toContain('environments/tooling.json');
  });

  it('reports every field of an entry that disagrees with the spoke file', () => {
    const identity = { ...TEST_HUB_IDENTITY, spokes: [entry('dev', { accountId: '999999999999', region: 'us-east-1', deployRoleName: 'd', planRoleName: 'p' })] };
    const problems = crossCheck([file(hubWith(identity)), file(TEST_SPOKE)]);
    expect(problems.map(where)).toEqual([
      'environments/devops.json: identity.spokes[0].accountId',
      'environments/devops.json: identity.spokes[0].region',
      'environments/devops.json: identity.spokes[0].deployRoleName',
      'environments/devops.json: identity.spokes[0].planRoleName',
    ]);
    for (const [p, mine, theirs] of [
      [problems[0], '999999999999', '222222222222'],
      [problems[1], 'us-east-1', 'eu-west-1'],
      [problems[2], 'd', 'gitlab-ci-deploy'],
      [problems[3], 'p', 'gitlab-ci-plan'],
    ] as const) {
      expect(p.message).toContain(`"${mine}"`);
      expect(p.message).toContain(`"${theirs}"`);
      expect(p.message).toContain('environments/dev.json');
    }
  });

  it('compares role names the spoke sets itself', () => {
    const spoke = { ...TEST_SPOKE, roles: { deployRoleName: 'd', planRoleName: 'p' } };
    expect(crossCheck([file(hubWith({ ...TEST_HUB_IDENTITY, spokes: [entry('dev', { deployRoleName: 'd', planRoleName: 'p' })] })), file(spoke)])).toEqual([]);
  });
});

describe('duplicate names', () => {
  it('reports each later file of a name, naming the first', () => {
    const dev = file(TEST_SPOKE);
    const problems = crossCheck([file(hubWith(undefined)), dev, { ...dev, file: 'b/dev.json' }, { ...dev, file: 'c/dev.json' }]);
    expect(problems.map(where)).toEqual(['b/dev.json: name', 'c/dev.json: name']);
    expect(problems[1].message).toContain('"dev"');
    expect(problems[1].message).toContain('environments/dev.json');
  });
});
