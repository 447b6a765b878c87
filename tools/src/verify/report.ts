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
  /** Not planned because these providers (host/namespace/type) are in no mirror and the registry was not allowed. */
  readonly missingProviders?: string[];
}

export interface VerificationReport {
  readonly outdir: string;
  readonly terraform?: { path: string; version: string };
  readonly providers: { key: string; version: string; mirror: string }[];
  readonly stacks: StackReport[];
  readonly wallMs: number;
}

/** The GitLab provider: its stacks may be left unplanned, and only when asked. */
export const GITLAB_PROVIDER = 'registry.terraform.io/gitlabhq/gitlab';
/**
 * Providers that, like the GitLab one, talk to a running service (a Kubernetes API: the Cloud
 * Native Hybrid chart stack) and so cannot plan offline anyway: accepted as missing under the same
 * allowance. Never the AWS provider.
 */
export const SERVICE_PROVIDERS: readonly string[] = [GITLAB_PROVIDER, 'registry.terraform.io/hashicorp/helm', 'registry.terraform.io/hashicorp/kubernetes'];
/** Set to 1 (or pass --allow-gitlab-not-planned) to accept GitLab-provider stacks as not planned. */
export const ALLOW_GITLAB_ENV = 'VERIFY_ALLOW_GITLAB_NOT_PLANNED';

export interface ExitRules {
  /** Accept a stack as not planned when the GitLab provider is the only thing missing. Default: false. */
  readonly allowGitlabNotPlanned?: boolean;
}

/** Whether a not-planned stack is acceptable under the rules: only for a missing GitLab provider, only when allowed. */
export function acceptedNotPlanned(s: StackReport, rules: ExitRules): boolean {
  return s.status === 'not-planned' && !!rules.allowGitlabNotPlanned && !!s.missingProviders?.length && s.missingProviders.every((p) => SERVICE_PROVIDERS.includes(p));
}

/**
 * Why a verification is not green, one line per reason: a failed stack; a stack not planned (an AWS
 * stack always counts; a GitLab-provider stack counts unless explicitly allowed); no stacks at all.
 * Empty when every stack was planned or acceptably not planned.
 */
export function verificationProblems(report: VerificationReport, rules: ExitRules = {}): string[] {
  if (!report.stacks.length) return [`${report.outdir}: no stacks to verify (an empty synth output verifies nothing)`];
  return report.stacks.flatMap((s) => {
    if (s.status === 'failed') return [`${s.stack}: failed`];
    if (s.status === 'not-planned' && !acceptedNotPlanned(s, rules)) {
      const missing = s.missingProviders ?? [];
      const gitlabOnly = missing.length > 0 && missing.every((p) => p === GITLAB_PROVIDER);
      const servicesOnly = missing.length > 0 && missing.every((p) => SERVICE_PROVIDERS.includes(p));
      const hint = gitlabOnly
        ? ` (only the GitLab provider is missing: set ${ALLOW_GITLAB_ENV}=1 or pass --allow-gitlab-not-planned where no GitLab provider is reachable)`
        : servicesOnly
          ? ` (only providers of a running service are missing (${missing.join(', ')}): set ${ALLOW_GITLAB_ENV}=1 or pass --allow-gitlab-not-planned where they cannot plan)`
          : '';
      return [`${s.stack}: not planned${hint}`];
    }
    return [];
  });
}

export function failed(report: VerificationReport, rules: ExitRules = {}): boolean {
  return verificationProblems(report, rules).length > 0;
}

/** The rules an environment asks for: ${ALLOW_GITLAB_ENV}=1 (or true). */
export function exitRulesFromEnv(env: NodeJS.ProcessEnv): ExitRules {
  return { allowGitlabNotPlanned: /^(1|true)$/i.test(env[ALLOW_GITLAB_ENV] ?? '') };
}
