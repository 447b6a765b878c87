// The prod environment (spoke): its stacks, configured by environments/prod.json.
import { AccountBaselineStack } from '@gitlab-aws/account-baseline';
import { AmplifyGitLabTokenStack, AmplifyHostingStack } from '@gitlab-aws/amplify-hosting';
import { synthEnvironmentApp } from '@gitlab-aws/core';
import { SpokeRolesStack } from '@gitlab-aws/spoke-roles';

synthEnvironmentApp({
  appDir: __dirname,
  environmentFile: '../../environments/prod.json',
  compose: (app, environment) => {
    new SpokeRolesStack(app, { environment });
    new AccountBaselineStack(app, { environment });
    new AmplifyHostingStack(app, { environment });
    new AmplifyGitLabTokenStack(app, { environment });
  },
});
