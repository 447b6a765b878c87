// Reading environment files from disk (loader.ts): which files count, how they are named in
// messages, and what a file's own name must agree with.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkEnvironmentText, environmentFiles, ENVIRONMENT_SCHEMA_FILE, loadEnvironmentFile, loadEnvironments } from './loader';
import { EnvironmentValidationError, type EnvironmentProblem } from './problems';
import { TEST_HUB, TEST_SPOKE } from '../testing/environments';

function folder(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'envs-'));
  for (const [name, data] of Object.entries(files)) writeFileSync(join(dir, name), typeof data === 'string' ? data : JSON.stringify(data));
  return dir;
}

function rejection(load: () => unknown): EnvironmentProblem[] {
  try {
    load();
  } catch (e) {
    if (e instanceof EnvironmentValidationError) return [...e.problems];
    throw e;
  }
  throw new Error('expected an EnvironmentValidationError');
}

describe('which files are environments', () => {
  it('takes the .json files of the folder except the schema, sorted by name', () => {
    const dir = folder({ 'b.json': {}, 'a.json': {}, [ENVIRONMENT_SCHEMA_FILE]: {}, 'notes.txt': 'x', 'README.md': '# x', 'c.json.bak': '{', 'json': '' });
    expect(ENVIRONMENT_SCHEMA_FILE).toBe('environment.schema.json');
    expect(environmentFiles(dir)).toEqual([join(dir, 'a.json'), join(dir, 'b.json')]);
  });

  it('loads a folder with non-JSON files beside the environments', () => {
    const dir = folder({ 'devops.json': TEST_HUB, 'dev.json': TEST_SPOKE, 'notes.txt': 'not json', 'dev.json.orig': '{' });
    expect(loadEnvironments(dir).map((e) => `${e.kind}:${e.name}`)).toEqual(['spoke:dev', 'hub:devops']);
  });
});

describe('file names in messages', () => {
  it('shows paths relative to the display root, or as given', () => {
    const root = mkdtempSync(join(tmpdir(), 'repo-'));
    mkdirSync(join(root, 'environments'));
    writeFileSync(join(root, 'environments', 'dev.json'), JSON.stringify({ ...TEST_SPOKE, accountId: '1' }));
    expect(rejection(() => loadEnvironmentFile(join(root, 'environments', 'dev.json'), { displayRoot: root })).map((p) => `${p.file}: ${p.field}`)).toEqual(['environments/dev.json: accountId']);
    expect(rejection(() => loadEnvironmentFile(join(root, 'environments', 'dev.json'))).map((p) => p.file)).toEqual([join(root, 'environments', 'dev.json')]);
    expect(rejection(() => loadEnvironments(join(root, 'environments'), { displayRoot: root })).map((p) => p.file)).toEqual(['environments/dev.json']);
    expect(rejection(() => loadEnvironments(join(root, 'environments'))).map((p) => p.file)).toEqual([join(root, 'environments', 'dev.json')]);
  });

  it('names a missing file relative to the display root too', () => {
    const root = mkdtempSync(join(tmpdir(), 'repo-'));
    const problems = rejection(() => loadEnvironmentFile(join(root, 'environments', 'qa.json'), { displayRoot: root }));
    expect(problems.map((p) => `${p.file}: ${p.field}`)).toEqual(['environments/qa.json: (file)']);
    expect(problems[0].message).toContain('npm run new-env');
  });

  it('returns the validated config of a good file', () => {
    const dir = folder({ 'dev.json': TEST_SPOKE });
    expect(loadEnvironmentFile(join(dir, 'dev.json'))).toMatchObject({ name: 'dev', kind: 'spoke', accountId: '222222222222' });
  });
});

describe('a file and the name it declares', () => {
  it('compares the name with the file name without its folder and .json', () => {
    expect(checkEnvironmentText('some/dir/dev.json', JSON.stringify(TEST_SPOKE)).problems).toEqual([]);
    // Only the final ".json" goes: the name the message proposes is "dev.json-old".
    const problems = checkEnvironmentText('some/dir/dev.json-old.json', JSON.stringify(TEST_SPOKE)).problems;
    expect(problems.map((p) => p.field)).toEqual(['name']);
    expect(problems[0].message).toContain('"dev.json-old"');
  });

  it('gives no config when only the name disagrees', () => {
    const checked = checkEnvironmentText('environments/qa.json', JSON.stringify(TEST_SPOKE));
    expect(checked.config).toBeUndefined();
    expect(checked.problems.map((p) => p.field)).toEqual(['name']);
    expect(checked.problems[0].message).toContain('"qa"');
  });

  it('does not compare a name that is not a string (the schema reports it)', () => {
    const problems = checkEnvironmentText('environments/dev.json', JSON.stringify({ ...TEST_SPOKE, name: 7 })).problems;
    expect(problems.map((p) => p.field)).toEqual(['name']);
    expect(problems[0].message).toMatch(/^expected a string, got 7/);
  });

  it('reports JSON that is not an object without failing', () => {
    for (const text of ['null', '[]', '"dev"']) {
      const checked = checkEnvironmentText('environments/dev.json', text);
      expect(checked.config).toBeUndefined();
      expect(checked.problems.length).toBeGreaterThan(0);
    }
  });
});
