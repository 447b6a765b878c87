import type { ClaimId } from './claims';
import { evaluate, type Evaluation, type IamRequest } from './evaluator';
import type { ScenarioWorld } from './world';

/** One executable security statement: a concrete request and what AWS must answer. */
export interface Scenario {
  /** Unique, kebab-case; docs/identity.md lists it under its claim. */
  readonly name: string;
  readonly claim: ClaimId;
  /** "allow", "deny" (explicit or implicit), or "explicit-deny" (a Deny statement must decide). */
  readonly expect: 'allow' | 'deny' | 'explicit-deny';
  /** The hole of issue 13 this closes: the scenario must fail on main's policies before the fix. */
  readonly hole?: number;
  /**
   * A hole still open on main, owned by another issue: the scenario states the claim and is
   * expected to FAIL until that issue lands (then the lead removes this field).
   */
  readonly openUntil?: string;
  /** Claims AWS cannot see: the scenario is not evaluated, and says so. */
  readonly needsUnseenClaims?: readonly string[];
  readonly request: (w: ScenarioWorld) => IamRequest | Promise<IamRequest>;
}

/** A scenario's verdict: passed, failed (with what AWS answered), or not evaluated (never a pass). */
export type Verdict = { scenario: string; verdict: 'passed' | 'failed'; evaluation: Evaluation & { status: 'evaluated' } } | { scenario: string; verdict: 'not evaluated'; reason: string };

export function meets(expect: Scenario['expect'], decision: string): boolean {
  if (expect === 'allow') return decision === 'Allowed';
  if (expect === 'explicit-deny') return decision === 'ExplicitlyDenied';
  return decision === 'ExplicitlyDenied' || decision === 'ImplicitlyDenied';
}

export async function runScenario(s: Scenario, world: ScenarioWorld): Promise<Verdict> {
  if (s.needsUnseenClaims?.length) return { scenario: s.name, verdict: 'not evaluated', reason: `AWS does not receive the claim(s) ${s.needsUnseenClaims.join(', ')} as condition keys` };
  let request: IamRequest;
  try {
    request = await s.request(world);
  } catch (e) {
    return { scenario: s.name, verdict: 'not evaluated', reason: `request could not be built: ${(e as Error).message}` };
  }
  const evaluation = await evaluate(request);
  if (evaluation.status === 'not evaluated') return { scenario: s.name, verdict: 'not evaluated', reason: evaluation.reason };
  return { scenario: s.name, verdict: meets(s.expect, evaluation.decision) ? 'passed' : 'failed', evaluation };
}
