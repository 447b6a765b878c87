import type { AmplifyConfig, EnvironmentConfig } from '@gitlab-aws/core';

/** The environment's `amplify` section, or a clear error naming the stack and the file to fix. */
export function amplifyConfigOf(env: EnvironmentConfig, stack: string): AmplifyConfig {
  const config = env.kind === 'spoke' ? env.amplify : undefined;
  if (!config) {
    throw new Error(`${stack}: environment "${env.name}" has no "amplify" section: add one to environments/${env.name}.json (spoke environments only)`);
  }
  return config;
}
