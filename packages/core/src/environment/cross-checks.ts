import type { EnvironmentConfig } from './schema';
import type { EnvironmentProblem } from './problems';

export interface LoadedFile {
  readonly file: string;
  readonly config: EnvironmentConfig;
}

export interface CrossCheckOptions {
  /** Environments whose own file is invalid (already reported): not reported again as missing. Default: none. */
  readonly invalidNames?: ReadonlySet<string>;
}

/**
 * Checks that need several environment files at once: unique names, every spoke's view of its
 * hub (name, account, region, role names) agreeing with the hub's own file, and a hub's identity
 * spoke list agreeing with the spokes' files (see checkIdentitySpokes).
 */
export function crossCheck(files: readonly LoadedFile[], options: CrossCheckOptions = {}): EnvironmentProblem[] {
  const invalid = options.invalidNames ?? new Set<string>();
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
    if (!hub && invalid.has(ref.environment)) continue;
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
  problems.push(...checkIdentitySpokes(files, byName, invalid));
  problems.push(...checkVpcOverlaps(files));
  return problems;
}

/** An IPv4 CIDR as a [first, last] address range. */
function cidrRange(cidr: string): [number, number] {
  const [ip, bits] = cidr.split('/');
  const base = ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  const first = base - (base % size);
  return [first, first + size - 1];
}

/**
 * VPC CIDRs that overlap: an error within one account and region (the VPCs could never be routed to
 * each other, and a reference architecture beside a runner VPC is the usual reason to connect them);
 * a warning across accounts or regions, since peering or a Transit Gateway later would need them apart.
 */
function checkVpcOverlaps(files: readonly LoadedFile[]): EnvironmentProblem[] {
  const withVpc = files.filter((f) => f.config.network?.vpcCidr);
  const problems: EnvironmentProblem[] = [];
  withVpc.forEach((b, j) => {
    for (const a of withVpc.slice(0, j)) {
      const [a1, a2] = cidrRange(a.config.network!.vpcCidr);
      const [b1, b2] = cidrRange(b.config.network!.vpcCidr);
      if (a1 > b2 || b1 > a2) continue;
      const same = a.config.accountId === b.config.accountId && a.config.region === b.config.region;
      const what = `${b.config.network!.vpcCidr} overlaps ${a.config.network!.vpcCidr} of ${a.file}`;
      problems.push(
        same
          ? { file: b.file, field: 'network.vpcCidr', message: `${what} in the same account and region (${b.config.accountId}, ${b.config.region}): give each VPC its own range` }
          : {
              file: b.file,
              field: 'network.vpcCidr',
              severity: 'warning',
              message: `${what} (another account or region): fine today, but VPC peering or a Transit Gateway between them would need distinct ranges`,
            },
      );
    }
  });
  return problems;
}

/**
 * A hub with an identity section trusts exactly the spokes it lists: every listed spoke must exist,
 * name this hub and agree on account, region and role names; every spoke of that hub must be listed.
 */
function checkIdentitySpokes(files: readonly LoadedFile[], byName: Map<string, LoadedFile>, invalid: ReadonlySet<string>): EnvironmentProblem[] {
  const problems: EnvironmentProblem[] = [];
  for (const h of files) {
    if (h.config.kind !== 'hub' || !h.config.identity) continue;
    const hubName = h.config.name;
    const listed = h.config.identity.spokes;
    listed.forEach((entry, i) => {
      const field = (f: string) => `identity.spokes[${i}].${f}`;
      const spoke = byName.get(entry.environment);
      // Its own file is invalid and its problems are listed already: "add the file" would mislead.
      if (!spoke && invalid.has(entry.environment)) return;
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
