import { GITLAB_SIZES, hasRedisCache, httpsUrl, isHaSize, isSingleNodeSize } from '@gitlab-aws/core';
import type { GitLabTopologyInput, ManagedPostgres, ManagedRedis, NodeRole } from './topology';
import { APPLICATION_TIERS, BUCKET_TYPES, GITLAB_EDITIONS, NODE_ROLES, onKubernetes } from './topology';
import { DATA_PATHS, VOLUME_ID } from './data-volume';

const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const VERSION = /^\d+\.\d+\.\d+$/;
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const HOST = /^[A-Za-z0-9.${}[\]_:-]+$/; // DNS name or a Terraform reference to one
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const SSM_PATH = /^(\/[A-Za-z0-9_.-]+)+$/;

function ipv4ToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

function parseCidr(cidr: string): { base: number; bits: number } | undefined {
  const [ip, bitsText] = cidr.split('/');
  // Stryker disable next-line StringLiteral: equivalent, any text with a space or "!" fails this pattern as "" does
  const base = ipv4ToInt(ip ?? '');
  const bits = Number(bitsText);
  // Stryker disable next-line StringLiteral: equivalent, any text with a space or "!" fails this pattern as "" does
  if (base === undefined || !/^\d{1,2}$/.test(bitsText ?? '') || bits > 32) return undefined;
  return { base, bits };
}

function inCidr(ip: number, cidr: { base: number; bits: number }): boolean {
  if (cidr.bits === 0) return true;
  const mask = (~0 << (32 - cidr.bits)) >>> 0;
  return ((ip & mask) >>> 0) === ((cidr.base & mask) >>> 0);
}

const isOddAtLeast3 = (n: number) => n >= 3 && n % 2 === 1;

