import { z } from 'zod';
import { slug } from '../../naming/fit-name';

/** Amplify branch stages (aws_amplify_branch.stage). */
export const AMPLIFY_STAGES = ['PRODUCTION', 'BETA', 'DEVELOPMENT', 'EXPERIMENTAL', 'PULL_REQUEST'] as const;
export type AmplifyStage = (typeof AMPLIFY_STAGES)[number];

const stage = z.enum(AMPLIFY_STAGES, { error: 'expected "PRODUCTION", "BETA", "DEVELOPMENT", "EXPERIMENTAL" or "PULL_REQUEST"' });

const GITLAB_COM = /^https:\/\/gitlab\.com\/([\w.-]+(?:\/[\w.-]+)+)$/;

/** The project path ("group/subgroup/project") of a gitlab.com repository URL, or undefined. */
export function gitlabComProjectPath(url: string): string | undefined {
  // ".git" is dropped first: the pattern's segments may contain dots.
  return GITLAB_COM.exec(url.replace(/\.git$/, ''))?.[1];
}

/** A branch name as Amplify's subdomain label and a construct ID: "feature/Login" -> "feature-login". */
export function amplifyBranchLabel(name: string): string {
  return slug(name).slice(0, 63).replace(/-$/, '');
}

/**
 * A gitlab.com repository URL. Amplify Hosting connects to gitlab.com only, so any other host (a
 * self-managed GitLab) is refused here, before a stack is built, instead of failing at apply.
 */
export const gitlabComRepository = z.string().superRefine((url, ctx) => {
  if (gitlabComProjectPath(url)) return;
  const host = /^[a-z]+:\/\/([^/:]+)/i.exec(url)?.[1]?.toLowerCase();
  ctx.addIssue({
    code: 'custom',
    message:
      host && host !== 'gitlab.com'
        ? `"${host}" is not gitlab.com: Amplify Hosting connects only to gitlab.com repositories, not to self-managed GitLab. Mirror the project to gitlab.com (a push mirror) and give that URL, e.g. "https://gitlab.com/acme/web-shop"`
        : 'expected a gitlab.com project URL such as "https://gitlab.com/acme/web-shop"',
  });
});

/** Build-time environment variables. Not secret: Amplify shows them in the console. */
const environmentVariables = z
  .record(
    z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/, { error: 'expected a variable name of letters, digits and underscores, not starting with a digit' })
      .refine((k) => !k.startsWith('AWS_'), { error: 'names starting with "AWS_" are reserved by Amplify' }),
    z.string().max(5500, { error: 'values are at most 5500 characters' }),
  )
  .default({});

/** A subdomain label ("" for the apex domain itself). */
const domainPrefix = z.string().regex(/^$|^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
  error: 'expected a subdomain label of lowercase letters, digits and hyphens (e.g. "dev"), or "" for the domain itself',
});

const branchName = z.string().regex(/^(?!\/)(?!.*\/\/)(?!.*\/$)[\w.\-/]{1,255}$/, {
  error: 'expected a Git branch name of letters, digits, ".", "_", "-" and "/" (e.g. "develop" or "release/1.2")',
});

const branch = z.strictObject({
  /** Git branch to build and host, e.g. "main". */
  name: branchName,
  /** Amplify stage: PRODUCTION, BETA, DEVELOPMENT, EXPERIMENTAL or PULL_REQUEST. */
  stage,
  /** Build and deploy on every push. Default: true. */
  autoBuild: z.boolean().default(true),
  /** Password-protect the branch (not allowed on PRODUCTION). Default: false. */
  basicAuth: z.boolean().default(false),
  /** Build-time variables of this branch, added to the app's. Default: none. */
  environmentVariables,
  /** Subdomain of the custom domain that serves this branch ("" = the domain itself). Default: none. */
  domainPrefix: domainPrefix.optional(),
});

const autoBranchCreation = z.strictObject({
  /** Branch name patterns that get their own preview environment, e.g. ["feature/*"]. */
  patterns: z.array(z.string().min(1).max(2048)).min(1, { error: 'expected at least one pattern, e.g. ["feature/*"]' }),
  /** Stage of the created branches. Default: "DEVELOPMENT". */
  stage: stage.default('DEVELOPMENT'),
  /** Password-protect preview branches (work not yet reviewed). Default: true. */
  basicAuth: z.boolean().default(true),
  /** Build-time variables of the created branches. Default: none. */
  environmentVariables,
  /** Remove the Amplify branch when its Git branch is deleted. Default: true. */
  deleteWithBranch: z.boolean().default(true),
});

const customDomain = z.strictObject({
  /** Domain Amplify serves the branches under, e.g. "example.com" (DNS you control). */
  domainName: z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    error: 'expected a domain name such as "example.com"',
  }),
  /** Create subdomains for auto-created branches too. Default: false. */
  autoSubDomain: z.boolean().default(false),
});

const gitlabToken = z
  .strictObject({
    /** Days a GitLab project access token is valid. Default: 90. */
    expirationDays: z.number().int().min(2, { error: 'expected 2-365 days' }).max(365, { error: 'expected 2-365 days (GitLab limit)' }).default(90),
    /** Rotate when an apply of the GitLab-side stack runs this many days before expiry. Default: 14. */
    rotateBeforeDays: z.number().int().min(1).default(14),
  })
  .superRefine((t, ctx) => {
    if (t.rotateBeforeDays >= t.expirationDays) {
      ctx.addIssue({ code: 'custom', input: t.rotateBeforeDays, path: ['rotateBeforeDays'], message: `must be smaller than expirationDays (${t.expirationDays})` });
    }
  })
  .default({ expirationDays: 90, rotateBeforeDays: 14 });

