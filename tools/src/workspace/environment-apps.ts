import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** An environment app: apps/<name> with a cdktf.json and an environment file of the same name. */
export interface EnvironmentApp {
  readonly name: string;
  readonly dir: string;
  readonly environmentFile: string;
}

export function environmentApps(root: string): EnvironmentApp[] {
  const apps = join(root, 'apps');
  return readdirSync(apps)
    .filter((name) => existsSync(join(apps, name, 'cdktf.json')))
    .sort()
    .map((name) => ({ name, dir: join(apps, name), environmentFile: join(root, 'environments', `${name}.json`) }));
}

export function readJsonIfExists<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}