/** Every problem in a topology, as "field: what is wrong; what to do" sentences. Empty when valid. */
export function validateTopology(t: GitLabTopologyInput): string[] {
  const problems: string[] = [];
  const add = (p: string) => problems.push(p);

  if (!(GITLAB_SIZES as readonly string[]).includes(t.size)) add(`size: "${t.size}" is not one of ${GITLAB_SIZES.join(', ')}`);
  if (!httpsUrl.safeParse(t.externalUrl).success) add(`externalUrl: "${t.externalUrl}" must be an https:// URL without a trailing slash`);
  // Stryker disable next-line StringLiteral: equivalent, any text with a space or "!" fails this pattern as "" does
  if (!REGION.test(t.region ?? '')) add(`region: "${t.region}" is not an AWS region name such as "eu-west-1"`);
  // Stryker disable next-line StringLiteral: equivalent, any text with a space or "!" fails this pattern as "" does
  const vpc = parseCidr(t.vpcCidr ?? '');
  if (!vpc) add(`vpcCidr: "${t.vpcCidr}" is not an IPv4 CIDR such as "10.0.0.0/16"`);
  if (t.applicationTier !== undefined && !(APPLICATION_TIERS as readonly string[]).includes(t.applicationTier))
    add(`applicationTier: "${t.applicationTier}" must be "linux-package" or "kubernetes"`);
  if (t.edition !== undefined && !(GITLAB_EDITIONS as readonly string[]).includes(t.edition)) add(`edition: "${t.edition}" must be "ee" or "ce"`);
  // Stryker disable next-line StringLiteral: equivalent, any text with a space or "!" fails this pattern as "" does
  if (!VERSION.test(t.version ?? '')) add(`version: "${t.version}" must be a pinned GitLab version such as "19.3.0"`);
  if (t.dependencyTimeoutSeconds !== undefined && !(Number.isInteger(t.dependencyTimeoutSeconds) && t.dependencyTimeoutSeconds >= 60 && t.dependencyTimeoutSeconds <= 7200))
    add(`dependencyTimeoutSeconds: ${t.dependencyTimeoutSeconds} must be a whole number of seconds between 60 and 7200`);

  if (t.backups !== undefined) {
    // Stryker disable next-line StringLiteral: equivalent, any text with a space or "!" fails this pattern as "" does
    if (!/^(\S+\s+){4}\S+$/.test(t.backups.cron ?? '')) add(`backups.cron: "${t.backups.cron}" must be a crontab schedule of 5 fields such as "0 3 * * *"`);
    if (!(Number.isInteger(t.backups.keepDays) && t.backups.keepDays >= 1)) add(`backups.keepDays: ${t.backups.keepDays} must be a whole number of days, at least 1`);
  }

  // Nodes: names, addresses, roles.
  const names = new Set<string>();
  const ips = new Set<string>();
  (t.nodes ?? []).forEach((n, i) => {
    const where = `nodes[${i}] (${n.name ?? '?'})`;
    if (!(NODE_ROLES as readonly string[]).includes(n.role)) add(`${where}.role: "${n.role}" is not one of ${NODE_ROLES.join(', ')}`);
    // Stryker disable next-line StringLiteral: equivalent, any text with a space or "!" fails this pattern as "" does
    if (!NAME.test(n.name ?? '')) add(`${where}.name: must be lowercase letters, digits and "-", starting with a letter (at most 63)`);
    else if (names.has(n.name)) add(`${where}.name: "${n.name}" is used by another node; names must be unique`);
    names.add(n.name);
    // Stryker disable next-line StringLiteral: equivalent, any text with a space or "!" fails this pattern as "" does
    const ip = ipv4ToInt(n.privateIp ?? '');
    if (ip === undefined) add(`${where}.privateIp: "${n.privateIp}" is not an IPv4 address`);
    else if (vpc && !inCidr(ip, vpc)) add(`${where}.privateIp: ${n.privateIp} is outside vpcCidr ${t.vpcCidr}`);
    else if (ips.has(n.privateIp)) add(`${where}.privateIp: ${n.privateIp} is assigned to another node`);
    ips.add(n.privateIp);
    if (!n.availabilityZone) add(`${where}.availabilityZone: required`);
    if (n.dataVolumeId !== undefined) {
      if (!DATA_PATHS[n.role]) add(`${where}.dataVolumeId: ${n.role} nodes keep no data on a volume; remove it`);
      else if (!VOLUME_ID.test(n.dataVolumeId)) add(`${where}.dataVolumeId: "${n.dataVolumeId}" is not an EBS volume ID such as "vol-0123456789abcdef0"`);
    }
  });

  // Buckets and secrets.
  const bucketNames = new Set<string>();
  for (const type of BUCKET_TYPES) {
    const name = t.buckets?.[type];
    if (!name) add(`buckets.${type}: required (one bucket per data type)`);
    else if (!BUCKET.test(name)) add(`buckets.${type}: "${name}" is not a valid S3 bucket name`);
    else if (bucketNames.has(name)) add(`buckets.${type}: "${name}" is used for another data type; use one bucket per type`);
    // Stryker disable next-line ConditionalExpression: equivalent, an empty name is reported as required before the set is read
    if (name) bucketNames.add(name);
  }
  const prefix = t.secrets?.prefix ?? '';
  if (!SSM_PATH.test(prefix)) add(`secrets.prefix: "${prefix}" must be an SSM path such as "/gitlab/prod" (no trailing slash)`);
  else if (/^\/(aws|ssm)(\/|$)/i.test(prefix)) add(`secrets.prefix: "${prefix}" starts with a prefix AWS reserves (/aws, /ssm)`);

  // Managed endpoints.
  const m = t.managed ?? {};
  const checkPg = (field: string, pg: ManagedPostgres) => {
    // Stryker disable next-line StringLiteral: equivalent, any text with a space or "!" fails this pattern as "" does
    if (!HOST.test(pg.host ?? '')) add(`managed.${field}.host: "${pg.host}" must be the endpoint's DNS name`);
    if (pg.port !== undefined && !(Number.isInteger(pg.port) && pg.port > 0 && pg.port < 65536)) add(`managed.${field}.port: ${pg.port} is not a TCP port`);
    if (!pg.masterSecretArn) add(`managed.${field}.masterSecretArn: required (the RDS-managed master user secret, used once to create GitLab's own login)`);
  };
  if (m.postgres) checkPg('postgres', m.postgres);
  if (m.praefectPostgres) checkPg('praefectPostgres', m.praefectPostgres);
  const checkRedis = (field: string, r: ManagedRedis) => {
    // Stryker disable next-line StringLiteral: equivalent, any text with a space or "!" fails this pattern as "" does
    if (!HOST.test(r.host ?? '')) add(`managed.${field}.host: "${r.host}" must be the primary endpoint's DNS name`);
    if (r.port !== undefined && !(Number.isInteger(r.port) && r.port > 0 && r.port < 65536)) add(`managed.${field}.port: ${r.port} is not a TCP port`);
  };
  if (m.redis) checkRedis('redis', m.redis);
  if (m.redisCache) checkRedis('redisCache', m.redisCache);
  if (t.redisCacheMaxMemoryMb !== undefined && !(Number.isInteger(t.redisCacheMaxMemoryMb) && t.redisCacheMaxMemoryMb >= 256))
    add(`redisCacheMaxMemoryMb: ${t.redisCacheMaxMemoryMb} must be a whole number of MB, at least 256 (GitLab's 10K page uses 13500 on 16 GB nodes)`);

  problems.push(...validateRoleCounts(t));
  return problems;
}