/**
 * Amplify Gen 2 hosting of a web app from a gitlab.com repository: one Amplify app per environment,
 * the branches it builds, preview branches, basic auth, custom domain and build settings.
 */
export const amplifySection = z
  .strictObject({
    /** The gitlab.com project, e.g. "https://gitlab.com/acme/web-shop". Self-managed GitLab is not supported by Amplify. */
    repository: gitlabComRepository,
    /** Folder of the Gen 2 app inside the repository (monorepo app root). Default: "apps/web". */
    appRoot: z
      .string()
      .regex(/^(?!\/)(?!.*\.\.)[\w.-]+(\/[\w.-]+)*$/, { error: 'expected a relative folder such as "apps/web" (no leading "/", no "..")' })
      .default('apps/web'),
    /** WEB (static or single-page) or WEB_COMPUTE (server-side rendering). Default: "WEB". */
    platform: z.enum(['WEB', 'WEB_COMPUTE'], { error: 'expected "WEB" or "WEB_COMPUTE"' }).default('WEB'),
    /** Framework label Amplify shows, e.g. "React". Default: none (Amplify detects it). */
    framework: z.string().min(1).max(255).optional(),
    /** Folder (under appRoot) with the built frontend, used by the default build spec. Default: "dist". */
    artifactsDirectory: z.string().regex(/^(?!\/)(?!.*\.\.)[\w.-]+(\/[\w.-]+)*$/, { error: 'expected a relative folder such as "dist"' }).default('dist'),
    /** Build spec (amplify.yml content, YAML). Default: the Gen 2 monorepo spec (backend, then frontend). */
    buildSpec: z.string().min(1).max(25000).optional(),
    /** Git branches Amplify builds and hosts, e.g. main -> PRODUCTION. */
    branches: z.array(branch).min(1, { error: 'expected at least one branch, e.g. [{ "name": "main", "stage": "PRODUCTION" }]' }),
    /** Preview environments for branches matching patterns. Default: off. */
    autoBranchCreation: autoBranchCreation.optional(),
    /** Build-time variables of every branch. Default: none. */
    environmentVariables,
    /** Rewrite every path without a file extension to /index.html (single-page apps). Default: true for WEB. */
    spaRewrites: z.boolean().optional(),
    /** Serve the branches under a domain of yours. Default: only the amplifyapp.com domain. */
    customDomain: customDomain.optional(),
    /** The GitLab project access token Amplify connects with. */
    gitlabToken,
  })
  .superRefine((a, ctx) => {
    const seen = new Set<string>();
    const labels = new Map<string, string>();
    const prefixes = new Set<string>();
    a.branches.forEach((b, i) => {
      if (seen.has(b.name)) ctx.addIssue({ code: 'custom', input: b.name, path: ['branches', i, 'name'], message: `branch "${b.name}" is listed twice: list each branch once` });
      seen.add(b.name);
      const label = amplifyBranchLabel(b.name);
      const other = labels.get(label);
      if (other !== undefined && other !== b.name) {
        ctx.addIssue({ code: 'custom', input: b.name, path: ['branches', i, 'name'], message: `"${b.name}" and "${other}" would share the subdomain "${label}": host only one of them` });
      }
      labels.set(label, b.name);
      if (b.basicAuth && b.stage === 'PRODUCTION') {
        ctx.addIssue({ code: 'custom', input: b.basicAuth, path: ['branches', i, 'basicAuth'], message: 'basic auth is for non-production branches: remove it or change the stage' });
      }
      if (b.domainPrefix !== undefined) {
        if (!a.customDomain) {
          ctx.addIssue({ code: 'custom', input: b.domainPrefix, path: ['branches', i, 'domainPrefix'], message: 'needs amplify.customDomain: add { "domainName": "example.com" } or remove domainPrefix' });
        }
        if (prefixes.has(b.domainPrefix)) {
          ctx.addIssue({ code: 'custom', input: b.domainPrefix, path: ['branches', i, 'domainPrefix'], message: `subdomain "${b.domainPrefix}" is used by another branch: give each branch its own` });
        }
        prefixes.add(b.domainPrefix);
      }
    });
    if (a.customDomain && prefixes.size === 0 && !a.customDomain.autoSubDomain) {
      ctx.addIssue({ code: 'custom', input: a.customDomain.domainName, path: ['customDomain'], message: 'maps no branch: set "domainPrefix" on at least one branch (e.g. "" for main, "dev" for develop)' });
    }
    if (a.spaRewrites && a.platform === 'WEB_COMPUTE') {
      ctx.addIssue({ code: 'custom', input: a.spaRewrites, path: ['spaRewrites'], message: 'single-page rewrites are for platform "WEB"; server-side rendered apps route on the server: remove spaRewrites' });
    }
  });

export type AmplifyConfig = z.output<typeof amplifySection>;
export type AmplifyBranchConfig = AmplifyConfig['branches'][number];
