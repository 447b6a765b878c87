import { RULES } from './rules';
import type { Rule, Severity } from './rules/rule';
import { ResourceIndex, stackContext, type StackContext, type TerraformJson } from './terraform-json';

/** The rule that suppressions themselves must follow. */
export const SUPPRESSION_RULE = {
  id: 'GLA-SUP-001',
  severity: 'high' as Severity,
  title: 'Suppressions name a known rule and give a reason',
  fix: 'Call suppress(construct, "<rule ID>", "<why the rule does not apply here>") with a known rule ID and a non-empty reason.',
};

export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly title: string;
  readonly stack: string;
  /** Terraform address, e.g. aws_s3_bucket.cache_bucket_1A2B3C. */
  readonly address: string;
  /** Construct path, e.g. dev-runners/cache/bucket. */
  readonly path: string;
  readonly message: string;
  readonly fix: string;
  readonly checkov: readonly string[];
  readonly trivy: readonly string[];
  /** The reason given, when the finding is suppressed. */
  readonly suppressed?: string;
}

export interface StackCheck {
  readonly stack: string;
  readonly context: StackContext;
  readonly findings: Finding[];
  /** Suppressions that matched no finding (left over after a fix): worth removing. */
  readonly unusedSuppressions: { path: string; rule: string }[];
}

export interface CheckOptions {
  /** Overrides what the stack says about itself (e.g. from a CLI flag). */
  readonly production?: boolean;
  readonly rules?: readonly Rule[];
}

/** Runs the rule pack on one stack's Terraform JSON. */
export function checkStack(stack: string, json: TerraformJson, opts: CheckOptions = {}): StackCheck {
  const index = new ResourceIndex(json);
  const fromJson = stackContext(json);
  const context: StackContext = opts.production === undefined ? fromJson : { ...fromJson, production: opts.production };
  const rules = opts.rules ?? RULES;
  const known = new Set([...RULES, ...rules].map((r) => r.id));
  const findings: Finding[] = [];
  const used = new Set<string>();

  for (const rule of rules) {
    for (const v of rule.check({ index, context })) {
      const suppression = v.resource.suppressions.find((s) => s.rule === rule.id);
      if (suppression) used.add(`${v.resource.address}\n${rule.id}`);
      findings.push({
        rule: rule.id,
        severity: rule.severity,
        title: rule.title,
        stack,
        address: v.resource.address,
        path: v.resource.path,
        message: v.message,
        fix: rule.fix,
        checkov: rule.checkov,
        trivy: rule.trivy,
        ...(suppression ? { suppressed: suppression.reason } : {}),
      });
    }
  }

  const unusedSuppressions: StackCheck['unusedSuppressions'] = [];
  for (const r of index.all) {
    const problems = [...r.invalidSuppressions, ...r.suppressions.filter((s) => !known.has(s.rule)).map((s) => `the suppression names an unknown rule "${s.rule}"`)];
    for (const message of problems) {
      findings.push({ ...SUPPRESSION_RULE, rule: SUPPRESSION_RULE.id, stack, address: r.address, path: r.path, message: `${r.address}: ${message}`, checkov: [], trivy: [] });
    }
    for (const s of r.suppressions) if (known.has(s.rule) && !used.has(`${r.address}\n${s.rule}`)) unusedSuppressions.push({ path: r.path, rule: s.rule });
  }
  return { stack, context, findings, unusedSuppressions };
}
