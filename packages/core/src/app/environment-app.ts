import { dirname, resolve } from 'node:path';
import { App } from 'cdktf';
import { enforceGuardrails } from '@gitlab-aws/policy';
import { loadEnvironmentFile } from '../environment/loader';
import { EnvironmentValidationError } from '../environment/problems';
import type { EnvironmentConfig } from '../environment/schema';

export interface EnvironmentAppProps {
  /** Folder of the app (its cdktf.json); use `__dirname` from main.ts. */
  readonly appDir: string;
  /** The app's environment file, relative to appDir, e.g. "../../environments/dev.json". */
  readonly environmentFile: string;
  /** Adds the environment's stacks to the app. */
  readonly compose: (app: App, environment: EnvironmentConfig) => void;
}

/**
 * Loads and validates the environment, lets the app add its stacks, synthesizes, and runs the
 * guardrails on the output (packages/policy: rule pack, secret scan, cost, diagram). An invalid
 * environment file stops here with every problem listed and nothing written; an unsuppressed
 * high/critical finding or a secret fails the synth (exit 1) after writing cdktf.out/guardrails.json.
 * Because this runs inside main.ts, it gates `npx cdktf synth|deploy` and tools/bin/synth.js alike.
 */
export function synthEnvironmentApp(props: EnvironmentAppProps): App {
  const file = resolve(props.appDir, props.environmentFile);
  let environment: EnvironmentConfig;
  try {
    environment = loadEnvironmentFile(file, { displayRoot: resolve(dirname(file), '..') });
  } catch (e) {
    if (e instanceof EnvironmentValidationError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const app = new App();
  try {
    // Stacks may find problems only they can see (e.g. an instance type below a size's spec).
    props.compose(app, environment);
  } catch (e) {
    if (e instanceof EnvironmentValidationError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  app.synth();
  if (enforceGuardrails(app.outdir, { environment: environment.name }).failed) process.exit(1);
  return app;
}
