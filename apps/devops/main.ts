// The devops environment (hub): its stacks, configured by environments/devops.json.
import { AccountBaselineStack } from '@gitlab-aws/account-baseline';
import { synthEnvironmentApp } from '@gitlab-aws/core';
import { addRunnerStacks } from '@gitlab-aws/runner-fleet';
import { GitLabCiStack, HubIdentityStack, TerraformStateStack } from '@gitlab-aws/hub-account';

synthEnvironmentApp({
  appDir: __dirname,
  environmentFile: '../../environments/devops.json',
  compose: (app, environment) => {
    const identityStack = new HubIdentityStack(app, { environment });
    new TerraformStateStack(app, { environment, identityStack });
    new GitLabCiStack(app, { environment, identityStack });
    new AccountBaselineStack(app, { environment });
    if (environment.runners) addRunnerStacks(app, environment);
  },
});
