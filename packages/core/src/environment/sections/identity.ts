import { z } from 'zod';
import { httpsUrl } from './gitlab';
import { accountId, cidr, environmentName, iamRoleName, region } from './primitives';
import { DEFAULT_ROLE_NAMES } from './roles';

/**
 * How GitLab CI reaches AWS. The hub's section lists everything the hub trusts (the GitLab
 * instance, which projects and refs may deploy or plan, and the spokes it deploys to); a spoke's
 * section tunes its own roles. Neither reads the other's file: the loader cross-checks them.
 */

/** A GitLab project path, e.g. "platform/gitlab-on-aws" (subgroups allowed). */
export const gitlabProjectPath = z
  .string()
  .regex(/^[\w.-]+(\/[\w.-]+)+$/, { error: 'expected a GitLab project path such as "platform/gitlab-on-aws" (group/project, no wildcards)' });

/** One exact `sub` claim: `project_path:<project>:ref_type:<branch|tag>:ref:<ref>`. Compared with StringEquals. */
const exactSubject = z.strictObject({
  /** Project path, e.g. "platform/gitlab-on-aws". */
  project: gitlabProjectPath,
  /** "branch" or "tag". */
  refType: z.enum(['branch', 'tag'], {
    // Stryker disable next-line StringLiteral: equivalent, never shown: a wrong refType fails both union branches, and the union's message is reported
    error: 'expected "branch" or "tag"',
  }),
  /** Branch or tag name, exactly (no wildcards: use "pattern" for those). */
  ref: z
    .string()
    .min(1)
    .max(255)
    .refine((r) => !/[*?]/.test(r), { error: 'wildcards are not allowed in "ref": write { "pattern": "project_path:...:ref:release-*" } to ask for StringLike explicitly' }),
});

/** A `sub` pattern compared with StringLike. The project part must be exact, so a pattern can never match another project. */
const patternSubject = z.strictObject({
  pattern: z
    .string()
    .regex(/^project_path:[\w.-]+(\/[\w.-]+)+:ref_type:(branch|tag|\*):ref:[^\s]+$/, {
      error: 'expected "project_path:<group>/<project>:ref_type:<branch|tag|*>:ref:<ref pattern>" with an exact project path',
    }),
});

export const trustSubject = z.union([exactSubject, patternSubject], {
  error: 'expected { "project": "group/project", "refType": "branch"|"tag", "ref": "main" } or { "pattern": "project_path:group/project:ref_type:branch:ref:*" }',
});
export type TrustSubject = z.output<typeof trustSubject>;

/** The `sub` claim (or pattern) a subject stands for. */
export function subjectClaim(s: TrustSubject): { value: string; pattern: boolean } {
  return 'pattern' in s ? { value: s.pattern, pattern: true } : { value: `project_path:${s.project}:ref_type:${s.refType}:ref:${s.ref}`, pattern: false };
}

const subjects = (what: string) =>
  z.array(trustSubject).min(1, { error: `list at least one project and ref that may ${what}` });

/** A spoke the hub deploys to, as the hub knows it (checked against the spoke's own file). */
export const spokeEntry = z.strictObject({
  /** The spoke environment's name (its file is environments/<environment>.json). */
  environment: environmentName,
  /** The spoke's AWS account ID. */
  accountId,
  /** The spoke's region (GitLab's AWS_DEFAULT_REGION for its environment scope). */
  region,
  /** The spoke's deploy role. Default: gitlab-ci-deploy. */
  deployRoleName: iamRoleName.default(DEFAULT_ROLE_NAMES.spoke.deployRoleName),
  /** The spoke's read-only plan role. Default: gitlab-ci-plan. */
  planRoleName: iamRoleName.default(DEFAULT_ROLE_NAMES.spoke.planRoleName),
  /** Make the GitLab environment protected (only maintainers deploy). Default: false. */
  protected: z.boolean().default(false),
  /** Approvals a deployment to this GitLab environment needs (protected environments only). Default: 0. */
  requiredApprovals: z.number().int().min(0).max(5, { error: 'expected 0-5 approvals' }).default(0),
}).refine((e) => e.requiredApprovals === 0 || e.protected, {
  error: 'approvals apply to protected environments only: set "protected": true or "requiredApprovals": 0',
  path: ['requiredApprovals'],
});
export type SpokeEntry = z.output<typeof spokeEntry>;

