import { z } from 'zod';
import { environmentSchema } from './schema';

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  const?: unknown;
  [key: string]: unknown;
};

let cached: JsonSchema | undefined;

/** The JSON Schema editors use to check environment files, generated from the zod schema. */
export function environmentJsonSchema(): JsonSchema {
  cached ??= {
    ...(z.toJSONSchema(environmentSchema, { io: 'input', target: 'draft-7', unrepresentable: 'any' }) as JsonSchema),
    title: 'GitLab on AWS environment',
    description: 'One environment (account + region) of GitLab on AWS. Generated from packages/core; do not edit.',
  };
  return cached;
}

/** Keys allowed at a path of an environment file (for "did you mean" hints). */
export function knownKeysAt(data: unknown, path: readonly PropertyKey[]): string[] {
  let nodes: JsonSchema[] = [environmentJsonSchema()];
  let value: unknown = data;
  for (const step of [...path, undefined]) {
    nodes = nodes.flatMap((n) => branches(n, value));
    if (step === undefined) break;
    nodes = nodes.flatMap((n) => {
      if (typeof step === 'number' && n.items) return [n.items];
      const child = n.properties?.[String(step)];
      return child ? [child] : [];
    });
    value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[step] : undefined;
  }
  return [...new Set(nodes.flatMap((n) => Object.keys(n.properties ?? {})))];
}

/** Picks the union branches that fit the value's discriminator, or all of them. */
function branches(node: JsonSchema, value: unknown): JsonSchema[] {
  const alternatives = node.oneOf ?? node.anyOf;
  if (!alternatives) return [node];
  const kind = value && typeof value === 'object' ? (value as { kind?: unknown }).kind : undefined;
  const matching = alternatives.filter((a) => a.properties?.kind?.const === kind);
  return (matching.length ? matching : alternatives).flatMap((a) => branches(a, value));
}
