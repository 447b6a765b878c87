// Mutation testing of the spoke's deploy/plan roles, trust and deploy boundary: `npm run mutation -- spoke-roles` (docs/mutation-testing.md).
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// Loaded by URL, not a static import: Nx would read a static import as this package depending on
// the tools project, and every change that affects tools would then affect every package.
const { strykerConfig } = await import(new URL('../../tools/mutation/stryker-base.mjs', import.meta.url).href);

export default strykerConfig(dirname(fileURLToPath(import.meta.url)), { mutate: ['src/**/*.ts'] });
