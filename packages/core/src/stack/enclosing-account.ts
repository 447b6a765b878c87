import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

/** The account of the EnvironmentStack a construct is in (its `environment`), or the error given. */
export function enclosingAccountId(scope: Construct, error: string): string {
  const env = (TerraformStack.of(scope) as unknown as { environment?: { accountId?: string } }).environment;
  if (!env?.accountId) throw new Error(error);
  return env.accountId;
}
