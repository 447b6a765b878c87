import { defineBackend } from '@aws-amplify/backend';
import { auth } from './auth/resource';
import { data } from './data/resource';

// The Gen 2 backend: `npx ampx pipeline-deploy` in the Amplify build deploys it for the branch
// being built, together with the frontend, so both always come from the same commit.
defineBackend({ auth, data });
