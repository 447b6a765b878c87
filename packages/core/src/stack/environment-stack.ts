import { Aspects, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { setGuardrailContext } from '@gitlab-aws/policy';
import type { EnvironmentConfig } from '../environment/schema';
import { ResourceNames } from '../naming/resource-names';
import { slug } from '../naming/fit-name';
import { addAwsProvider } from './aws-provider';
import { addStateBackend } from './state-backend';
import { DeployBoundaryAspect } from './deploy-boundary-aspect';
import { spokeDeployBoundaryArn } from '../naming/pipeline-roles';

export interface EnvironmentStackProps {
  /** The validated environment (from loadEnvironmentFile). */
  readonly environment: EnvironmentConfig;
  /** What the stack holds, e.g. "baseline"; the stack ID becomes `<environment>-<component>`. */
  readonly component: string;
  /**
   * The stack's state holds secrets the provider cannot keep out of it: it goes to
   * `<environment>/secrets/`, which the plan role cannot read (so merge requests do not plan it
   * live). Default: false.
   */
  readonly holdsSecrets?: boolean;
}

/**
 * Base of every AWS stack: the state backend in the hub's bucket, the AWS provider for the
 * environment's account and region (assuming the spoke role), default tags, and a naming helper.
 */
export class EnvironmentStack extends TerraformStack {
  readonly environment: EnvironmentConfig;
  readonly stackId: string;
  readonly names: ResourceNames;
  readonly awsProvider: AwsProvider;

  constructor(scope: Construct, props: EnvironmentStackProps) {
    const component = slug(props.component);
    if (!component || component !== props.component) {
      throw new Error(`EnvironmentStack: component "${props.component}" must be lowercase letters, digits and hyphens (e.g. "${component || 'baseline'}")`);
    }
    const stackId = `${props.environment.name}-${component}`;
    super(scope, stackId);
    this.environment = props.environment;
    this.stackId = stackId;
    this.names = new ResourceNames(props.environment.name, component);
    addStateBackend(this, props.environment, stackId, props.holdsSecrets ?? false);
    // Every role a spoke stack creates carries the deploy boundary, which the boundary itself requires.
    if (props.environment.kind === 'spoke') Aspects.of(this).add(new DeployBoundaryAspect(spokeDeployBoundaryArn(props.environment)));
    this.awsProvider = addAwsProvider(this, props.environment, stackId);
    // Tells the JSON-level policy pack which environment this is and whether production rules apply.
    setGuardrailContext(this, { environment: props.environment.name, production: props.environment.guardrails.production });
  }
}
