/** What the offline verification found for one stack. */
export type StackStatus = 'planned' | 'failed' | 'not-planned';

export interface StackReport {
  readonly stack: string;
  readonly status: StackStatus;
  /** Resources declared in the synthesized JSON. */
  readonly resources: number;
  /** From the plan: resources to add / change / destroy. */
  readonly plan?: { add: number; change: number; destroy: number };
  /** Why it failed (Terraform's own words) or why it was not planned. */
  readonly reason?: string;
  /** Warnings Terraform printed, other than the ones the offline override itself causes. */
  readonly warnings?: string[];
  readonly initMs?: number;
  readonly planMs?: number;
  /** Plan JSON (terraform show -json), relative to the report, when written. */
  readonly planJson?: string;
}

export interface VerificationReport {
  readonly outdir: string;
  readonly terraform?: { path: string; version: string };
  readonly providers: { key: string; version: string; mirror: string }[];
  readonly stacks: StackReport[];
  readonly wallMs: number;
}

export function failed(report: VerificationReport): boolean {
  return report.stacks.some((s) => s.status === 'failed');
}
