import { z } from 'zod';
import { amplifySection } from './sections/amplify';
import { baselineSection } from './sections/baseline';
import { gitlabSection } from './sections/gitlab';
import { guardrailsSection } from './sections/guardrails';
import { hubReference } from './sections/hub-reference';
import { loadTestSection } from './sections/load-test';
import { hubIdentitySection, spokeIdentitySection } from './sections/identity';
import { networkSection } from './sections/network';
import { accountId, environmentName, region, tagMap } from './sections/primitives';
import { rolesSection } from './sections/roles';
import { runnersSection } from './sections/runners';
import { stateSection } from './sections/state';

/** Tag keys the stacks set themselves; an environment may not redefine them. */
export const RESERVED_TAG_KEYS = ['Environment', 'Stack', 'Owner', 'ManagedBy'] as const;

/**
 * Fields every environment has. Capability sections (identity, runners, amplify, gitlab,
 * loadTest) are added here as optional keys, one file per section under ./sections.
 */
const common = {
  /** Path to the JSON Schema, for editors. */
  $schema: z.string().optional(),
  name: environmentName,
  accountId,
  region,
  /** Team that owns the environment; becomes the Owner tag. */
  owner: z.string().min(1, { error: 'expected the owning team, e.g. "platform-team"' }).max(256),
  /** Extra tags on every taggable resource. Default: none. */
  tags: tagMap
    .refine((tags) => !RESERVED_TAG_KEYS.some((k) => k in tags), {
      error: `these tag keys are set by the stacks and may not be redefined: ${RESERVED_TAG_KEYS.join(', ')}`,
    })
    .default({}),
  state: stateSection,
  baseline: baselineSection,
  network: networkSection.optional(),
  /** Self-managed GitLab (reference architecture) in this environment. Default: none. */
  gitlab: gitlabSection.optional(),
  /** Runner fleets on EC2 (packages/runner-fleet). Default: none. */
  runners: runnersSection.optional(),
  /** Policy-pack settings: whether production rules apply. Default: { production: true }. */
  guardrails: guardrailsSection,
  /** What the k6 suites (load-tests/) run against that GitLab; needs `gitlab`. Default: none. */
  loadTest: loadTestSection.optional(),
};

const hubEnvironment = z.strictObject({
  ...common,
  /** The DevOps hub account GitLab CI signs in to. */
  kind: z.literal('hub'),
  roles: rolesSection('hub'),
  /** GitLab OIDC trust, the pipeline roles and the spokes they may reach. Default: none (no pipeline identity in this hub). */
  identity: hubIdentitySection.optional(),
});

const spokeEnvironment = z.strictObject({
  ...common,
  /** An account that the hub deploys into (dev, staging, prod, ...). */
  kind: z.literal('spoke'),
  roles: rolesSection('spoke'),
  hub: hubReference,
  /** Amplify Gen 2 hosting of a web app from gitlab.com. Default: none. */
  amplify: amplifySection.optional(),
  /** Conditions, boundary and policies of the spoke's deploy and plan roles. Default: AdministratorAccess (under the deploy boundary) / the built-in plan policy, no extra conditions. */
  identity: spokeIdentitySection,
});

export const environmentSchema = z.discriminatedUnion('kind', [hubEnvironment, spokeEnvironment], {
  error: (iss) =>
    iss.code === 'invalid_union' ? 'expected "kind" to be "hub" (the DevOps account) or "spoke" (an account the hub deploys to)' : undefined,
});

/** An environment file as written (defaults not yet applied). */
export type EnvironmentInput = z.input<typeof environmentSchema>;
/** A validated environment with every default applied. */
export type EnvironmentConfig = z.output<typeof environmentSchema>;
export type HubEnvironmentConfig = Extract<EnvironmentConfig, { kind: 'hub' }>;
export type SpokeEnvironmentConfig = Extract<EnvironmentConfig, { kind: 'spoke' }>;
