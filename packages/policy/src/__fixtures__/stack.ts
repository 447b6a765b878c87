import type { TerraformJson } from '../terraform-json';

/** Resources keyed "type.name" -> arguments; "//" comments may be given as part of the arguments. */
export type ResourceMap = Record<string, Record<string, unknown>>;

/** A Terraform JSON stack built from "type.name" keys, with an AWS provider and optional context. */
export function tfStack(resources: ResourceMap, opts: { production?: boolean; environment?: string; region?: string; data?: ResourceMap; account?: string } = {}): TerraformJson {
  const group = (map: ResourceMap) => {
    const out: Record<string, Record<string, Record<string, unknown>>> = {};
    for (const [key, body] of Object.entries(map)) {
      const dot = key.indexOf('.');
      const [type, name] = [key.slice(0, dot), key.slice(dot + 1)];
      out[type] = { ...(out[type] ?? {}), [name]: { ...body, '//': { metadata: { path: `test/${name}` }, ...((body['//'] as object) ?? {}) } } };
    }
    return out;
  };
  return {
    '//': { guardrails: { environment: opts.environment ?? 'test', production: opts.production ?? true } },
    provider: { aws: [{ region: opts.region ?? 'eu-west-1', allowed_account_ids: [opts.account ?? '222222222222'] }] },
    resource: group(resources) as TerraformJson['resource'],
    ...(opts.data ? { data: group(opts.data) as TerraformJson['data'] } : {}),
  };
}
