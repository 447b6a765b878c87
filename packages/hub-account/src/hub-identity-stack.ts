import { Annotations, TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamUser } from '@cdktf/provider-aws/lib/iam-user';
import { IamUserPolicy } from '@cdktf/provider-aws/lib/iam-user-policy';
import { EnvironmentStack, gitlabOidcProvider, hubPipelineRoleArns, hubRoleNames, policyJson, type EnvironmentConfig } from '@gitlab-aws/core';
import { oidcAudience, requireHubIdentity, type HubWithIdentity } from './hub-config';
import { legacySessionStatements, legacyUserStatements, pipelinePermissionStatements, pipelineTrustStatements, type PipelineRole } from './pipeline-policies';

export interface HubIdentityStackProps {
  /** The hub environment; its `identity` section lists the GitLab instance, trusted refs and spokes. */
  readonly environment: EnvironmentConfig;
}

export const STATIC_KEYS_WARNING =
  'static access keys are on (identity.staticKeys.enabled): long-lived credentials in GitLab CI/CD variables. Prefer OIDC (id_tokens + the hub deploy role) and turn them off; see docs/identity.md';

/**
 * What GitLab CI signs in to: the IAM OIDC provider of the GitLab instance, the deploy role (listed
 * protected refs; may assume only the non-protected spokes' deploy roles), the protected deploy
 * role (protected release tags; the only way into protected spokes) and the plan role
 * (merge-request pipelines; may assume only the spokes' plan roles). Optionally the legacy
 * static-key user, whose only permission is assuming the deploy role from the listed networks, and
 * whose sessions the deploy role holds to the listed environments and networks; its access key is
 * made in the GitLab-side stack.
 */
export class HubIdentityStack extends EnvironmentStack {
  readonly hub: HubWithIdentity;
  readonly oidcProvider: IamOpenidConnectProvider;
  readonly roles: Record<PipelineRole, IamRole>;
  readonly legacyUser?: IamUser;

  constructor(scope: Construct, props: HubIdentityStackProps) {
    const hub = requireHubIdentity(props.environment, 'HubIdentityStack');
    super(scope, { environment: hub, component: 'ci-identity' });
    this.hub = hub;
    const gitlab = hub.identity.gitlab;

    this.oidcProvider = new IamOpenidConnectProvider(this, 'gitlab-oidc', {
      url: gitlab.url,
      clientIdList: [oidcAudience(hub)],
      ...(gitlab.thumbprints.length ? { thumbprintList: gitlab.thumbprints.map((t) => t.toLowerCase()) } : {}),
    });

    const arns = hubPipelineRoleArns(hub);
    const names = hubRoleNames(hub);
    const makeRole = (role: PipelineRole, name: string, description: string): IamRole => {
      const iamRole = new IamRole(this, `${role === 'protectedDeploy' ? 'protected-deploy' : role}-role`, {
        name,
        description,
        assumeRolePolicy: policyJson(pipelineTrustStatements(hub, role)),
        maxSessionDuration: hub.identity.maxSessionSeconds,
        // The trust names the provider by its deterministic ARN; IAM wants it to exist first.
        dependsOn: [this.oidcProvider],
      });
      const permissions = pipelinePermissionStatements(hub, role);
      if (permissions) {
        new IamRolePolicy(this, `${role === 'protectedDeploy' ? 'protected-deploy' : role}-role-assume-spokes`, { role: iamRole.name, name: 'assume-spoke-roles', policy: policyJson(permissions) });
      }
      return iamRole;
    };
    this.roles = {
      deploy: makeRole('deploy', names.deploy, 'GitLab CI deploys (protected refs): may only assume the deploy roles of non-protected spokes'),
      protectedDeploy: makeRole('protectedDeploy', names.protectedDeploy, 'GitLab CI deploys of protected spokes (protected release tags): may only assume their deploy roles'),
      plan: makeRole('plan', names.plan, 'GitLab CI merge-request plans: may only assume the spoke plan roles'),
    };

    if (hub.identity.staticKeys.enabled) {
      this.legacyUser = new IamUser(this, 'legacy-user', { name: hub.identity.staticKeys.userName });
      new IamUserPolicy(this, 'legacy-user-assume-deploy', {
        user: this.legacyUser.name,
        name: 'assume-hub-deploy-role',
        policy: policyJson(legacyUserStatements(hub)),
      });
      new IamRolePolicy(this, 'deploy-role-legacy-sessions', { role: this.roles.deploy.name, name: 'legacy-key-sessions', policy: policyJson(legacySessionStatements(hub)) });
      Annotations.of(this).addWarning(STATIC_KEYS_WARNING);
      // Also warns on every plan of this stack, where operators look: the assertion "no legacy user" fails.
      this.addOverride('check.static_access_keys', { assert: [{ condition: `\${${this.legacyUser.fqn}.name == null}`, error_message: STATIC_KEYS_WARNING }] });
    }

    new TerraformOutput(this, 'oidc_provider_arn', { value: gitlabOidcProvider(hub, gitlab.url).arn, description: 'IAM OIDC provider of the GitLab instance' });
    new TerraformOutput(this, 'deploy_role_arn', { value: arns.deploy, description: 'Role deploy pipelines assume with their ID token' });
    new TerraformOutput(this, 'protected_deploy_role_arn', { value: arns.protectedDeploy, description: 'Role deploys of protected spokes assume with their ID token' });
    new TerraformOutput(this, 'plan_role_arn', { value: arns.plan, description: 'Role merge-request plans assume with their ID token' });
  }
}
