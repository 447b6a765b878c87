import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENVIRONMENT_SCHEMA_FILE, environmentJsonSchema } from '@gitlab-aws/core';
import { workspaceRoot } from './root';

/** The schema editors read, generated from the zod model in packages/core (a test keeps it current). */
export function schemaFileText(): string {
  return `${JSON.stringify(environmentJsonSchema(), null, 2)}\n`;
}

if (require.main === module) {
  const file = join(workspaceRoot(), 'environments', ENVIRONMENT_SCHEMA_FILE);
  writeFileSync(file, schemaFileText());
  process.stdout.write(`wrote ${file}\n`);
}
