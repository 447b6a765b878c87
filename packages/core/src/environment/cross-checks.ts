import type { EnvironmentConfig } from './schema';
import type { EnvironmentProblem } from './problems';

export interface LoadedFile {
  readonly file: string;
  readonly config: EnvironmentConfig;
}

/**
 * Checks that need several environment files at once: unique names, and every spoke's view of its
 * hub (name, account, region, role names) agreeing with the hub's own file.
 */
export function crossCheck(files: readonly LoadedFile[]): EnvironmentProblem[] {
  const problems: EnvironmentProblem[] = [];
  const byName = new Map<string, LoadedFile>();
  for (const f of files) {
    const first = byName.get(f.config.name);
    if (first) {
      problems.push({
        file: f.file,
        field: 'name',
        message: `duplicate environment name "${f.config.name}", also used by ${first.file}: give each environment its own name`,
      });
    } else {
      byName.set(f.config.name, f);
    }
  }
  for (const f of files) {
    if (f.config.kind !== 'spoke') continue;
    const ref = f.config.hub;
    const hub = byName.get(ref.environment);
    if (!hub) {
      const hubs = files.filter((h) => h.config.kind === 'hub').map((h) => `"${h.config.name}"`);
      problems.push({
        file: f.file,
        field: 'hub.environment',
        message: `names hub "${ref.environment}", but there is no such environment: expected ${hubs.length ? `one of ${hubs.join(', ')}` : 'a hub environment file (kind "hub")'}`,
      });
      continue;
    }
    if (hub.config.kind !== 'hub') {
      problems.push({ file: f.file, field: 'hub.environment', message: `"${ref.environment}" is a spoke, not a hub: name an environment of kind "hub"` });
      continue;
    }
    const expect = (field: string, actual: string, wanted: string, where: string) => {
      if (actual !== wanted) {
        problems.push({ file: f.file, field, message: `is "${actual}" but ${hub.file} has ${where} "${wanted}": make them agree` });
      }
    };
    expect('hub.accountId', ref.accountId, hub.config.accountId, 'accountId');
    expect('hub.region', ref.region, hub.config.region, 'region');
    expect('hub.deployRoleName', ref.deployRoleName, hub.config.roles.deployRoleName, 'roles.deployRoleName');
    expect('hub.planRoleName', ref.planRoleName, hub.config.roles.planRoleName, 'roles.planRoleName');
  }
  return problems;
}
