// The gitlab-3k-hybrid environment (spoke): its stacks, configured by environments/gitlab-3k-hybrid.json.
import { AccountBaselineStack } from '@gitlab-aws/account-baseline';
import { GitLabChartStack } from '@gitlab-aws/cloud-native-hybrid';
import { synthEnvironmentApp } from '@gitlab-aws/core';
import { chartStackProps, ReferenceArchitectureStack } from '@gitlab-aws/reference-architecture';
import { SpokeRolesStack } from '@gitlab-aws/spoke-roles';

synthEnvironmentApp({
  appDir: __dirname,
  environmentFile: '../../environments/gitlab-3k-hybrid.json',
  compose: (app, environment) => {
    new SpokeRolesStack(app, { environment });
    new AccountBaselineStack(app, { environment });
    const gitlab = new ReferenceArchitectureStack(app, { environment });
    // The Kubernetes side (helm and kubernetes providers): not planned where those providers are missing.
    new GitLabChartStack(app, chartStackProps(gitlab));
  },
});
