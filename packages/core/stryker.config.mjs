// Mutation testing of the environment model and its validation: `npm run mutation -- core` (docs/mutation-testing.md).
// Only the environment's own tests judge the mutants: the stack tests also load environments, but
// a mutant they kill by accident (a stack failing to build) says nothing about the validation.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// Loaded by URL, not a static import: Nx would read a static import as this package depending on
// the tools project, and every change that affects tools would then affect every package.
const { strykerConfig } = await import(new URL('../../tools/mutation/stryker-base.mjs', import.meta.url).href);

export default strykerConfig(dirname(fileURLToPath(import.meta.url)), {
  mutate: ['src/environment/**/*.ts'],
  testMatch: ['<rootDir>/src/environment/**/*.test.ts'],
});
