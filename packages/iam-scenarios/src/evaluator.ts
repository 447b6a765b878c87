import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { createValidatedPolicy, validateIdentityPolicy, validateResourcePolicy } from '@cloud-copilot/iam-policy';
import type { NamedPolicy } from './iam-model';

/** The engine's three answers. */
export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** What a request evaluated to, or why it was not evaluated (never a pass). */
export type Evaluation =
  | { status: 'evaluated'; decision: Decision; engine: 'runSimulation' | 'full-context'; ignoredKeys: string[] }
  | { status: 'not evaluated'; reason: string };

/** One request as AWS would authorize it: who, what, on which resource, with which context and policies. */
export interface IamRequest {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly context?: Record<string, string | string[]>;
  readonly identityPolicies?: readonly NamedPolicy[];
  readonly boundary?: NamedPolicy;
  readonly resourcePolicy?: unknown;
  /** Problems found while rebuilding the policies (unresolvable references, missing managed policies). */
  readonly problems?: readonly string[];
}

const SESSION = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/;

/**
 * The request keys AWS sets for every signed request and the engine does not fill in yet
 * (README: "automatically populating context keys ... coming soon"): aws:PrincipalArn is the
 * role's ARN for a role session, aws:PrincipalAccount its account.
 */
export function principalKeys(principal: string): Record<string, string> {
  const m = SESSION.exec(principal);
  if (m) return { 'aws:PrincipalArn': `arn:${m[1]}:iam::${m[2]}:role/${m[3]}`, 'aws:PrincipalAccount': m[2] };
  const iam = /^arn:aws[\w-]*:iam::(\d{12}):(user|role)\//.exec(principal);
  if (iam) return { 'aws:PrincipalArn': principal, 'aws:PrincipalAccount': iam[1] };
  return {};
}

/**
 * Evaluates a request with @cloud-copilot/iam-simulate. The validated entry point (runSimulation)
 * goes first; it drops context keys it does not list for the action (a generic OIDC provider's
 * `<host>:aud`/`:sub`), so when it dropped any, the request is evaluated again through the
 * engine's unvalidated entry point with the full context and the policies validated here. Invalid
 * input, an unknown action or resource type, or a policy that could not be rebuilt: not evaluated.
 */
export async function evaluate(req: IamRequest): Promise<Evaluation> {
  if (req.problems?.length) return { status: 'not evaluated', reason: req.problems.join('; ') };
  const context = { ...principalKeys(req.principal), ...(req.context ?? {}) };
  const simulation: Simulation = {
    request: { principal: req.principal, action: req.action, resource: { resource: req.resource, accountId: req.resourceAccount }, contextVariables: context },
    identityPolicies: (req.identityPolicies ?? []).map((p) => ({ name: p.name, policy: p.policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(req.resourcePolicy ? { resourcePolicy: req.resourcePolicy } : {}),
    ...(req.boundary ? { permissionBoundaryPolicies: [{ name: req.boundary.name, policy: req.boundary.policy }] } : {}),
  };
  const first = await runSimulation(simulation, {});
  if (first.resultType === 'error') return { status: 'not evaluated', reason: `engine rejected the request: ${JSON.stringify(first.errors)}` };
  if (first.resultType !== 'single') return { status: 'not evaluated', reason: 'the resource is a pattern; scenarios name one resource' };
  const ignored = first.result.ignoredContextKeys ?? [];
  if (!ignored.length) return { status: 'evaluated', decision: first.overallResult as Decision, engine: 'runSimulation', ignoredKeys: [] };
  const validated = {
    ...simulation,
    identityPolicies: simulation.identityPolicies.map((p) => ({ name: p.name, policy: createValidatedPolicy(p.policy, validateIdentityPolicy, { name: p.name }) })),
    ...(req.resourcePolicy ? { resourcePolicy: createValidatedPolicy(req.resourcePolicy, validateResourcePolicy, { name: 'resource-policy' }) } : {}),
  };
  const invalid = [...validated.identityPolicies.map((p) => p.policy), ...(validated.resourcePolicy ? [validated.resourcePolicy] : [])].flatMap((p) => p.errors);
  if (invalid.length) return { status: 'not evaluated', reason: `invalid policy: ${JSON.stringify(invalid)}` };
  const decision = runUnsafeSimulation(validated, {}) as unknown as Decision;
  if (!['Allowed', 'ExplicitlyDenied', 'ImplicitlyDenied'].includes(decision)) return { status: 'not evaluated', reason: `engine answered ${String(decision)}` };
  return { status: 'evaluated', decision, engine: 'full-context', ignoredKeys: ignored };
}
