// The devops environment (hub): its stacks, configured by environments/devops.json.
import { AccountBaselineStack } from '@gitlab-aws/account-baseline';
import { synthEnvironmentApp } from '@gitlab-aws/core';

synthEnvironmentApp({
  appDir: __dirname,
  environmentFile: '../../environments/devops.json',
  compose: (app, environment) => {
    new AccountBaselineStack(app, { environment });
  },
});
