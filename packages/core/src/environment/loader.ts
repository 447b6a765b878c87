import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { crossCheck, type LoadedFile } from './cross-checks';
import { knownKeysAt } from './json-schema';
import { EnvironmentValidationError, formatProblem, type EnvironmentProblem } from './problems';
import { suggestRegion } from './regions';
import { environmentSchema, type EnvironmentConfig } from './schema';
import { problemsFromIssues } from './zod-issues';

export const ENVIRONMENT_SCHEMA_FILE = 'environment.schema.json';

/** Result of checking one file: its config when valid, and every problem found. */
export interface CheckedFile {
  readonly file: string;
  readonly config?: EnvironmentConfig;
  readonly problems: EnvironmentProblem[];
}

/** Validates one environment file's text without throwing. `file` is the name used in messages. */
export function checkEnvironmentText(file: string, text: string): CheckedFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    return { file, problems: [{ file, field: '(file)', message: `is not valid JSON (${(e as Error).message}): fix the syntax` }] };
  }
  const result = environmentSchema.safeParse(data, { reportInput: true });
  const problems = result.success ? [] : problemsFromIssues(file, result.error.issues, (path) => knownKeysAt(data, path)).map(explain);
  const stem = basename(file).replace(/\.json$/, '');
  const name = (data as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && name !== stem) {
    problems.push({ file, field: 'name', message: `is "${name}" but the file is ${basename(file)}: rename the file to ${name}.json or set "name": "${stem}"` });
  }
  return problems.length ? { file, problems } : { file, config: result.data, problems };
}

const ACCOUNT_ID = 'a 12-digit AWS account ID in quotes (e.g. "123456789012")';

/** Adds what a newcomer needs to a schema message: the account ID format when one is missing, the region a typo meant. */
function explain(p: EnvironmentProblem): EnvironmentProblem {
  const last = p.field.split('.').pop();
  if (last === 'accountId' && p.message.startsWith('required')) return { ...p, message: `required: expected ${ACCOUNT_ID}` };
  if (last === 'region') {
    const typed = /got "([^"]*)"/.exec(p.message)?.[1];
    const guess = typed !== undefined ? suggestRegion(typed) : undefined;
    if (guess) return { ...p, message: `${p.message}: did you mean "${guess}"?` };
  }
  return p;
}

/** Loads and validates one environment file; throws with every problem listed. */
export function loadEnvironmentFile(path: string, options: { displayRoot?: string } = {}): EnvironmentConfig {
  const file = options.displayRoot ? relative(options.displayRoot, path) : path;
  if (!existsSync(path)) {
    throw new EnvironmentValidationError([{ file, field: '(file)', message: 'does not exist: create it with `npm run new-env -- <name>`' }]);
  }
  const checked = checkEnvironmentText(file, readFileSync(path, 'utf8'));
  if (!checked.config) throw new EnvironmentValidationError(checked.problems);
  return checked.config;
}

/** Every environment file in a folder (the schema file excluded), sorted by name. */
export function environmentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== ENVIRONMENT_SCHEMA_FILE)
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Loads every environment in a folder and checks them together (unique names, spokes agreeing with
 * their hub). Throws once, listing every problem in every file.
 */
export function loadEnvironments(dir: string, options: LoadOptions = {}): EnvironmentConfig[] {
  const checked = environmentFiles(dir).map((path) =>
    checkEnvironmentText(options.displayRoot ? relative(options.displayRoot, path) : path, readFileSync(path, 'utf8')),
  );
  const valid = checked.filter((c): c is CheckedFile & { config: EnvironmentConfig } => c.config !== undefined) as LoadedFile[];
  const invalidNames = new Set(checked.filter((c) => !c.config).map((c) => basename(c.file).replace(/\.json$/, '')));
  const all = [...checked.flatMap((c) => c.problems), ...crossCheck(valid, { invalidNames })];
  const problems = all.filter((p) => p.severity !== 'warning');
  if (problems.length) throw new EnvironmentValidationError(problems);
  const warn = options.onWarning ?? ((w: EnvironmentProblem) => process.stderr.write(`${formatProblem(w)}\n`));
  for (const w of all.filter((p) => p.severity === 'warning')) warn(w);
  return valid.map((v) => v.config);
}

export interface LoadOptions {
  /** Shown instead of absolute paths in messages, relative to this folder. Default: paths as given. */
  readonly displayRoot?: string;
  /** Receives each warning (valid, but worth knowing). Default: printed to stderr. */
  readonly onWarning?: (warning: EnvironmentProblem) => void;
}
