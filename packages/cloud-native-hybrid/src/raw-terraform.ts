import { TerraformProvider, TerraformResource, type TerraformMetaArguments } from 'cdktf';
import type { Construct } from 'constructs';

/**
 * A provider without cdktf bindings (hashicorp/helm, hashicorp/kubernetes are not installed as npm
 * packages here): its source, version constraint and configuration block as Terraform JSON.
 */
export class RawProvider extends TerraformProvider {
  constructor(
    scope: Construct,
    id: string,
    props: { readonly name: string; readonly source: string; readonly versionConstraint: string },
    private readonly config: Record<string, unknown>,
  ) {
    super(scope, id, { terraformResourceType: props.name, terraformProviderSource: props.source, terraformGeneratorMetadata: { providerName: props.name, providerVersionConstraint: props.versionConstraint } });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { ...this.config };
  }
}

/** A resource of a provider without bindings: its type and arguments as Terraform JSON (snake_case). */
export class RawResource extends TerraformResource {
  constructor(scope: Construct, id: string, type: string, provider: RawProvider, private readonly args: Record<string, unknown>, meta: Omit<TerraformMetaArguments, 'provider'> = {}) {
    super(scope, id, { terraformResourceType: type, terraformGeneratorMetadata: provider.terraformGeneratorMetadata, provider, ...meta });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return { ...this.args };
  }
}
