import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  checkEnvironmentText,
  crossCheck,
  environmentFiles,
  EnvironmentValidationError,
  type EnvironmentConfig,
  type EnvironmentInput,
  type EnvironmentProblem,
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
 * project.json. A spoke is also added to its hub's identity.spokes (when the hub has an identity
 * section), so the hub trusts it with no hand edit. Every new or changed file is validated together
 * with the existing ones before anything is written, so a bad call leaves the workspace untouched.
 */
export function newEnvironment(root: string, opts: NewEnvironmentOptions): GeneratedFiles {
  const envDir = join(root, 'environments');
  const existing = environmentFiles(envDir).map((path) => {
    const checked = checkEnvironmentText(`environments/${path.split('/').pop()}`, readFileSync(path, 'utf8'));
    if (!checked.config) throw new EnvironmentValidationError(checked.problems);
    return { file: checked.file, config: checked.config } as LoadedFile;
  });
  const changed: GeneratedFiles = {};
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
    if (hub.kind === 'hub' && hub.identity) {
      const hubFile = `environments/${hub.name}.json`;
      const data = JSON.parse(readFileSync(join(root, hubFile), 'utf8')) as { identity: { spokes?: unknown[] } };
      // A new spoke gets the production guardrails by default (guardrails.production), and the loader
      // requires the hub to protect every production spoke: only the protected deploy role reaches it.
      data.identity.spokes = [...(data.identity.spokes ?? []), { environment: opts.name, accountId: opts.accountId, region: input.region, protected: true }];
      changed[hubFile] = `${JSON.stringify(data, null, 2)}\n`;
    }
  } else {
    Object.assign(input, { region: opts.region, owner: opts.owner });
  }
  const text = `${JSON.stringify(input, null, 2)}\n`;
  const created: GeneratedFiles = { [file]: text, ...environmentAppFiles(input as Pick<EnvironmentInput, 'name' | 'kind'>) };
  const problems: EnvironmentProblem[] = [];
  const after = new Map(existing.map((e) => [e.file, e]));
  for (const [path, content] of Object.entries({ [file]: text, ...changed })) {
    const checked = checkEnvironmentText(path, content);
    problems.push(...checked.problems);
    if (checked.config) after.set(path, { file: path, config: checked.config });
  }
  if (!problems.length) problems.push(...crossCheck([...after.values()]).filter((p) => p.file === file || p.file in changed));
  for (const path of Object.keys(created)) {
    if (existsSync(join(root, path))) problems.push({ file: path, field: '(file)', message: 'already exists: pick another name or delete it first' });
  }
  if (problems.length) throw new EnvironmentValidationError(problems);
  const files: GeneratedFiles = { ...created, ...changed };
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
