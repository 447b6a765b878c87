import { TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';
import { ruleById } from '../rules';
import { SUPPRESSIONS_KEY, type Suppression } from '../terraform-json';

const recorded = new WeakMap<TerraformResource, Suppression[]>();

/**
 * Records in the synthesized JSON that `ruleId` does not apply to a construct, and why. On a
 * resource it applies to that resource; on any other construct (a stack, a Network) to every
 * resource below it. The reason is mandatory and lands in every report beside the finding.
 *
 * Written as `"//": { "suppressions": [...] }` on each resource: a Terraform JSON comment, so the
 * checker reads it from the JSON alone and plain Terraform ignores it.
 */
export function suppress(construct: IConstruct, ruleId: string, reason: string): void {
  if (!ruleById(ruleId)) {
    throw new Error(`suppress(${construct.node.path}): unknown rule "${ruleId}"; expected an ID from the policy pack such as GLA-S3-005 (see docs/guardrails.md)`);
  }
  if (typeof reason !== 'string' || reason.trim().length < 10) {
    throw new Error(`suppress(${construct.node.path}, ${ruleId}): give a reason of at least 10 characters saying why the rule does not apply here`);
  }
  const resources = TerraformResource.isTerraformResource(construct)
    ? [construct]
    : construct.node.findAll().filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c));
  if (!resources.length) throw new Error(`suppress(${construct.node.path}, ${ruleId}): the construct holds no Terraform resource to suppress the rule on`);
  for (const r of resources) {
    const list = recorded.get(r) ?? [];
    if (!list.some((s) => s.rule === ruleId)) list.push({ rule: ruleId, reason: reason.trim() });
    recorded.set(r, list);
    r.addOverride(`//.${SUPPRESSIONS_KEY}`, list.map((s) => ({ ...s })));
  }
}
