import { partitionOf } from '../environment/regions';
import type { EnvironmentConfig, SpokeEnvironmentConfig } from '../environment/schema';
import type { SpokeEntry } from '../environment/sections/identity';

/** ARNs and names other stacks and accounts rely on, built from the environment model alone. */

export function roleArn(env: Pick<EnvironmentConfig, 'region'>, accountId: string, roleName: string): string {
  return `arn:${partitionOf(env.region)}:iam::${accountId}:role/${roleName}`;
}

/** The role a spoke's stacks are deployed with (assumed from the hub's pipeline deploy role). */
export function spokeDeployRoleArn(env: SpokeEnvironmentConfig): string {
  return roleArn(env, env.accountId, env.roles.deployRoleName);
}

/** The read-only role merge-request plans use in a spoke. */
export function spokePlanRoleArn(env: SpokeEnvironmentConfig): string {
  return roleArn(env, env.accountId, env.roles.planRoleName);
}

/** The hub pipeline roles, as seen from any environment. */
export function hubRoleArns(env: EnvironmentConfig): { deploy: string; plan: string } {
  const account = env.kind === 'hub' ? env.accountId : env.hub.accountId;
  const names = env.kind === 'hub' ? env.roles : env.hub;
  return { deploy: roleArn(env, account, names.deployRoleName), plan: roleArn(env, account, names.planRoleName) };
}

/** Account and region of the hub that holds this environment's Terraform state. */
export function stateHome(env: EnvironmentConfig): { accountId: string; region: EnvironmentConfig['region'] } {
  return env.kind === 'hub' ? { accountId: env.accountId, region: env.region } : { accountId: env.hub.accountId, region: env.hub.region };
}

/** The state bucket every stack of every environment writes to (one per hub). */
export function stateBucketName(env: EnvironmentConfig): string {
  const home = stateHome(env);
  return env.state.bucket ?? `${env.state.bucketPrefix}-${home.accountId}-${home.region}`;
}

/**
 * Folder (under an environment's prefix) of the state of stacks whose state holds secrets the
 * provider cannot keep out of it (e.g. amplify_app.oauth_token): the plan role may not read it.
 */
export const SECRET_STATE_FOLDER = 'secrets';

/** State object key of one stack: `<environment>/<stack>.tfstate`, or `<environment>/secrets/<stack>.tfstate` when its state holds secrets. */
export function stateKey(env: EnvironmentConfig, stackId: string, holdsSecrets = false): string {
  return `${env.name}/${holdsSecrets ? `${SECRET_STATE_FOLDER}/` : ''}${stackId}.tfstate`;
}

/** A listed spoke's deploy and plan role ARNs, as its hub builds them (from the hub's file alone). */
export function spokeEntryRoleArns(spoke: SpokeEntry): { deploy: string; plan: string } {
  return { deploy: roleArn(spoke, spoke.accountId, spoke.deployRoleName), plan: roleArn(spoke, spoke.accountId, spoke.planRoleName) };
}

/** The IAM OIDC provider of a GitLab instance: its ARN and the prefix of its condition keys (`<host>[/path]`). */
export function gitlabOidcProvider(env: Pick<EnvironmentConfig, 'region' | 'accountId'>, gitlabUrl: string): { arn: string; conditionPrefix: string } {
  const conditionPrefix = gitlabUrl.replace(/^https:\/\//, '');
  return { arn: `arn:${partitionOf(env.region)}:iam::${env.accountId}:oidc-provider/${conditionPrefix}`, conditionPrefix };
}

/** ARN of a managed policy given as a name (AWS managed, in the environment's partition) or as an ARN. */
export function managedPolicyArn(env: Pick<EnvironmentConfig, 'region'>, policy: string): string {
  return policy.startsWith('arn:') ? policy : `arn:${partitionOf(env.region)}:iam::aws:policy/${policy}`;
}
