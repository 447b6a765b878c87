import { S3Backend, type TerraformStack } from 'cdktf';
import { roleArn, stateBucketName, stateHome, stateKey } from '../naming/arns';
import type { EnvironmentConfig } from '../environment/schema';

/**
 * Points a stack's state at the hub's bucket: one key per stack, encrypted, locked with S3's native
 * lock file (Terraform >= 1.10; cdktf 0.21 has no field for it, hence the override).
 */
export function addStateBackend(stack: TerraformStack, env: EnvironmentConfig, stackId: string, holdsSecrets = false): S3Backend {
  const home = stateHome(env);
  const backend = new S3Backend(stack, {
    bucket: stateBucketName(env),
    key: stateKey(env, stackId, holdsSecrets),
    region: home.region,
    encrypt: true,
    ...(env.state.kmsKeyId ? { kmsKeyId: env.state.kmsKeyId } : {}),
    ...(env.state.roleName
      ? { assumeRole: { roleArn: roleArn(env, home.accountId, env.state.roleName), sessionName: `tfstate-${env.name}` } }
      : {}),
  });
  backend.addOverride('use_lockfile', true);
  return backend;
}
