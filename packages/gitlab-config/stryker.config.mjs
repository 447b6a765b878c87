// Mutation testing of topology validation and node connections: `npm run mutation -- gitlab-config` (docs/mutation-testing.md).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strykerConfig } from '../../tools/mutation/stryker-base.mjs';

export default strykerConfig(dirname(fileURLToPath(import.meta.url)), { mutate: ['src/topology-validation.ts', 'src/connections.ts'] });
