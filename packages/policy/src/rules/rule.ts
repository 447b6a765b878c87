import type { ResourceIndex, StackContext, TfResource } from '../terraform-json';

export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** Severities that fail synth unless suppressed. */
export const BLOCKING: readonly Severity[] = ['critical', 'high'];

export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium', 'low'];

/** What a rule sees: one stack's resources and what the environment says about itself. */
export interface RuleInput {
  readonly index: ResourceIndex;
  readonly context: StackContext;
}

/** A rule's verdict on one resource. */
export interface Violation {
  readonly resource: TfResource;
  readonly message: string;
}

export interface Rule {
  /** Stable ID used in reports and suppressions, e.g. GLA-EC2-001. */
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  /** Checkov IDs covering the same ground, where one exists. */
  readonly checkov: readonly string[];
  /** Trivy (AVD) IDs covering the same ground, where one exists. */
  readonly trivy: readonly string[];
  /** How to fix a finding, in one sentence. */
  readonly fix: string;
  readonly check: (input: RuleInput) => Violation[];
}

/** Shorthand for rules that look at one resource at a time. */
export function perResource(types: string[], test: (r: TfResource, input: RuleInput) => string | undefined): Rule['check'] {
  return (input) =>
    input.index.ofType(...types).flatMap((resource) => {
      const message = test(resource, input);
      return message ? [{ resource, message }] : [];
    });
}
