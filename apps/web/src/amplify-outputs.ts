import { Amplify } from 'aws-amplify';

// amplify_outputs.json is written next to package.json by `npx ampx pipeline-deploy` in the Amplify
// build, before the frontend is built. A glob (not an import) keeps local and CI builds working
// without it: then the page says the backend is not deployed yet.
const found = import.meta.glob<Record<string, unknown>>('../amplify_outputs.json', { eager: true, import: 'default' });
const outputs = Object.values(found)[0];

/** Configures the Amplify client libraries when the backend outputs exist; says whether they did. */
export function configureBackend(): boolean {
  if (!outputs) return false;
  Amplify.configure(outputs);
  return true;
}
