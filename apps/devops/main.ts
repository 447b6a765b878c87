// The devops environment (hub): its stacks, configured by environments/devops.json.
import { AccountBaselineStack } from '@gitlab-aws/account-baseline';
import { synthEnvironmentApp } from '@gitlab-aws/core';
import { addRunnerStacks } from '@gitlab-aws/runner-fleet';

synthEnvironmentApp({
  appDir: __dirname,
  environmentFile: '../../environments/devops.json',
  compose: (app, environment) => {
    new AccountBaselineStack(app, { environment });
    if (environment.runners) addRunnerStacks(app, environment);
  },
});
