import type { EnvironmentConfig } from './schema';
import type { EnvironmentProblem } from './problems';

export interface LoadedFile {
  readonly file: string;
  readonly config: EnvironmentConfig;
}

/**
 * Checks that need several environment files at once: unique names, every spoke's view of its
 * hub (name, account, region, role names) agreeing with the hub's own file, and a hub's identity
 * spoke list agreeing with the spokes' files (see checkIdentitySpokes).
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
  problems.push(...checkIdentitySpokes(files, byName));
  return problems;
}

/**
 * A hub with an identity section trusts exactly the spokes it lists: every listed spoke must exist,
 * name this hub and agree on account, region and role names; every spoke of that hub must be listed.
 */
function checkIdentitySpokes(files: readonly LoadedFile[], byName: Map<string, LoadedFile>): EnvironmentProblem[] {
  const problems: EnvironmentProblem[] = [];
  for (const h of files) {
    if (h.config.kind !== 'hub' || !h.config.identity) continue;
    const hubName = h.config.name;
    const listed = h.config.identity.spokes;
    listed.forEach((entry, i) => {
      const field = (f: string) => `identity.spokes[${i}].${f}`;
      const spoke = byName.get(entry.environment);
      if (!spoke || spoke.config.kind !== 'spoke') {
        problems.push({
          file: h.file,
          field: field('environment'),
          message: `lists "${entry.environment}", but there is no spoke environment of that name: remove the entry or add environments/${entry.environment}.json (npm run new-env)`,
        });
        return;
      }
      if (spoke.config.hub.environment !== hubName) {
        problems.push({ file: h.file, field: field('environment'), message: `"${entry.environment}" belongs to hub "${spoke.config.hub.environment}" (${spoke.file}): list it in that hub only` });
        return;
      }
      const agree = (f: string, mine: string, theirs: string, where: string) => {
        if (mine !== theirs) problems.push({ file: h.file, field: field(f), message: `is "${mine}" but ${spoke.file} has ${where} "${theirs}": make them agree` });
      };
      agree('accountId', entry.accountId, spoke.config.accountId, 'accountId');
      agree('region', entry.region, spoke.config.region, 'region');
      agree('deployRoleName', entry.deployRoleName, spoke.config.roles.deployRoleName, 'roles.deployRoleName');
      agree('planRoleName', entry.planRoleName, spoke.config.roles.planRoleName, 'roles.planRoleName');
      // Protected spokes trust only the hub's protected deploy role: both files must say the same.
      if (entry.protected !== spoke.config.guardrails.production) {
        problems.push({
          file: h.file,
          field: field('protected'),
          message: `is ${entry.protected} but ${spoke.file} has guardrails.production ${spoke.config.guardrails.production}: a production spoke is protected (only the protected deploy role reaches it), so set "protected": ${spoke.config.guardrails.production} here or change guardrails.production there`,
        });
      }
    });
    for (const s of files) {
      if (s.config.kind !== 'spoke' || s.config.hub.environment !== hubName) continue;
      if (!listed.some((e) => e.environment === s.config.name)) {
        problems.push({
          file: s.file,
          field: 'hub.environment',
          message: `hub "${hubName}" does not list "${s.config.name}" in ${h.file} identity.spokes, so it would not trust it: add { "environment": "${s.config.name}", "accountId": "${s.config.accountId}", "region": "${s.config.region}" } there`,
        });
      }
    }
  }
  return problems;
}
