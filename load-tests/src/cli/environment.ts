import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadEnvironmentFile } from '@gitlab-aws/core';
import { resolveSuiteConfig, type SuiteConfig } from '../lib/config';

export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');

/** An environment file validated by the core schema (every problem listed) and resolved for the suite. */
export function loadSuiteEnvironment(name: string, overrides: Record<string, string | undefined>, root = WORKSPACE_ROOT): { file: string; text: string; config: SuiteConfig } {
  const file = join(root, 'environments', `${name}.json`);
  if (!existsSync(file)) throw new Error(`environments/${name}.json does not exist: pass the name of an environment that has gitlab and loadTest sections`);
  loadEnvironmentFile(file, { displayRoot: root });
  const text = readFileSync(file, 'utf8');
  return { file, text, config: resolveSuiteConfig(relative(root, file), JSON.parse(text), overrides) };
}
