// Mutation testing of the environment model and its validation: `npm run mutation -- core` (docs/mutation-testing.md).
// Only the environment's own tests judge the mutants: the stack tests also load environments, but
// a mutant they kill by accident (a stack failing to build) says nothing about the validation.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strykerConfig } from '../../tools/mutation/stryker-base.mjs';

export default strykerConfig(dirname(fileURLToPath(import.meta.url)), {
  mutate: ['src/environment/**/*.ts'],
  testMatch: ['<rootDir>/src/environment/**/*.test.ts'],
});
