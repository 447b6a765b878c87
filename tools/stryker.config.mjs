// Mutation testing of the verifier's schema proxy and the wire code under it: `npm run mutation -- tools`
// (docs/mutation-testing.md). Only their own tests judge: the integration tests plan for minutes.
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strykerConfig } from './mutation/stryker-base.mjs';

export default strykerConfig(dirname(fileURLToPath(import.meta.url)), {
  mutate: ['src/terraform/protobuf-wire.ts', 'src/terraform/grpc-message.ts', 'src/terraform/schema-filter.ts', 'src/terraform/schema-proxy.ts'],
  testMatch: ['<rootDir>/src/terraform/{protobuf-wire,grpc-message,schema-filter,schema-proxy}.test.ts'],
});
