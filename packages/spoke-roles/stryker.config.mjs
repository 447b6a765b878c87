// Mutation testing of the spoke's deploy/plan roles, trust and deploy boundary: `npm run mutation -- spoke-roles` (docs/mutation-testing.md).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strykerConfig } from '../../tools/mutation/stryker-base.mjs';

export default strykerConfig(dirname(fileURLToPath(import.meta.url)), { mutate: ['src/**/*.ts'] });
