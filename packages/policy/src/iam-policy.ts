import { blocks, isObject, strings, type Json, type ResourceIndex, type TfResource } from './terraform-json';

/** One IAM policy statement in a normalized form, from a JSON policy string or an aws_iam_policy_document. */
export interface Statement {
  readonly effect: 'Allow' | 'Deny';
  readonly actions: string[];
  readonly notActions: string[];
  readonly resources: string[];
  /** Principals by type (AWS, Service, Federated, CanonicalUser); "*" as a whole principal becomes { '*': ['*'] }. */
  readonly principals: Record<string, string[]>;
  readonly conditions: { test: string; variable: string; values: string[] }[];
}

/** A policy found on a resource, with where it came from. */
export interface PolicyDocument {
  readonly resource: TfResource;
  /** The argument holding it, e.g. assume_role_policy. */
  readonly attribute: string;
  readonly statements: Statement[];
  /** False when the document is an expression this reader cannot see into (e.g. jsonencode of variables). */
  readonly readable: boolean;
}

/** Arguments that hold identity policies (what a principal may do). */
export const IDENTITY_POLICY_ARGS: Record<string, string[]> = {
  aws_iam_policy: ['policy'],
  aws_iam_role_policy: ['policy'],
  aws_iam_user_policy: ['policy'],
  aws_iam_group_policy: ['policy'],
  aws_iam_role: ['inline_policy.policy'],
};

/** Arguments that hold resource policies (who may act on a resource); trust policies included. */
export const RESOURCE_POLICY_ARGS: Record<string, string[]> = {
  aws_iam_role: ['assume_role_policy'],
  aws_s3_bucket_policy: ['policy'],
  aws_kms_key: ['policy'],
  aws_sqs_queue_policy: ['policy'],
  aws_sns_topic_policy: ['policy'],
  aws_ecr_repository_policy: ['policy'],
  aws_secretsmanager_secret_policy: ['policy'],
};

function list(v: unknown): string[] {
  return strings(v);
}

function fromJsonStatement(s: Record<string, Json>): Statement {
  const principals: Record<string, string[]> = {};
  const p = s.Principal;
  if (p === '*') principals['*'] = ['*'];
  else if (isObject(p)) for (const [k, v] of Object.entries(p)) principals[k] = list(v);
  const conditions: Statement['conditions'] = [];
  if (isObject(s.Condition)) {
    for (const [test, byVar] of Object.entries(s.Condition)) {
      if (!isObject(byVar)) continue;
      for (const [variable, values] of Object.entries(byVar)) conditions.push({ test, variable, values: list(values) });
    }
  }
  return {
    effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
    actions: list(s.Action),
    notActions: list(s.NotAction),
    resources: list(s.Resource),
    principals,
    conditions,
  };
}

function fromDocumentData(doc: TfResource): Statement[] {
  return blocks(doc.values.statement).map((s) => {
    const principals: Record<string, string[]> = {};
    for (const p of blocks(s.principals)) {
      const type = typeof p.type === 'string' ? p.type : 'AWS';
      const ids = list(p.identifiers);
      principals[type] = [...(principals[type] ?? []), ...ids];
    }
    // "principals { type = "*", identifiers = ["*"] }" is the document's way to write Principal: "*".
    if (principals['*']) principals['*'] = ['*'];
    return {
      effect: s.effect === 'Deny' ? 'Deny' : 'Allow',
      actions: list(s.actions),
      notActions: list(s.not_actions),
      resources: list(s.resources),
      principals,
      conditions: blocks(s.condition).map((c) => ({ test: String(c.test ?? ''), variable: String(c.variable ?? ''), values: list(c.values) })),
    };
  });
}

/** Reads a policy argument: a JSON string, an object, or a reference to a local aws_iam_policy_document. */
export function readPolicy(value: unknown, index: ResourceIndex): { statements: Statement[]; readable: boolean } {
  if (isObject(value) && 'Statement' in value) {
    return { statements: blocks(value.Statement).map(fromJsonStatement), readable: true };
  }
  if (typeof value !== 'string') return { statements: [], readable: false };
  const doc = index.referenced(value).find((r) => r.type === 'aws_iam_policy_document' && r.mode === 'data');
  if (doc && /^\$\{[^}]*\}$/.test(value.trim())) return { statements: fromDocumentData(doc), readable: true };
  try {
    const parsed = JSON.parse(value) as Json;
    if (isObject(parsed)) return { statements: blocks(parsed.Statement).map(fromJsonStatement), readable: true };
  } catch {
    // An expression (jsonencode of variables, a file() call): not readable here.
  }
  return { statements: [], readable: false };
}

function argumentValues(r: TfResource, path: string): unknown[] {
  const [head, ...rest] = path.split('.');
  if (!rest.length) return r.values[head] === undefined ? [] : [r.values[head]];
  return blocks(r.values[head]).map((b) => b[rest.join('.')]).filter((v) => v !== undefined);
}

function collect(index: ResourceIndex, table: Record<string, string[]>): PolicyDocument[] {
  const out: PolicyDocument[] = [];
  for (const [type, args] of Object.entries(table)) {
    for (const r of index.ofType(type)) {
      for (const attribute of args) {
        for (const v of argumentValues(r, attribute)) out.push({ resource: r, attribute, ...readPolicy(v, index) });
      }
    }
  }
  return out;
}

export function identityPolicies(index: ResourceIndex): PolicyDocument[] {
  return collect(index, IDENTITY_POLICY_ARGS);
}

export function resourcePolicies(index: ResourceIndex): PolicyDocument[] {
  return collect(index, RESOURCE_POLICY_ARGS);
}

export function trustPolicies(index: ResourceIndex): PolicyDocument[] {
  return collect(index, { aws_iam_role: ['assume_role_policy'] });
}

/** The account ID in an ARN or a bare account principal, if any. */
export function accountOf(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:[^:]+:iam::(\d{12}):/.exec(principal)?.[1];
}
