import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crossCheck } from './cross-checks';
import { checkEnvironmentText, loadEnvironmentFile, loadEnvironments } from './loader';
import { EnvironmentValidationError, formatProblem } from './problems';
import { TEST_HUB, TEST_SPOKE } from '../testing/environments';

const hub = TEST_HUB;
const spoke = TEST_SPOKE;

/** Problems for one file, as the lines a user reads. */
function problems(data: unknown, file = `environments/${(data as { name?: string }).name ?? 'x'}.json`): string[] {
  return checkEnvironmentText(file, JSON.stringify(data)).problems.map(formatProblem);
}

function folder(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'envs-'));
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), typeof data === 'string' ? data : JSON.stringify(data));
  return dir;
}

function allProblems(dir: string): string[] {
  try {
    loadEnvironments(dir, { displayRoot: dir });
  } catch (e) {
    expect(e).toBeInstanceOf(EnvironmentValidationError);
    return (e as EnvironmentValidationError).problems.map(formatProblem);
  }
  throw new Error('expected the environments to be rejected');
}

describe('a valid environment', () => {
  it('loads with defaults applied', () => {
    const checked = checkEnvironmentText('environments/dev.json', JSON.stringify(spoke));
    expect(checked.problems).toEqual([]);
    expect(checked.config).toMatchObject({
      kind: 'spoke',
      roles: { deployRoleName: 'gitlab-ci-deploy', planRoleName: 'gitlab-ci-plan' },
      hub: { deployRoleName: 'gitlab-ci-hub-deploy', planRoleName: 'gitlab-ci-hub-plan' },
      state: { bucketPrefix: 'gitlab-aws-tfstate' },
      baseline: { minimumPasswordLength: 14, accessAnalyzer: true, requireImdsv2: true },
      tags: {},
    });
  });

  it('gives a hub its pipeline role names by default', () => {
    expect(checkEnvironmentText('environments/devops.json', JSON.stringify(hub)).config?.roles).toEqual({
      deployRoleName: 'gitlab-ci-hub-deploy',
      planRoleName: 'gitlab-ci-hub-plan',
    });
  });
});

describe('bad input: one problem each, naming file, field and what is expected', () => {
  it.each<[string, unknown, string]>([
    ['short account ID', { ...spoke, accountId: '12345' }, 'environments/dev.json: accountId: expected a 12-digit AWS account ID in quotes (e.g. "123456789012"), got "12345"'],
    ['account ID as a number', { ...spoke, accountId: 222222222222 }, 'environments/dev.json: accountId: expected a string, got 222222222222'],
    ['unknown region', { ...spoke, region: 'eu-west-9' }, 'environments/dev.json: region: expected an AWS region code such as "eu-west-1" or "us-east-1", got "eu-west-9"'],
    ['unknown kind', { ...spoke, kind: 'satellite' }, 'environments/dev.json: kind: expected "kind" to be "hub" (the DevOps account) or "spoke" (an account the hub deploys to)'],
    ['spoke naming no hub', { ...spoke, hub: undefined }, 'environments/dev.json: hub: a spoke must name its hub: add "hub": { "environment": "<hub name>", "accountId": "<12 digits>", "region": "<hub region>" }'],
    ['unknown top-level key, close to a real one', { ...spoke, regoin: 'eu-west-1' }, 'environments/dev.json: regoin: unknown key: did you mean "region"?'],
    ['unknown nested key', { ...spoke, baseline: { accesAnalyzer: false } }, 'environments/dev.json: baseline.accesAnalyzer: unknown key: did you mean "accessAnalyzer"?'],
    ['malformed CIDR', { ...spoke, network: { vpcCidr: '10.0.0/16' } }, 'environments/dev.json: network.vpcCidr: expected an IPv4 CIDR block such as "10.20.0.0/16", got "10.0.0/16"'],
    ['CIDR with host bits', { ...spoke, network: { vpcCidr: '10.20.1.0/16' } }, 'environments/dev.json: network.vpcCidr: expected the network address of the block (host bits zero), e.g. "10.20.0.0/16", got "10.20.1.0/16"'],
    ['VPC too large', { ...spoke, network: { vpcCidr: '10.0.0.0/8' } }, 'environments/dev.json: network.vpcCidr: expected a VPC block between /16 and /24 (AWS limits), got "10.0.0.0/8"'],
    ['bad CIDR in a list', { ...spoke, network: { vpcCidr: '10.0.0.0/16', allowedIngressCidrs: ['0.0.0.0/0', '300.1.1.1/32'] } }, 'environments/dev.json: network.allowedIngressCidrs[1]: expected an IPv4 CIDR block such as "10.20.0.0/16", got "300.1.1.1/32"'],
    ['name with capitals', { ...spoke, name: 'Dev' }, 'environments/Dev.json: name: expected 2-24 characters of lowercase letters, digits and hyphens, starting with a letter (e.g. "staging"), got "Dev"'],
    ['reserved tag key', { ...spoke, tags: { Environment: 'x' } }, 'environments/dev.json: tags: these tag keys are set by the stacks and may not be redefined: Environment, Stack, Owner, ManagedBy, got {"Environment":"x"}'],
    ['aws: tag prefix', { ...spoke, tags: { 'aws:cost': 'x' } }, 'environments/dev.json: tags.aws:cost: tag keys may not start with "aws:" (reserved by AWS), got "aws:cost"'],
    ['invalid role name', { ...spoke, roles: { deployRoleName: 'deploy role!' } }, 'environments/dev.json: roles.deployRoleName: expected an IAM role name: 1-64 characters of letters, digits and + = , . @ _ -, got "deploy role!"'],
    ['missing owner', { ...spoke, owner: undefined }, 'environments/dev.json: owner: required: expected a string'],
    ['password length too short', { ...spoke, baseline: { minimumPasswordLength: 6 } }, 'environments/dev.json: baseline.minimumPasswordLength: expected at least 8, got 6'],
    ['bad hub account', { ...spoke, hub: { ...spoke.hub, accountId: '1111' } }, 'environments/dev.json: hub.accountId: expected a 12-digit AWS account ID in quotes (e.g. "123456789012"), got "1111"'],
    ['bad state bucket', { ...spoke, state: { bucket: 'My_Bucket' } }, 'environments/dev.json: state.bucket: expected an S3 bucket name: 3-63 lowercase letters, digits, dots and hyphens, got "My_Bucket"'],
    ['name differs from file', { ...spoke, name: 'staging' }, 'environments/dev.json: name: is "staging" but the file is dev.json: rename the file to staging.json or set "name": "dev"'],
  ])('%s', (_label, data, expected) => {
    const file = _label === 'name differs from file' ? 'environments/dev.json' : undefined;
    const lines = problems(data, file);
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith(expected)).toBe(true);
  });

  it('lists every problem of a file at once', () => {
    const lines = problems({ ...spoke, accountId: '1', region: 'mars-1', owner: '', extra: true });
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringContaining('environments/dev.json: accountId:'),
        expect.stringContaining('environments/dev.json: region:'),
        expect.stringContaining('environments/dev.json: owner:'),
        expect.stringContaining('environments/dev.json: extra: unknown key'),
      ]),
    );
    expect(lines).toHaveLength(4);
  });

  it('reports broken JSON with the parser message', () => {
    expect(checkEnvironmentText('environments/dev.json', '{ "name": "dev", }').problems.map(formatProblem)[0]).toMatch(
      /^environments\/dev\.json: \(file\): is not valid JSON \(.+\): fix the syntax$/,
    );
  });

  it('lists the allowed keys for an unknown key that resembles none', () => {
    expect(problems({ ...spoke, zzz: 1 })[0]).toMatch(/zzz: unknown key: remove it or check the spelling \(allowed here: .*accountId.*hub.*\)/);
  });
});

