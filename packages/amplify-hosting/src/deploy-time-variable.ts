import { TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import type { DeployTimeSecret } from './deploy-time-secrets';

/**
 * A sensitive Terraform variable that only an apply needs. It defaults to null so that plans
 * (merge requests, the offline verification) run without the secret; resources that use it guard
 * themselves with `requiredAtApply`.
 */
export function deployTimeVariable(scope: Construct, secret: DeployTimeSecret): TerraformVariable {
  const variable = new TerraformVariable(scope, secret.variable, {
    type: 'string',
    sensitive: true,
    nullable: true,
    description: `${secret.description}. Needed by apply only: export TF_VAR_${secret.variable} from the SSM SecureString ${secret.parameter}.`,
  });
  // cdktf drops a `default: null`; Terraform needs it to treat the variable as optional.
  variable.addOverride('default', null);
  return variable;
}

/**
 * A precondition Terraform checks at apply, never at plan: timestamp() is unknown while planning,
 * which makes the whole condition unknown there, and Terraform defers unknown conditions to apply.
 */
export function requiredAtApply(variable: TerraformVariable, errorMessage: string): { condition: string; errorMessage: string } {
  return { condition: `\${${variable.fqn} != null || timestamp() == ""}`, errorMessage };
}
