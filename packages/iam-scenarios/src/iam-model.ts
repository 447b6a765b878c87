import { awsManagedPolicy } from './managed-policies';
import type { StackJson } from './synthesize';
import { placeOf, resolveRefs, UnresolvedReference } from './terraform-refs';

/** A policy document with the name the engine reports it by. */
export interface NamedPolicy {
  readonly name: string;
  readonly policy: unknown;
}

/** An IAM role as AWS would hold it after an apply: trust, identity policies and boundary, references resolved. */
export interface RoleModel {
  readonly stack: string;
  readonly arn: string;
  readonly name: string;
  readonly account: string;
  readonly trust?: unknown;
  readonly identityPolicies: NamedPolicy[];
  readonly boundary?: NamedPolicy;
  /** Why some of this role's policies could not be rebuilt (its scenarios are then not evaluated). */
  readonly problems: string[];
}

/** A resource policy (bucket or key policy) with where it lives. */
export interface ResourcePolicyModel {
  readonly stack: string;
  readonly arn: string;
  readonly account: string;
  readonly policy?: unknown;
  readonly problems: string[];
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/**
 * Everything IAM-relevant in a set of synthesized stacks: roles with their trust, inline and
 * attached policies and boundary; customer managed policies; bucket and KMS key policies.
 */
export class IamWorld {
  readonly roles = new Map<string, RoleModel>();
  readonly buckets = new Map<string, ResourcePolicyModel>();
  readonly keys = new Map<string, ResourcePolicyModel>();
  /** IAM users with their inline policies (the legacy static-key user). */
  readonly users = new Map<string, { arn: string; identityPolicies: NamedPolicy[]; problems: string[] }>();
  private readonly customerPolicies = new Map<string, { policy?: unknown; problem?: string }>();

  constructor(stacks: Record<string, StackJson>) {
    for (const [name, stack] of Object.entries(stacks)) this.collectPolicies(name, stack);
    for (const [name, stack] of Object.entries(stacks)) this.collectRoles(name, stack);
  }

  /** A role by ARN; throws when the stacks hold no such role (a scenario naming a role that does not exist is a bug). */
  role(arn: string): RoleModel {
    const role = this.roles.get(arn);
    if (!role) throw new Error(`iam-scenarios: no role ${arn} in the synthesized stacks (have: ${[...this.roles.keys()].join(', ')})`);
    return role;
  }

  bucket(name: string): ResourcePolicyModel {
    const b = this.buckets.get(name);
    if (!b) throw new Error(`iam-scenarios: no bucket ${name} in the synthesized stacks`);
    return b;
  }

  /** The KMS key of a stack by its resource ID (key ARNs are stand-ins, see resolveRefs). */
  keyOf(stack: string, resourceId: string): ResourcePolicyModel {
    const k = [...this.keys.values()].find((x) => x.stack === stack && x.arn.endsWith(`:key/${resourceId}`));
    if (!k) throw new Error(`iam-scenarios: no KMS key ${resourceId} in stack ${stack}`);
    return k;
  }

  private collectPolicies(name: string, stack: StackJson): void {
    const r = (stack.resource ?? {}) as Resources;
    const place = safePlace(stack, name);
    for (const [id, p] of Object.entries(r.aws_iam_policy ?? {})) {
      const arn = `arn:${place?.partition ?? 'aws'}:iam::${place?.account ?? 'unknown'}:policy/${String(p.name)}`;
      this.customerPolicies.set(arn, attempt(() => parse(resolveRefs(String(p.policy), stack, `${name}/aws_iam_policy.${id}`))));
    }
    for (const [id, b] of Object.entries(r.aws_s3_bucket_policy ?? {})) {
      const res = attempt(() => ({ bucket: resolveRefs(String(b.bucket), stack, name), policy: parse(resolveRefs(String(b.policy), stack, `${name}/aws_s3_bucket_policy.${id}`)) }));
      const bucket = res.policy?.bucket ?? `${name}/${id}`;
      this.buckets.set(bucket, { stack: name, arn: `arn:aws:s3:::${bucket}`, account: place?.account ?? 'unknown', policy: res.policy?.policy, problems: res.problem ? [res.problem] : [] });
    }
    for (const [id, k] of Object.entries(r.aws_kms_key ?? {})) {
      const arn = `arn:${place?.partition ?? 'aws'}:kms:${place?.region ?? 'unknown'}:${place?.account ?? 'unknown'}:key/${id}`;
      // Without a policy argument AWS gives a key its default key policy: the account, through IAM.
      const res = k.policy === undefined ? { policy: defaultKeyPolicy(place?.partition ?? 'aws', place?.account ?? 'unknown') } : attempt(() => parse(resolveRefs(String(k.policy), stack, name)));
      this.keys.set(arn, { stack: name, arn, account: place?.account ?? 'unknown', policy: res.policy, problems: res.problem ? [res.problem] : [] });
    }
  }

