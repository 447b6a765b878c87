import { checkStack } from '../check';
import { ruleById } from '../rules';
import { tfStack, type ResourceMap } from './stack';

/** A JSON policy document with these statements. */
export const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** A Terraform reference to a resource's id. */
export const ref = (address: string) => `\${${address}.id}`;

/** The messages one rule reports on a stack of these resources (a production environment unless told). */
export function messagesOf(ruleId: string, resources: ResourceMap, opts: { data?: ResourceMap; production?: boolean } = {}): string[] {
  const rule = ruleById(ruleId);
  if (!rule) throw new Error(`no rule ${ruleId}`);
  const stack = tfStack(resources, { production: opts.production ?? true, ...(opts.data ? { data: opts.data } : {}) });
  return checkStack('test', stack, { rules: [rule] }).findings.map((f) => f.message);
}

/** A resource's arguments. */
export type Values = Record<string, unknown>;
