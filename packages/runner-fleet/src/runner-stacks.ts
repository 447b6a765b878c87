import type { App } from 'cdktf';
import type { EnvironmentConfig } from '@gitlab-aws/core';
import { RunnerFleetStack } from './runner-fleet-stack';
import { RunnerTokenStack } from './runner-token-stack';

/**
 * Adds an environment's runner stacks to its app: the AWS stack, then the GitLab-side token stack.
 * The dependency only orders deploys (the token key exists before a parameter is written); the
 * stacks share no reference and no remote state.
 */
export function addRunnerStacks(app: App, environment: EnvironmentConfig): { fleet: RunnerFleetStack; tokens: RunnerTokenStack } {
  const fleet = new RunnerFleetStack(app, { environment });
  const tokens = new RunnerTokenStack(app, { environment });
  tokens.addDependency(fleet);
  return { fleet, tokens };
}