  private collectRoles(name: string, stack: StackJson): void {
    const r = (stack.resource ?? {}) as Resources;
    const place = safePlace(stack, name);
    if (!place) return;
    const roleNameOf = (ref: unknown) => attempt(() => resolveRefs(String(ref), stack, name));
    for (const [id, role] of Object.entries(r.aws_iam_role ?? {})) {
      const problems: string[] = [];
      const roleName = String(role.name);
      const arn = `arn:${place.partition}:iam::${place.account}:role/${roleName}`;
      const trust = attempt(() => parse(resolveRefs(String(role.assume_role_policy), stack, `${name}/aws_iam_role.${id}`)));
      if (trust.problem) problems.push(trust.problem);
      const identityPolicies: NamedPolicy[] = [];
      for (const [pid, p] of Object.entries(r.aws_iam_role_policy ?? {})) {
        if (roleNameOf(p.role).policy !== roleName) continue;
        const doc = attempt(() => parse(resolveRefs(String(p.policy), stack, `${name}/aws_iam_role_policy.${pid}`)));
        if (doc.problem) problems.push(doc.problem);
        else identityPolicies.push({ name: `inline:${String(p.name ?? pid)}`, policy: doc.policy });
      }
      const attached: string[] = [];
      for (const a of Object.values(r.aws_iam_role_policy_attachment ?? {})) if (roleNameOf(a.role).policy === roleName) attached.push(String(a.policy_arn));
      for (const a of Object.values(r.aws_iam_role_policy_attachments_exclusive ?? {})) if (roleNameOf(a.role_name).policy === roleName) attached.push(...(a.policy_arns as string[]));
      for (const policyArn of attached) {
        const p = this.policyByArn(policyArn);
        if (p.problem) problems.push(p.problem);
        else identityPolicies.push({ name: policyArn, policy: p.policy });
      }
      let boundary: NamedPolicy | undefined;
      if (role.permissions_boundary !== undefined) {
        const boundaryArn = roleNameOf(role.permissions_boundary).policy;
        const p = boundaryArn ? this.policyByArn(boundaryArn) : { problem: `${name}: boundary of ${roleName} is an unresolvable reference` };
        if (p.problem) problems.push(p.problem);
        else boundary = { name: boundaryArn!, policy: p.policy };
      }
      this.roles.set(arn, { stack: name, arn, name: roleName, account: place.account, trust: trust.policy, identityPolicies, boundary, problems });
    }
    for (const user of Object.values(r.aws_iam_user ?? {})) {
      const userName = String(user.name);
      const problems: string[] = [];
      const identityPolicies: NamedPolicy[] = [];
      for (const [pid, p] of Object.entries(r.aws_iam_user_policy ?? {})) {
        if (roleNameOf(p.user).policy !== userName) continue;
        const doc = attempt(() => parse(resolveRefs(String(p.policy), stack, `${name}/aws_iam_user_policy.${pid}`)));
        if (doc.problem) problems.push(doc.problem);
        else identityPolicies.push({ name: `inline:${String(p.name ?? pid)}`, policy: doc.policy });
      }
      const arn = `arn:${place.partition}:iam::${place.account}:user/${userName}`;
      this.users.set(arn, { arn, identityPolicies, problems });
    }
  }

  private policyByArn(arn: string): { policy?: unknown; problem?: string } {
    const managed = awsManagedPolicy(arn);
    if (managed) return { policy: managed.document };
    const own = this.customerPolicies.get(arn);
    if (own) return own;
    return { problem: `policy ${arn} is neither stored (aws-managed-policies.json) nor in the synthesized stacks` };
  }
}

function parse(text: string): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  return JSON.parse(text);
}

function attempt<T>(f: () => T): { policy?: T; problem?: string } {
  try {
    return { policy: f() };
  } catch (e) {
    if (e instanceof UnresolvedReference || e instanceof SyntaxError) return { problem: e.message };
    throw e;
  }
}

function safePlace(stack: StackJson, name: string) {
  try {
    return placeOf(stack, name);
  } catch {
    return undefined;
  }
}

/** The key policy AWS applies when none is given (the "default key policy"): the account's root, kms:*, so IAM policies decide. */
export function defaultKeyPolicy(partition: string, account: string): unknown {
  return { Version: '2012-10-17', Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }] };
}
