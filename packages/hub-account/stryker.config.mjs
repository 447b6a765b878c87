// Mutation testing of the hub's pipeline and state policies: `npm run mutation -- hub-account` (docs/mutation-testing.md).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strykerConfig } from '../../tools/mutation/stryker-base.mjs';

export default strykerConfig(dirname(fileURLToPath(import.meta.url)), { mutate: ['src/pipeline-policies.ts', 'src/state-policies.ts'] });
