import { checkEnvironmentText } from '../environment/loader';
import type { EnvironmentConfig, EnvironmentInput } from '../environment/schema';

/** Example environments for tests in every package: a hub and a spoke that agree with each other. */
export const TEST_HUB: Extract<EnvironmentInput, { kind: 'hub' }> = {
  name: 'devops',
  kind: 'hub',
  accountId: '111111111111',
  region: 'eu-west-1',
  owner: 'platform-team',
};

export const TEST_SPOKE: Extract<EnvironmentInput, { kind: 'spoke' }> = {
  name: 'dev',
  kind: 'spoke',
  accountId: '222222222222',
  region: 'eu-west-1',
  owner: 'platform-team',
  hub: { environment: 'devops', accountId: '111111111111', region: 'eu-west-1' },
};

/** An identity section for TEST_HUB: gitlab.com, main deploys, any branch plans, TEST_SPOKE as its one spoke. */
export const TEST_HUB_IDENTITY = {
  gitlab: { project: 'platform/gitlab-on-aws' },
  deploy: [{ project: 'platform/gitlab-on-aws', refType: 'branch', ref: 'main' }],
  plan: [{ pattern: 'project_path:platform/gitlab-on-aws:ref_type:branch:ref:*' }],
  spokes: [{ environment: 'dev', accountId: '222222222222', region: 'eu-west-1' }],
};

/** Validates an environment the way the loader does, failing loudly so a test never runs on bad input. */
export function testEnvironment(input: EnvironmentInput, overrides: Record<string, unknown> = {}): EnvironmentConfig {
  const data = { ...input, ...overrides };
  const checked = checkEnvironmentText(`environments/${String(data.name)}.json`, JSON.stringify(data));
  if (!checked.config) throw new Error(checked.problems.map((p) => `${p.field}: ${p.message}`).join('\n'));
  return checked.config;
}
