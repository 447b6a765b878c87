import type { z } from 'zod';
import type { EnvironmentProblem } from './problems';

type Issue = z.core.$ZodIssue;

/** Turns zod's issues into problems a person can act on: file, field, what is expected. */
export function problemsFromIssues(file: string, issues: readonly Issue[], knownKeys: (path: PropertyKey[]) => string[]): EnvironmentProblem[] {
  return issues.flatMap((issue) => {
    const path = issue.path as PropertyKey[];
    if (issue.code === 'unrecognized_keys') {
      const allowed = knownKeys(path);
      return issue.keys.map((key) => ({
        file,
        field: fieldName([...path, key]),
        message: unknownKeyMessage(key, allowed),
      }));
    }
    return [{ file, field: fieldName(path), message: describe(issue) }];
  });
}

export function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(file)';
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

function describe(issue: Issue): string {
  const input = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_key' || issue.code === 'invalid_element') {
    // A record key or map entry: the inner issue says what is wrong with it.
    const inner = issue.issues[0];
    return inner ? describe({ ...inner, input: (inner as { input?: unknown }).input ?? input } as Issue) : issue.message;
  }
  if (issue.code === 'invalid_type') {
    if (input === undefined && !hasCustomMessage(issue)) return `required: expected ${article(issue.expected)}`;
    if (!hasCustomMessage(issue)) return `expected ${article(issue.expected)}, got ${shown(input)}`;
  }
  if (issue.code === 'invalid_value' && !hasCustomMessage(issue)) {
    return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${shown(input)}`;
  }
  if ((issue.code === 'too_small' || issue.code === 'too_big') && !hasCustomMessage(issue)) {
    const bound = issue.code === 'too_small' ? `at least ${String(issue.minimum)}` : `at most ${String(issue.maximum)}`;
    const unit = issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : '';
    return `expected ${bound}${unit}, got ${shown(input)}`;
  }
  const got = input === undefined || issue.message.includes('got ') ? '' : `, got ${shown(input)}`;
  return `${issue.message}${got}`;
}

/** zod's own messages start with "Invalid"; ours never do. */
function hasCustomMessage(issue: Issue): boolean {
  return !/^Invalid|^Too (small|big)/.test(issue.message);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function unknownKeyMessage(key: string, allowed: string[]): string {
  const near = allowed
    .map((k) => ({ k, d: editDistance(k.toLowerCase(), key.toLowerCase()) }))
    .filter(({ d, k }) => d <= Math.max(2, Math.floor(k.length / 3)))
    .sort((a, b) => a.d - b.d)[0];
  const hint = near ? `did you mean "${near.k}"?` : `remove it or check the spelling`;
  return `unknown key: ${hint} (allowed here: ${allowed.join(', ')})`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}
