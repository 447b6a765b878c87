import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';

/**
 * `cloud-init schema --config-file` without cloud-init: the header check, a YAML 1.1 parse (cloud-init
 * reads user data with PyYAML) and cloud-init's own JSON Schema for cloud-config
 * (cloud-init/schema-cloud-config-v1.json, copied from canonical/cloud-init at the tag in
 * cloud-init/SOURCE.md) validated by Ajv with draft-04 semantics, as cloud-init's Draft4Validator does.
 */

let validator: ValidateFunction | undefined;
function schemaValidator(): ValidateFunction {
  if (validator) return validator;
  // Loaded on first use: only tests need Ajv.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: Ajv } = require('ajv') as typeof import('ajv');
  const schema = JSON.parse(readFileSync(join(__dirname, 'cloud-init', 'schema-cloud-config-v1.json'), 'utf8')) as Record<string, unknown>;
  // The file declares draft-04; Ajv's default dialect (draft-07) reads every keyword the file uses
  // the same way (no boolean exclusiveMinimum, no `id`), so only the declaration is dropped.
  delete schema.$schema;
  // Not strict: like cloud-init's Draft4Validator, keywords the draft does not know (cloud-init's
  // doc and deprecation annotations, a later draft's prefixItems) are ignored, not errors.
  const ajv = new Ajv({ allErrors: true, strict: false });
  // cloud-init's FormatChecker knows these three formats; their checks are lenient, and so are these.
  ajv.addFormat('uri', /^[a-z][a-z0-9+.-]*:/i);
  ajv.addFormat('hostname', /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i);
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  validator = ajv.compile(schema);
  return validator;
}

function describe(e: ErrorObject): string {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.') || '(top level)';
  const extra = e.keyword === 'additionalProperties' ? ` (${String((e.params as { additionalProperty: string }).additionalProperty)})` : '';
  return `${path}: ${e.message ?? e.keyword}${extra}`;
}

/**
 * Problems cloud-init's schema check would report for a user-data document; an empty list means
 * "Valid cloud-config".
 */
export function cloudConfigProblems(document: string): string[] {
  if (!/^#cloud-config[ \t]*\r?\n/.test(document)) return ['header: the first line must be "#cloud-config"'];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require('yaml') as typeof import('yaml');
  let config: unknown;
  try {
    config = parse(document, { version: '1.1' });
  } catch (e) {
    return [`yaml: ${(e as Error).message}`];
  }
  if (!config || typeof config !== 'object' || Array.isArray(config)) return ['(top level): a cloud-config document is a mapping'];
  const validate = schemaValidator();
  if (validate(config)) return [];
  return [...new Set((validate.errors ?? []).map(describe))];
}
