import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { AmplifyApp, type AmplifyAppCustomRule } from '@cdktf/provider-aws/lib/amplify-app';
import { AmplifyBranch } from '@cdktf/provider-aws/lib/amplify-branch';
import { AmplifyDomainAssociation } from '@cdktf/provider-aws/lib/amplify-domain-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePoliciesExclusive } from '@cdktf/provider-aws/lib/iam-role-policies-exclusive';
import { IamRolePolicyAttachmentsExclusive } from '@cdktf/provider-aws/lib/iam-role-policy-attachments-exclusive';
import { amplifyBranchLabel, EnvironmentStack, partitionOf, serviceTrustPolicy, type AmplifyConfig, type EnvironmentConfig } from '@gitlab-aws/core';
import { amplifyConfigOf } from './amplify-config';
import { defaultBuildSpec } from './build-spec';
import { amplifyDeployTimeSecrets } from './deploy-time-secrets';
import { deployTimeVariable, requiredAtApply } from './deploy-time-variable';

export interface AmplifyHostingStackProps {
  /** The validated environment; its `amplify` section configures the app (required). */
  readonly environment: EnvironmentConfig;
}

/** Amplify's documented rewrite for single-page apps: paths without a known file extension get index.html. */
export const SPA_REWRITE: AmplifyAppCustomRule = {
  source: '</^[^.]+$|\\.(?!(css|gif|ico|jpg|jpeg|js|json|map|mp4|pdf|png|svg|txt|webmanifest|webp|woff|woff2|ttf|xml)$)([^.]+$)/>',
  target: '/index.html',
  status: '200',
};

/** The one managed policy Gen 2 builds need to deploy the backend (CloudFormation, Cognito, AppSync, ...). */
export const BACKEND_DEPLOY_POLICY = 'AmplifyBackendDeployFullAccess';

/**
 * An Amplify Gen 2 app connected to a gitlab.com repository: every push to a mapped branch builds
 * and deploys that branch's backend and frontend together. Branches, preview branches, basic auth,
 * custom domain and build spec come from the environment's `amplify` section. The GitLab token and
 * basic-auth credentials are sensitive variables filled from SSM at deploy time, so nothing secret
 * is in the synthesized JSON and plans run without them.
 */
export class AmplifyHostingStack extends EnvironmentStack {
  readonly app: AmplifyApp;
  readonly branches: Record<string, AmplifyBranch> = {};
  readonly serviceRole: IamRole;

