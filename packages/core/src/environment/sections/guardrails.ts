import { z } from 'zod';

/**
 * How the policy pack judges this environment's synthesized stacks (packages/policy,
 * docs/guardrails.md). Production rules (Multi-AZ, deletion protection, backups,
 * prevent_destroy) apply unless the environment says it is not production.
 */
export const guardrailsSection = z
  .strictObject({
    /** Apply the production-only rules. Default: true (set false for dev/test environments). */
    production: z.boolean({ error: 'expected true (production rules apply) or false (a dev/test environment)' }).default(true),
  })
  .default({ production: true });

export type GuardrailsConfig = z.output<typeof guardrailsSection>;
