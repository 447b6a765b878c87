import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnvironments } from './loader';
import { EnvironmentValidationError, type EnvironmentProblem } from './problems';
import { suggestRegion } from './regions';

const EXAMPLES = join(__dirname, '..', '..', '..', '..', 'environments');

/** A copy of the example environments with some files changed. */
function environments(edit: Record<string, (json: Record<string, any>) => unknown>): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const dir = mkdtempSync(join(tmpdir(), 'envs-'));
  cpSync(EXAMPLES, dir, { recursive: true });
  for (const [name, change] of Object.entries(edit)) {
    const file = join(dir, `${name}.json`);
    const out = change(JSON.parse(readFileSync(file, 'utf8')));
    writeFileSync(file, typeof out === 'string' ? out : JSON.stringify(out, null, 2));
  }
  return dir;
}

function problems(dir: string): { errors: string[]; warnings: string[] } {
  const warnings: EnvironmentProblem[] = [];
  try {
    loadEnvironments(dir, { displayRoot: dir, onWarning: (w) => warnings.push(w) });
    return { errors: [], warnings: warnings.map((w) => `${w.file}: ${w.field}: ${w.message}`) };
  } catch (e) {
    if (!(e instanceof EnvironmentValidationError)) throw e;
    return { errors: e.problems.map((p) => `${p.file}: ${p.field}: ${p.message}`), warnings: [] };
  }
}

describe('what a new user trips over', () => {
  it('loads the examples with no warning (their VPC ranges are distinct)', () => {
    expect(problems(environments({}))).toEqual({ errors: [], warnings: [] });
  });

  it('rejects overlapping VPC ranges in one account and region, naming both files', () => {
    const dir = environments({ 'gitlab-2k': (j) => ({ ...j, accountId: '555555555555', network: { ...j.network, vpcCidr: '10.40.128.0/17' } }) });
    const { errors } = problems(dir);
    expect(errors).toContain(
      'gitlab-poc.json: network.vpcCidr: 10.40.0.0/16 overlaps 10.40.128.0/17 of gitlab-2k.json in the same account and region (555555555555, eu-west-1): give each VPC its own range',
    );
  });

  it('warns (without failing) when VPC ranges overlap across accounts, naming both files', () => {
    const dir = environments({ 'gitlab-2k': (j) => ({ ...j, network: { ...j.network, vpcCidr: '10.40.0.0/16' } }) });
    expect(problems(dir)).toEqual({
      errors: [],
      warnings: [
        'gitlab-poc.json: network.vpcCidr: 10.40.0.0/16 overlaps 10.40.0.0/16 of gitlab-2k.json (another account or region): fine today, but VPC peering or a Transit Gateway between them would need distinct ranges',
      ],
    });
  });

  it('does not overlap ranges that only touch', () => {
    const dir = environments({ 'gitlab-2k': (j) => ({ ...j, accountId: '555555555555', network: { ...j.network, vpcCidr: '10.41.0.0/16' } }), 'gitlab-poc': (j) => ({ ...j, network: { ...j.network, vpcCidr: '10.40.0.0/16' } }) });
    expect(problems(dir).errors.filter((e) => e.includes('overlaps'))).toEqual([]);
  });

  it('reports an invalid spoke file once, without a second "add environments/dev.json" error from the hub', () => {
    const dir = environments({ dev: (j) => ({ ...j, accountId: '12345' }) });
    const { errors } = problems(dir);
    expect(errors).toEqual(['dev.json: accountId: expected a 12-digit AWS account ID in quotes (e.g. "123456789012"), got "12345"']);
  });

  it('still says a listed spoke is missing when its file really is missing', () => {
    const dir = environments({ dev: () => '{}' });
    expect(problems(dir).errors.some((e) => e.includes('add environments/dev.json'))).toBe(false);
    const gone = environments({});
    rmSync(join(gone, 'dev.json'));
    expect(problems(gone).errors).toContain(
      'devops.json: identity.spokes[0].environment: lists "dev", but there is no spoke environment of that name: remove the entry or add environments/dev.json (npm run new-env)',
    );
  });

  it('says "12 digits" when the account ID is missing, and suggests the region a typo meant', () => {
    const dir = environments({ dev: ({ accountId: _, ...j }) => ({ ...j, region: 'eu-wset-1' }) });
    const { errors } = problems(dir);
    expect(errors).toContain('dev.json: accountId: required: expected a 12-digit AWS account ID in quotes (e.g. "123456789012")');
    expect(errors).toContain('dev.json: region: expected an AWS region code such as "eu-west-1" or "us-east-1", got "eu-wset-1": did you mean "eu-west-1"?');
  });

  it('suggests only close regions', () => {
    expect(suggestRegion('us-east1')).toBe('us-east-1');
    expect(suggestRegion('EU-WEST-2')).toBe('eu-west-2');
    expect(suggestRegion('eu-west-1')).toBeUndefined();
    expect(suggestRegion('mars-north-9')).toBeUndefined();
  });
});