/** Which roles each size needs, and managed vs self-managed consistency. */
function validateRoleCounts(t: GitLabTopologyInput): string[] {
  const problems: string[] = [];
  const m = t.managed ?? {};
  // Stryker disable next-line ArrayDeclaration: equivalent, a placeholder element has no role and counts as none
  const count = (role: NodeRole) => (t.nodes ?? []).filter((n) => n.role === role).length;
  const need = (role: NodeRole, ok: (n: number) => boolean, expected: string) => {
    const n = count(role);
    if (!ok(n)) problems.push(`nodes: ${t.size} needs ${expected} "${role}" node${expected === 'exactly 1' ? '' : 's'}, found ${n}`);
  };
  const replacedBy = (role: NodeRole, managedField: string) => {
    if (count(role) > 0) problems.push(`nodes: "${role}" nodes are replaced by managed.${managedField}; remove them or drop managed.${managedField}`);
  };

  // 1k: one node runs every service; nothing else, nothing managed, nothing on Kubernetes.
  if (isSingleNodeSize(t.size)) {
    need('all-in-one', (n) => n === 1, 'exactly 1');
    for (const role of NODE_ROLES) {
      if (role !== 'all-in-one' && count(role) > 0) problems.push(`nodes: "${role}" nodes do not exist in ${t.size}, whose one "all-in-one" node runs every service; remove them`);
    }
    for (const [field, endpoint] of Object.entries(m)) {
      if (endpoint) problems.push(`managed.${field}: ${t.size} runs PostgreSQL and Redis on its all-in-one node; remove managed.${field}, or use size 2k for managed services`);
    }
    if (onKubernetes(t)) problems.push(`applicationTier: ${t.size} has no Cloud Native Hybrid layout (GitLab publishes none); use "linux-package"`);
    return problems;
  }
  if (count('all-in-one') > 0) problems.push(`nodes: "all-in-one" nodes belong to the single-node size 1k; ${t.size} has a node per role: remove them`);

  if (onKubernetes(t)) {
    // Cloud Native Hybrid: the chart runs Rails, Sidekiq and its own monitoring.
    for (const role of ['rails', 'sidekiq', 'monitoring'] as const) {
      if (count(role) > 0) problems.push(`nodes: "${role}" nodes run on Kubernetes when applicationTier is "kubernetes"; remove them or use applicationTier "linux-package"`);
    }
  } else {
    need('monitoring', (n) => n <= 1, 'at most 1');
    need('rails', (n) => n >= (isHaSize(t.size) ? 2 : 1), isHaSize(t.size) ? 'at least 2' : 'at least 1');
    if (t.size === '2k') need('sidekiq', (n) => n >= 1, 'at least 1');
  }

  if (m.postgres) replacedBy('postgres', 'postgres');
  if (m.redis) replacedBy('redis', 'redis');
  // 10k and up: a second Redis cluster for the cache, with a Sentinel on each node like the persistent one.
  if (hasRedisCache(t.size)) {
    if (m.redisCache) replacedBy('redis-cache', 'redisCache');
    else need('redis-cache', isOddAtLeast3, 'an odd number (at least 3: 1 primary, 2 replicas, a Sentinel on each) of');
  } else {
    if (count('redis-cache') > 0) problems.push(`nodes: "redis-cache" nodes belong to the sizes with a separate Redis cache cluster (10k and up); ${t.size} keeps its cache in "redis"`);
    if (m.redisCache) problems.push(`managed.redisCache: only 10k and up have a separate Redis cache cluster; remove it for ${t.size}`);
  }

  if (!isHaSize(t.size)) {
    for (const role of ['praefect', 'praefect-postgres', 'pgbouncer', 'consul'] as const) {
      if (count(role) > 0) problems.push(`nodes: "${role}" nodes belong to the HA architecture (3k and up); ${t.size} has none`);
    }
    if (m.praefectPostgres) problems.push(`managed.praefectPostgres: only the HA sizes (3k and up) run Praefect (Gitaly Cluster); remove it for ${t.size}`);
    need('gitaly', (n) => n === 1, 'exactly 1');
    if (!m.postgres) need('postgres', (n) => n === 1, 'exactly 1');
    if (!m.redis) need('redis', (n) => n === 1, 'exactly 1');
    // Gitaly calls the Rails internal API: with several Rails nodes, through a load balancer, never one node alone.
    if (count('rails') > 1 && (!t.internalLoadBalancerDns || !HOST.test(t.internalLoadBalancerDns)))
      problems.push(`internalLoadBalancerDns: ${t.size} with ${count('rails')} Rails nodes needs the internal load balancer DNS name (the Rails internal API on 80), so Gitaly does not depend on one Rails node`);
    return problems;
  }

  // HA sizes (3k and up): HA everywhere, Gitaly Cluster with replication factor 3.
  need('gitaly', (n) => n >= 3, 'at least 3');
  need('praefect', isOddAtLeast3, 'an odd number (at least 3) of');
  if (m.praefectPostgres) replacedBy('praefect-postgres', 'praefectPostgres');
  else if (!t.allowSingleNodePraefectDatabase)
    problems.push(`managed.praefectPostgres: ${t.size} needs a highly available database for Praefect (RDS Multi-AZ); one "praefect-postgres" node is a single point of failure: set managed.praefectPostgres, or allowSingleNodePraefectDatabase for a test environment`);
  else need('praefect-postgres', (n) => n === 1, 'exactly 1');
  if (m.postgres) replacedBy('pgbouncer', 'postgres');
  else {
    need('postgres', (n) => n >= 3, 'at least 3 (Patroni)');
    need('pgbouncer', (n) => n >= 2, 'at least 2');
  }
  // Consul serves Patroni and PgBouncer; Redis Sentinel runs on the Redis nodes.
  if (!m.postgres) need('consul', isOddAtLeast3, 'an odd number (at least 3, for Patroni) of');
  else if (count('consul') > 0) problems.push('nodes: "consul" nodes have nothing to do when PostgreSQL is managed (Sentinel runs on the Redis nodes); remove them');
  if (!m.redis) need('redis', isOddAtLeast3, 'an odd number (at least 3: 1 primary, 2 replicas, a Sentinel on each) of');
  if (!t.internalLoadBalancerDns || !HOST.test(t.internalLoadBalancerDns))
    problems.push(`internalLoadBalancerDns: ${t.size} needs the internal load balancer DNS name (Praefect 3305, PgBouncer 6432)`);
  return problems;
}
