// The gitlab-2k-hybrid environment (spoke): its stacks, configured by environments/gitlab-2k-hybrid.json.
import { AccountBaselineStack } from '@gitlab-aws/account-baseline';
import { synthEnvironmentApp } from '@gitlab-aws/core';
import { ReferenceArchitectureStack } from '@gitlab-aws/reference-architecture';
import { SpokeRolesStack } from '@gitlab-aws/spoke-roles';

synthEnvironmentApp({
  appDir: __dirname,
  environmentFile: '../../environments/gitlab-2k-hybrid.json',
  compose: (app, environment) => {
    new SpokeRolesStack(app, { environment });
    new AccountBaselineStack(app, { environment });
    new ReferenceArchitectureStack(app, { environment });
  },
});
