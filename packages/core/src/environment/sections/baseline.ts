import { z } from 'zod';

/** Account-wide security settings applied by the account-baseline stack. */
export const baselineSection = z
  .strictObject({
    /** IAM password policy: minimum length. Default: 14. */
    minimumPasswordLength: z.number().int().min(8, { error: 'expected at least 8' }).max(128, { error: 'expected at most 128' }).default(14),
    /** Days before a console password expires; 0 means never. Default: 90. */
    maxPasswordAgeDays: z.number().int().min(0).max(1095, { error: 'expected at most 1095 days' }).default(90),
    /** Passwords remembered to prevent reuse. Default: 24. */
    passwordReusePrevention: z.number().int().min(1).max(24, { error: 'expected 1-24' }).default(24),
    /** Create an IAM Access Analyzer for the account. Default: true. */
    accessAnalyzer: z.boolean().default(true),
    /** Require IMDSv2 for new instances account-wide (hop limit 2 for containers). Default: true. */
    requireImdsv2: z.boolean().default(true),
    /** Block public sharing of EBS snapshots and AMIs. Default: true. */
    blockPublicSnapshots: z.boolean().default(true),
  })
  .default({
    minimumPasswordLength: 14,
    maxPasswordAgeDays: 90,
    passwordReusePrevention: 24,
    accessAnalyzer: true,
    requireImdsv2: true,
    blockPublicSnapshots: true,
  });