  constructor(scope: Construct, props: AmplifyHostingStackProps) {
    const env = props.environment;
    const config = amplifyConfigOf(env, 'AmplifyHostingStack');
    // amplify_app keeps oauth_token and basic-auth credentials in state (no write-only form in aws
    // 5.100.0): its state goes where the plan role cannot read it.
    super(scope, { environment: env, component: 'amplify', holdsSecrets: true });
    const partition = partitionOf(env.region);
    const secrets = amplifyDeployTimeSecrets(env);

    this.serviceRole = new IamRole(this, 'service-role', {
      name: this.names.name('service-role', 'iamRole'),
      description: `Amplify builds of ${env.name} deploy the Gen 2 backend with this role`,
      // Only Amplify apps of this account and region may use it (confused-deputy guard).
      assumeRolePolicy: serviceTrustPolicy({ service: 'amplify.amazonaws.com', account: env.accountId, sourceArn: `arn:${partition}:amplify:${env.region}:${env.accountId}:apps/*` }),
    });
    // Exclusive: exactly this managed policy and no inline policy, even if someone adds one by hand.
    new IamRolePolicyAttachmentsExclusive(this, 'service-role-managed-policies', {
      roleName: this.serviceRole.name,
      policyArns: [`arn:${partition}:iam::aws:policy/service-role/${BACKEND_DEPLOY_POLICY}`],
    });
    new IamRolePoliciesExclusive(this, 'service-role-inline-policies', { roleName: this.serviceRole.name, policyNames: [] });

    const token = deployTimeVariable(this, secrets.gitlabToken);
    const needsBasicAuth = config.branches.some((b) => b.basicAuth) || (config.autoBranchCreation?.basicAuth ?? false);
    const basicAuth = needsBasicAuth ? deployTimeVariable(this, secrets.basicAuth) : undefined;
    const basicAuthCredentials = basicAuth ? `\${${basicAuth.fqn} == null ? null : base64encode(${basicAuth.fqn})}` : undefined;
    const basicAuthRequired = basicAuth
      ? requiredAtApply(basicAuth, `Basic auth is on for some ${env.name} branches: export TF_VAR_${secrets.basicAuth.variable} ("user:password") from the SSM SecureString ${secrets.basicAuth.parameter} before applying.`)
      : undefined;

    const spaRewrites = config.spaRewrites ?? config.platform === 'WEB';
    const auto = config.autoBranchCreation;
    this.app = new AmplifyApp(this, 'app', {
      name: this.names.name('app'),
      description: `${env.name}: Gen 2 app from ${config.repository}`,
      repository: config.repository.replace(/\.git$/, ''),
      // For GitLab the token goes to oauth_token (access_token is GitHub-only); Amplify uses it once to
      // install its webhook and deploy key and does not store it.
      oauthToken: token.stringValue,
      platform: config.platform,
      buildSpec: config.buildSpec ?? defaultBuildSpec(config),
      iamServiceRoleArn: this.serviceRole.arn,
      enableBranchAutoBuild: true,
      environmentVariables: {
        ...(config.appRoot !== '.' ? { AMPLIFY_MONOREPO_APP_ROOT: config.appRoot } : {}),
        ...config.environmentVariables,
      },
      ...(auto
        ? {
            enableAutoBranchCreation: true,
            autoBranchCreationPatterns: auto.patterns,
            enableBranchAutoDeletion: auto.deleteWithBranch,
            autoBranchCreationConfig: {
              stage: auto.stage,
              enableAutoBuild: true,
              enableBasicAuth: auto.basicAuth,
              ...(auto.basicAuth ? { basicAuthCredentials } : {}),
              environmentVariables: auto.environmentVariables,
              ...(config.framework ? { framework: config.framework } : {}),
            },
          }
        : {}),
      ...(spaRewrites ? { customRule: [SPA_REWRITE] } : {}),
      lifecycle: {
        precondition: [
          requiredAtApply(
            token,
            `The Amplify app of ${env.name} needs the GitLab token: export TF_VAR_${secrets.gitlabToken.variable} from the SSM SecureString ${secrets.gitlabToken.parameter} (written by the ${env.name}-amplify-gitlab stack) before applying.`,
          ),
          ...(auto?.basicAuth && basicAuthRequired ? [basicAuthRequired] : []),
        ],
      },
    });

    for (const b of config.branches) {
      const id = amplifyBranchLabel(b.name);
      this.branches[b.name] = new AmplifyBranch(this, `branch-${id}`, {
        appId: this.app.id,
        branchName: b.name,
        // The display name is the branch's subdomain on the default domain; set so URLs are known now.
        displayName: id,
        stage: b.stage,
        enableAutoBuild: b.autoBuild,
        enableBasicAuth: b.basicAuth,
        ...(b.basicAuth ? { basicAuthCredentials, lifecycle: { precondition: [basicAuthRequired!] } } : {}),
        environmentVariables: b.environmentVariables,
        ...(config.framework ? { framework: config.framework } : {}),
      });
    }

    const domain = config.customDomain;
    if (domain) {
      new AmplifyDomainAssociation(this, 'domain', {
        appId: this.app.id,
        domainName: domain.domainName,
        enableAutoSubDomain: domain.autoSubDomain,
        // DNS validation happens outside Terraform (records in your zone); do not block the apply on it.
        waitForVerification: false,
        subDomain: config.branches
          .filter((b) => b.domainPrefix !== undefined)
          .map((b) => ({ branchName: this.branches[b.name].branchName, prefix: b.domainPrefix! })),
      });
    }

    output(this, 'app_id', this.app.id, `Amplify app ID of ${env.name}`);
    output(this, 'default_domain', this.app.defaultDomain, `Amplify default domain of ${env.name}`);
    for (const b of config.branches) output(this, `${amplifyBranchLabel(b.name).replace(/-/g, '_')}_url`, branchUrl(config, b, this.app.defaultDomain), `${b.name} (${b.stage})`);
  }
}

/** Where a branch is served: its custom subdomain when it has one, else <branch>.<default domain>. */
export function branchUrl(config: AmplifyConfig, branch: AmplifyConfig['branches'][number], defaultDomain: string): string {
  if (config.customDomain && branch.domainPrefix !== undefined) {
    return `https://${branch.domainPrefix ? `${branch.domainPrefix}.` : ''}${config.customDomain.domainName}`;
  }
  return `https://${amplifyBranchLabel(branch.name)}.${defaultDomain}`;
}

function output(stack: EnvironmentStack, name: string, value: string, description: string): void {
  new TerraformOutput(stack, name, { value, description }).overrideLogicalId(name);
}