describe('checks across files', () => {
  it('rejects duplicate names, naming both files', () => {
    const dir = folder({ 'devops.json': hub, 'dev.json': spoke, 'dev2.json': { ...spoke, name: 'dev' } });
    expect(allProblems(dir)).toEqual(
      expect.arrayContaining(['dev2.json: name: is "dev" but the file is dev2.json: rename the file to dev.json or set "name": "dev2"']),
    );
  });

  it('rejects a duplicate name even when file names agree (two folders merged)', () => {
    const dir = folder({ 'devops.json': hub, 'dev.json': spoke });
    const config = loadEnvironmentFile(join(dir, 'dev.json'));
    const hubConfig = loadEnvironmentFile(join(dir, 'devops.json'));
    const files = [{ file: 'devops.json', config: hubConfig }, { file: 'a/dev.json', config }, { file: 'b/dev.json', config }];
    expect(crossCheck(files).map(formatProblem)).toEqual([
      'b/dev.json: name: duplicate environment name "dev", also used by a/dev.json: give each environment its own name',
    ]);
  });

  it('rejects a spoke whose hub does not exist', () => {
    const dir = folder({ 'devops.json': hub, 'dev.json': { ...spoke, hub: { ...spoke.hub, environment: 'tooling' } } });
    expect(allProblems(dir)).toEqual(['dev.json: hub.environment: names hub "tooling", but there is no such environment: expected one of "devops"']);
  });

  it('rejects a spoke that names another spoke as its hub', () => {
    const dir = folder({ 'devops.json': hub, 'dev.json': spoke, 'qa.json': { ...spoke, name: 'qa', hub: { ...spoke.hub, environment: 'dev' } } });
    expect(allProblems(dir)).toEqual(['qa.json: hub.environment: "dev" is a spoke, not a hub: name an environment of kind "hub"']);
  });

  it('rejects a spoke whose copy of the hub disagrees with the hub file', () => {
    const dir = folder({
      'devops.json': { ...hub, roles: { deployRoleName: 'ci-deploy' } },
      'dev.json': { ...spoke, hub: { ...spoke.hub, accountId: '999999999999', region: 'us-east-1' } },
    });
    expect(allProblems(dir)).toEqual([
      'dev.json: hub.accountId: is "999999999999" but devops.json has accountId "111111111111": make them agree',
      'dev.json: hub.region: is "us-east-1" but devops.json has region "eu-west-1": make them agree',
      'dev.json: hub.deployRoleName: is "gitlab-ci-hub-deploy" but devops.json has roles.deployRoleName "ci-deploy": make them agree',
    ]);
  });

  it('collects problems from every file before throwing', () => {
    const dir = folder({ 'devops.json': { ...hub, region: 'nowhere' }, 'dev.json': { ...spoke, accountId: 'abc' } });
    const lines = allProblems(dir);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^dev\.json: accountId:/);
    expect(lines[1]).toMatch(/^devops\.json: region:/);
  });

  it('skips the schema file and loads valid folders', () => {
    const dir = folder({ 'devops.json': hub, 'dev.json': spoke, 'environment.schema.json': { type: 'object' } });
    expect(loadEnvironments(dir).map((e) => e.name)).toEqual(['dev', 'devops']);
  });

  it('names a missing file and how to create it', () => {
    expect(() => loadEnvironmentFile('/nowhere/environments/qa.json')).toThrow(
      '/nowhere/environments/qa.json: (file): does not exist: create it with `npm run new-env -- <name>`',
    );
  });
});
