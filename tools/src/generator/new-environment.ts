import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  checkEnvironmentText,
  crossCheck,
  environmentFiles,
  EnvironmentValidationError,
  type EnvironmentConfig,
  type EnvironmentInput,
  type LoadedFile,
} from '@gitlab-aws/core';
import { environmentAppFiles, type GeneratedFiles } from './app-templates';

export interface NewEnvironmentOptions {
  readonly name: string;
  /** Default: spoke. */
  readonly kind?: 'hub' | 'spoke';
  readonly accountId: string;
  /** Default: the hub's region. */
  readonly region?: string;
  /** Hub a spoke belongs to. Default: the only hub, if there is exactly one. */
  readonly hub?: string;
  /** Default: the hub's owner. */
  readonly owner?: string;
}

/**
 * Adds an environment: environments/<name>.json and apps/<name>/, wired into Nx by the app's
 * project.json. The new file is validated together with the existing ones before anything is
 * written, so a bad call leaves the workspace untouched.
 */
export function newEnvironment(root: string, opts: NewEnvironmentOptions): GeneratedFiles {
  const envDir = join(root, 'environments');
  const existing = environmentFiles(envDir).map((path) => {
    const checked = checkEnvironmentText(`environments/${path.split('/').pop()}`, readFileSync(path, 'utf8'));
    if (!checked.config) throw new EnvironmentValidationError(checked.problems);
    return { file: checked.file, config: checked.config } as LoadedFile;
  });
  const kind = opts.kind ?? 'spoke';
  const file = `environments/${opts.name}.json`;
  const input: Record<string, unknown> = { $schema: './environment.schema.json', name: opts.name, kind, accountId: opts.accountId };
  if (kind === 'spoke') {
    const hub = pickHub(existing, opts.hub, file);
    Object.assign(input, {
      region: opts.region ?? hub.region,
      owner: opts.owner ?? hub.owner,
      hub: { environment: hub.name, accountId: hub.accountId, region: hub.region },
    });
  } else {
    Object.assign(input, { region: opts.region, owner: opts.owner });
  }
  const text = `${JSON.stringify(input, null, 2)}\n`;
  const checked = checkEnvironmentText(file, text);
  const problems = [...checked.problems];
  if (checked.config) problems.push(...crossCheck([...existing, { file, config: checked.config }]).filter((p) => p.file === file));
  const files: GeneratedFiles = { [file]: text, ...environmentAppFiles(input as Pick<EnvironmentInput, 'name' | 'kind'>) };
  for (const path of Object.keys(files)) {
    if (existsSync(join(root, path))) problems.push({ file: path, field: '(file)', message: 'already exists: pick another name or delete it first' });
  }
  if (problems.length) throw new EnvironmentValidationError(problems);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return files;
}

function pickHub(existing: LoadedFile[], name: string | undefined, file: string): EnvironmentConfig {
  const hubs = existing.map((e) => e.config).filter((c) => c.kind === 'hub');
  const hub = name ? hubs.find((h) => h.name === name) : hubs.length === 1 ? hubs[0] : undefined;
  if (!hub) {
    const names = hubs.map((h) => h.name).join(', ') || 'none yet';
    throw new EnvironmentValidationError([
      { file, field: 'hub.environment', message: `${name ? `no hub named "${name}"` : 'several hubs or none'}: pass --hub with one of: ${names}` },
    ]);
  }
  return hub;
}
