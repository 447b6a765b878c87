/**
 * A small IAM evaluator for unit tests of identity policies: Allow/Deny statements, Action and
 * Resource wildcards, and the condition operators these policies use (StringEquals, StringLike).
 * Any other operator throws "not evaluated" instead of answering.
 */
export interface PolicyDocument {
  Statement: { Effect: 'Allow' | 'Deny'; Action: string | string[]; Resource: string | string[]; Condition?: Record<string, Record<string, string | string[]>> }[];
}

export interface Request {
  action: string;
  resource: string;
  context?: Record<string, string>;
}

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
const glob = (pattern: string, value: string, ignoreCase = false) => {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, ignoreCase ? 'i' : '');
  return re.test(value);
};

function conditionHolds(condition: Record<string, Record<string, string | string[]>> | undefined, context: Record<string, string>): boolean {
  if (!condition) return true;
  return Object.entries(condition).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) => {
      const actual = context[key];
      if (actual === undefined) return false;
      if (operator === 'StringEquals') return list(expected).includes(actual);
      if (operator === 'StringLike') return list(expected).some((p) => glob(p, actual));
      throw new Error(`not evaluated: condition operator ${operator}`);
    }),
  );
}

/** True when the documents together allow the request (an explicit Deny wins). */
export function allows(docs: PolicyDocument | PolicyDocument[], req: Request): boolean {
  const statements = (Array.isArray(docs) ? docs : [docs]).flatMap((d) => d.Statement);
  const matching = statements.filter(
    (s) => list(s.Action).some((a) => glob(a, req.action, true)) && list(s.Resource).some((r) => glob(r, req.resource)) && conditionHolds(s.Condition, req.context ?? {}),
  );
  return !matching.some((s) => s.Effect === 'Deny') && matching.some((s) => s.Effect === 'Allow');
}
