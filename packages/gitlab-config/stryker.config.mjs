// Mutation testing of topology validation and node connections: `npm run mutation -- gitlab-config` (docs/mutation-testing.md).
// Only the topology and connection tests judge the mutants: every rendering test builds a topology
// too, but a mutant it kills by accident (a fixture no longer validating) says nothing about the
// validation, and those tests (ruby.wasm, boot scripts) would run for every static mutant.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

// Loaded by URL, not a static import: Nx would read a static import as this package depending on
// the tools project, and every change that affects tools would then affect every package.
const { strykerConfig } = await import(new URL('../../tools/mutation/stryker-base.mjs', import.meta.url).href);

export default strykerConfig(dirname(fileURLToPath(import.meta.url)), {
  mutate: ['src/topology-validation.ts', 'src/connections.ts'],
  testMatch: ['<rootDir>/src/topology*.test.ts', '<rootDir>/src/connections*.test.ts'],
});