/** The hub's identity section. */
export const hubIdentitySection = z
  .strictObject({
    gitlab: z.strictObject({
      /** The GitLab instance whose ID tokens are trusted (OIDC issuer). Default: https://gitlab.com. */
      url: httpsUrl.default('https://gitlab.com'),
      /** The `aud` the tokens must carry (id_tokens aud in .gitlab-ci.yml). Default: the URL. */
      audience: z.string().min(1).max(255).optional(),
      /** Certificate thumbprints of the issuer (40 hex digits). Default: none (AWS verifies the issuer's certificate itself). */
      thumbprints: z.array(z.string().regex(/^[0-9a-fA-F]{40}$/, { error: 'expected a 40-hex-digit SHA-1 thumbprint' })).max(5).default([]),
      /** The project whose pipeline deploys (the GitLab-side stack manages its CI/CD variables, environments and settings). */
      project: gitlabProjectPath,
      /**
       * The project's numeric ID. On gitlab.com, AWS checks it (`gitlab.com:project_id`) besides the
       * path in `sub`, so a project re-created under the same path cannot use the roles. Default: not checked.
       */
      projectId: z.string().regex(/^\d{1,20}$/, { error: 'expected the numeric GitLab project ID, as a string, e.g. "12345678"' }).optional(),
    }),
    /** Who may use the deploy role (non-protected spokes): protected branches or tags only. */
    deploy: subjects('deploy'),
    /**
     * Who may use the protected deploy role, the only way into protected spokes. Default: the
     * project's protected release tags, `project_path:<project>:ref_type:tag:ref:v*` (protect `v*` tags in GitLab).
     */
    protectedDeploy: subjects('deploy protected spokes').optional(),
    /** Who may use the plan role (merge-request pipelines only, where AWS can check it): usually any branch. */
    plan: subjects('plan'),
    /**
     * People who may run `cdktf diff`/`deploy` locally: they assume the hub plan role (any spoke) or
     * the hub deploy role (non-protected spokes), never the protected deploy role. Default: nobody.
     */
    operators: z
      .strictObject({
        /** Role ARNs (or ArnLike patterns, e.g. an IAM Identity Center permission set) in the hub account. */
        principalArns: z
          .array(z.string().regex(/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/*-]{1,512}$/, { error: 'expected an IAM role ARN (or ArnLike pattern) such as "arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/*/AWSReservedSSO_PlatformOperator_*"' }))
          .min(1, { error: 'list at least one operator role ARN' }),
        /** Require MFA in the operator's session (aws:MultiFactorAuthPresent). Default: true. */
        requireMfa: z.boolean().default(true),
      })
      .optional(),
    /**
     * The one role besides the pipeline roles the state bucket admits (administrators of the hub use
     * it to bootstrap and repair state). Default: gitlab-aws-break-glass.
     */
    breakGlassRoleName: iamRoleName.default('gitlab-aws-break-glass'),
    /** Spokes the hub deploys to; each must list this hub in its own file. Default: none. */
    spokes: z.array(spokeEntry).default([]),
    /**
     * Static access keys, the legacy path: an IAM user that may only assume the hub deploy role, and
     * whose sessions reach only the listed environments, from the listed networks. Default: off.
     */
    staticKeys: z
      .strictObject({
        enabled: z.boolean().default(false),
        /** Name of the IAM user. Default: gitlab-ci-legacy. */
        userName: z.string().regex(/^[\w+=,.@-]{1,64}$/, { error: 'expected an IAM user name' }).default('gitlab-ci-legacy'),
        /**
         * The non-protected spokes the keys deploy (their names in `spokes`): legacy sessions of the
         * deploy role may assume only their deploy roles and touch only their state. Required when enabled.
         */
        environments: z.array(environmentName).default([]),
        /** Public networks the keys may be used from (aws:SourceIp), e.g. the GitLab runners' NAT addresses. */
        sourceCidrs: z.array(cidr).default([]),
        /**
         * VPCs the keys may be used from through VPC endpoints (aws:SourceVpc), e.g. the runners' VPC
         * with an STS interface endpoint (there AWS sees no public source IP). Default: none.
         */
        sourceVpcs: z.array(z.string().regex(/^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/, { error: 'expected a VPC ID such as "vpc-0123456789abcdef0"' })).default([]),
      })
      .refine((k) => !k.enabled || k.sourceCidrs.length > 0 || k.sourceVpcs.length > 0, {
        error: 'static keys need "sourceCidrs" (or "sourceVpcs"): the networks (e.g. your runners\' NAT addresses, "203.0.113.10/32") the keys may be used from',
        path: ['sourceCidrs'],
      })
      .refine((k) => !k.enabled || k.environments.length > 0, {
        error: 'static keys need "environments": the non-protected spokes (names from "spokes", e.g. ["dev"]) the keys may deploy',
        path: ['environments'],
      })
      .default({ enabled: false, userName: 'gitlab-ci-legacy', environments: [], sourceCidrs: [], sourceVpcs: [] }),
    /** Session length of the pipeline roles, 900-43200 seconds. Default: 3600. */
    maxSessionSeconds: z.number().int().min(900, { error: 'expected at least 900 seconds' }).max(43200, { error: 'expected at most 43200 seconds' }).default(3600),
  })
  .refine((s) => new Set(s.spokes.map((x) => x.environment)).size === s.spokes.length, {
    error: 'lists a spoke twice: each spoke environment appears once',
    path: ['spokes'],
  })
  .superRefine((s, ctx) => {
    if (!s.staticKeys.enabled) return;
    s.staticKeys.environments.forEach((name, i) => {
      const spoke = s.spokes.find((x) => x.environment === name);
      if (!spoke) ctx.addIssue({ code: 'custom', path: ['staticKeys', 'environments', i], message: `"${name}" is not in "spokes": static keys deploy listed spokes only (listed: ${s.spokes.map((x) => x.environment).join(', ') || 'none'})` });
      else if (spoke.protected) ctx.addIssue({ code: 'custom', path: ['staticKeys', 'environments', i], message: `"${name}" is a protected spoke: only the protected deploy role reaches it, and that role trusts GitLab ID tokens alone; remove it here` });
    });
  });
export type HubIdentityConfig = z.output<typeof hubIdentitySection>;

/** An IAM managed policy: an AWS managed policy's name (e.g. "ReadOnlyAccess") or any policy ARN. */
export const managedPolicy = z
  .string()
  .regex(/^(arn:aws[\w-]*:iam::(aws|\d{12}):policy\/[\w+=,.@/-]{1,512}|[\w+=,.@-][\w+=,.@/-]{0,127})$/, {
    error: 'expected an AWS managed policy name such as "ReadOnlyAccess" or a policy ARN',
  });

/** A spoke's identity section: how its deploy and plan roles are locked down. */
export const spokeIdentitySection = z
  .strictObject({
    /** Also require the caller to be in this AWS Organization (aws:PrincipalOrgID). Default: not checked. */
    principalOrgId: z.string().regex(/^o-[a-z0-9]{10,32}$/, { error: 'expected an organization ID such as "o-a1b2c3d4e5"' }).optional(),
    /** Permissions boundary on the deploy role (policy name or ARN). Default: none. */
    permissionsBoundary: managedPolicy.optional(),
    /** Policies of the deploy role. Default: ["AdministratorAccess"] (narrow it with a boundary). */
    deployPolicies: z.array(managedPolicy).min(1, { error: 'list at least one policy' }).max(10, { error: 'IAM allows 10 managed policies per role by default' }).default(['AdministratorAccess']),
    /**
     * Extra policies of the plan role, besides its built-in plan policy (which reads what `terraform
     * plan` refreshes and explicitly denies every read of a secret, so no policy here can re-grant
     * one). Default: none.
     */
    planPolicies: z.array(managedPolicy).max(9, { error: 'IAM allows 10 managed policies per role by default; the plan policy takes one' }).default([]),
    /** Session length of the spoke roles; role chaining caps it at 3600. Default: 3600. */
    maxSessionSeconds: z.number().int().min(900, { error: 'expected at least 900 seconds' }).max(3600, { error: 'expected at most 3600 seconds (role chaining caps sessions at one hour)' }).default(3600),
  })
  .default({ deployPolicies: ['AdministratorAccess'], planPolicies: [], maxSessionSeconds: 3600 });
export type SpokeIdentityConfig = z.output<typeof spokeIdentitySection>;
