import type { EnvironmentConfig } from '../environment/schema';

export const MANAGED_BY = 'gitlab-on-aws/cdktf';

/** Tags the AWS provider puts on every taggable resource of a stack. */
export function defaultTags(env: EnvironmentConfig, stackId: string): Record<string, string> {
  return {
    ...env.tags,
    Environment: env.name,
    Stack: stackId,
    Owner: env.owner,
    ManagedBy: MANAGED_BY,
  };
}
