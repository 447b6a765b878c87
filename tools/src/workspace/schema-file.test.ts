import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENT_SCHEMA_FILE, environmentFiles } from '@gitlab-aws/core';
import { workspaceRoot } from './root';
import { schemaFileText } from './write-schema';

describe('environments/environment.schema.json', () => {
  const root = workspaceRoot();

  it('is the schema generated from the model (run `npm run schema` after changing it)', () => {
    expect(readFileSync(join(root, 'environments', ENVIRONMENT_SCHEMA_FILE), 'utf8')).toBe(schemaFileText());
  });

  it('is referenced by every environment file', () => {
    for (const file of environmentFiles(join(root, 'environments'))) {
      expect([file, JSON.parse(readFileSync(file, 'utf8')).$schema]).toEqual([file, `./${ENVIRONMENT_SCHEMA_FILE}`]);
    }
  });

  it('tells editors about both kinds and rejects unknown keys', () => {
    const schema = JSON.parse(schemaFileText());
    expect(schema.oneOf.map((b: { properties: { kind: { const: string } } }) => b.properties.kind.const)).toEqual(['hub', 'spoke']);
    expect(schema.oneOf.every((b: { additionalProperties: boolean }) => b.additionalProperties === false)).toBe(true);
  });
});
