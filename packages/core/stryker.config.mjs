// Mutation testing of the environment model and its validation: `npm run mutation -- core` (docs/mutation-testing.md).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strykerConfig } from '../../tools/mutation/stryker-base.mjs';

export default strykerConfig(dirname(fileURLToPath(import.meta.url)), { mutate: ['src/environment/**/*.ts'] });
