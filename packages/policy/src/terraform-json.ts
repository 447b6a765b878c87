/**
 * A reading of one synthesized stack as plain Terraform JSON. Nothing here depends on cdktf: the
 * only cdktf-specific thing used is the optional "//" comment block (Terraform ignores it), which
 * carries the construct path and any suppressions.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface TerraformJson {
  '//'?: JsonObject;
  terraform?: JsonObject;
  provider?: Record<string, JsonObject | JsonObject[]>;
  resource?: Record<string, Record<string, JsonObject>>;
  data?: Record<string, Record<string, JsonObject>>;
  [key: string]: unknown;
}

/** A suppression as recorded on a resource: which rule, and why it does not apply. */
export interface Suppression {
  readonly rule: string;
  readonly reason: string;
}

/** One resource (or data source) of a stack. */
export interface TfResource {
  readonly mode: 'resource' | 'data';
  readonly type: string;
  readonly name: string;
  /** Terraform address, e.g. aws_s3_bucket.cache (data.aws_iam_policy_document.x for data sources). */
  readonly address: string;
  /** Construct path (from cdktf's metadata) or the address when the JSON has none. */
  readonly path: string;
  /** The resource's arguments, without the "//" comment. */
  readonly values: JsonObject;
  readonly suppressions: readonly Suppression[];
  /** Suppressions that lack a rule or a reason: errors of their own. */
  readonly invalidSuppressions: readonly string[];
}

/** Where the guardrail context lives in a stack's top-level "//" block. */
export const CONTEXT_KEY = 'guardrails';
/** Where suppressions live in a resource's "//" block. */
export const SUPPRESSIONS_KEY = 'suppressions';

/** What the environment says about itself, written into the stack by its synth. */
export interface StackContext {
  /** The environment's name, when known. */
  readonly environment?: string;
  /** Production rules (Multi-AZ, deletion protection, prevent_destroy...) apply. Default: true. */
  readonly production: boolean;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Blocks appear as an object or a list of objects depending on the writer; this reads both. */
export function blocks(v: unknown): JsonObject[] {
  if (Array.isArray(v)) return v.filter(isObject);
  return isObject(v) ? [v] : [];
}

/** A list attribute as strings (a single string counts as a one-element list). */
export function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** True for an unresolved Terraform expression such as "${aws_vpc.main.id}". */
export function isExpression(v: unknown): boolean {
  return typeof v === 'string' && v.includes('${');
}

/** A boolean argument, accepting the string forms Terraform also accepts. */
export function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}

/** A numeric argument (numbers or numeric strings); undefined for expressions. */
export function num(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

/** The resources a value refers to, e.g. "${aws_launch_template.worker.id}" -> aws_launch_template.worker. */
export function references(v: unknown): string[] {
  const out: string[] = [];
  const visit = (x: unknown) => {
    if (typeof x === 'string') {
      for (const m of x.matchAll(/\b((?:data\.)?[a-z0-9]+_[a-z0-9_]+\.[A-Za-z0-9_-]+)(?:\[[^\]]*\])?\./g)) out.push(m[1]);
    } else if (Array.isArray(x)) x.forEach(visit);
    else if (isObject(x)) Object.values(x).forEach(visit);
  };
  visit(v);
  return [...new Set(out)];
}

export function stackContext(json: TerraformJson): StackContext {
  const ctx = json['//']?.[CONTEXT_KEY];
  if (!isObject(ctx)) return { production: true };
  return {
    ...(typeof ctx.environment === 'string' ? { environment: ctx.environment } : {}),
    production: bool(ctx.production) ?? true,
  };
}

function readSuppressions(comment: Json | undefined): { valid: Suppression[]; invalid: string[] } {
  const valid: Suppression[] = [];
  const invalid: string[] = [];
  const list = isObject(comment) ? comment[SUPPRESSIONS_KEY] : undefined;
  if (list === undefined) return { valid, invalid };
  for (const s of Array.isArray(list) ? list : [list]) {
    const rule = isObject(s) && typeof s.rule === 'string' ? s.rule.trim() : '';
    const reason = isObject(s) && typeof s.reason === 'string' ? s.reason.trim() : '';
    if (!rule) invalid.push(`a suppression names no rule: ${JSON.stringify(s)}`);
    else if (!reason) invalid.push(`the suppression of ${rule} gives no reason: say why the rule does not apply here`);
    else valid.push({ rule, reason });
  }
  return { valid, invalid };
}

/** Every resource and data source of a stack, in a stable order. */
export function stackResources(json: TerraformJson): TfResource[] {
  const out: TfResource[] = [];
  for (const mode of ['resource', 'data'] as const) {
    for (const [type, byName] of Object.entries(json[mode] ?? {})) {
      for (const [name, body] of Object.entries(byName ?? {})) {
        if (!isObject(body)) continue;
        const { '//': comment, ...values } = body;
        const meta = isObject(comment) && isObject(comment.metadata) ? comment.metadata : undefined;
        const address = `${mode === 'data' ? 'data.' : ''}${type}.${name}`;
        const { valid, invalid } = readSuppressions(comment);
        out.push({
          mode,
          type,
          name,
          address,
          path: typeof meta?.path === 'string' ? meta.path : address,
          values,
          suppressions: valid,
          invalidSuppressions: invalid,
        });
      }
    }
  }
  return out;
}

/** Index of a stack's resources by address, with the lookups the rules need. */
export class ResourceIndex {
  readonly all: TfResource[];
  private readonly byAddress = new Map<string, TfResource>();

  constructor(json: TerraformJson) {
    this.all = stackResources(json);
    for (const r of this.all) this.byAddress.set(r.address, r);
  }

  ofType(...types: string[]): TfResource[] {
    return this.all.filter((r) => r.mode === 'resource' && types.includes(r.type));
  }

  get(address: string): TfResource | undefined {
    return this.byAddress.get(address);
  }

  /** Resources a value refers to. */
  referenced(v: unknown): TfResource[] {
    return references(v)
      .map((a) => this.byAddress.get(a))
      .filter((r): r is TfResource => r !== undefined);
  }

  /** Resources of the given type whose `attribute` points at `target` (by reference or by literal name). */
  pointingAt(target: TfResource, types: string[], attribute: string, literal?: unknown): TfResource[] {
    return this.ofType(...types).filter((r) => {
      const v = r.values[attribute];
      if (references(v).includes(target.address)) return true;
      return literal !== undefined && typeof literal === 'string' && !isExpression(literal) && v === literal;
    });
  }
}
