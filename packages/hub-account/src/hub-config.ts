import type { EnvironmentConfig, HubEnvironmentConfig, HubIdentityConfig } from '@gitlab-aws/core';

/** A hub environment with its identity section, the input of every hub stack. */
export type HubWithIdentity = HubEnvironmentConfig & { identity: HubIdentityConfig };

/** Narrows an environment to a hub with an identity section, or says what is missing. */
export function requireHubIdentity(env: EnvironmentConfig, who: string): HubWithIdentity {
  if (env.kind !== 'hub') {
    throw new Error(`${who}: environment "${env.name}" is a spoke; the hub stacks belong to the hub environment (kind "hub")`);
  }
  if (!env.identity) {
    throw new Error(`${who}: environment "${env.name}" has no "identity" section: add one (GitLab URL, project, deploy and plan refs, spokes) to environments/${env.name}.json`);
  }
  return env as HubWithIdentity;
}

/** The audience GitLab ID tokens must carry: configured, or the instance URL. */
export function oidcAudience(hub: HubWithIdentity): string {
  return hub.identity.gitlab.audience ?? hub.identity.gitlab.url;
}
