// Mutation testing of the guardrail rule pack: `npm run mutation -- policy` (docs/mutation-testing.md).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strykerConfig } from '../../tools/mutation/stryker-base.mjs';

export default strykerConfig(dirname(fileURLToPath(import.meta.url)), { mutate: ['src/rules/**/*.ts'] });
