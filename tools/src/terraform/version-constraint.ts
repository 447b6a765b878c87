/** Enough of Terraform's version-constraint syntax to pick a mirrored provider version. */

type Version = [number, number, number];

function parse(v: string): Version | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : undefined;
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** True when `version` meets every comma-separated clause of `constraint` (empty: any version). */
export function satisfies(version: string, constraint: string | undefined): boolean {
  const v = parse(version);
  if (!v) return false;
  if (!constraint || !constraint.trim()) return true;
  return constraint.split(',').every((clause) => {
    const m = /^\s*(=|!=|>=|<=|>|<|~>)?\s*(\S+)\s*$/.exec(clause);
    const bound = m && parse(m[2]);
    if (!m || !bound) throw new Error(`unsupported version constraint: "${constraint}"`);
    const c = compare(v, bound);
    switch (m[1] ?? '=') {
      case '=': return c === 0;
      case '!=': return c !== 0;
      case '>': return c > 0;
      case '>=': return c >= 0;
      case '<': return c < 0;
      case '<=': return c <= 0;
      default: {
        // ~> 5.1.0 allows 5.1.x; ~> 5.1 allows 5.x (>= 5.1).
        const precision = m[2].replace(/^v/, '').split('.').length;
        if (c < 0) return false;
        return precision >= 3 ? v[0] === bound[0] && v[1] === bound[1] : v[0] === bound[0];
      }
    }
  });
}

/** Highest version of `available` that meets the constraint. */
export function bestVersion(available: readonly string[], constraint: string | undefined): string | undefined {
  return available
    .filter((v) => parse(v) && satisfies(v, constraint))
    .sort((a, b) => compare(parse(b)!, parse(a)!))[0];
}
