import { z } from 'zod';

/** Reference-architecture sizes GitLab publishes (POC is a scaled-down 2K). */
export const GITLAB_SIZES = ['poc', '2k', '3k'] as const;
export type GitLabSize = (typeof GITLAB_SIZES)[number];

/** https:// URL without a trailing slash (the form GitLab, OIDC audiences and k6 expect). */
export const httpsUrl = z
  .string()
  .regex(/^https:\/\/[a-z0-9.-]+(:\d{1,5})?(\/[\w.~-]+)*$/i, {
    error: 'expected an https:// URL without a trailing slash, e.g. "https://gitlab.example.com"',
  });

/**
 * The self-managed GitLab instance an environment runs: its size and its address. The
 * reference-architecture package sizes the infrastructure from `size`; the load tests derive their
 * target rates from the same value.
 */
export const gitlabSection = z.strictObject({
  /** Reference-architecture size: "poc", "2k" (40 RPS) or "3k" (60 RPS, HA). */
  size: z.enum(GITLAB_SIZES, { error: 'expected "poc", "2k" or "3k"' }),
  /** Address users and runners reach GitLab at. */
  externalUrl: httpsUrl,
});
