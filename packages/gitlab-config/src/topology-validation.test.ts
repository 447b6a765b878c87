import { ELASTICACHE, ELASTICACHE_CACHE, PRAEFECT_RDS, RDS, topologyInput } from './__fixtures__/topologies';
import type { GitLabTopologyInput, NodeRole, TopologyNode } from './topology';
import { BUCKET_TYPES } from './topology';
import { validateTopology } from './topology-validation';

// validateTopology field by field: one change to a valid topology at a time, at both sides of each
// boundary, and the exact problem it must report (or none). poc nodes: rails-1, gitaly-1,
// postgres-1, redis-1, monitoring-1 in 10.20.0.0/16.
type Change = (t: GitLabTopologyInput) => void;
const problems = (size: 'poc' | '2k' | '3k' | '5k' | '10k' | '25k' | '50k', change: Change, managed = {}): string[] => {
  const t = topologyInput(size, managed);
  change(t);
  return validateTopology(t);
};
const node = (t: GitLabTopologyInput, name: string): TopologyNode => t.nodes.find((n) => n.name === name)!;
const add = (t: GitLabTopologyInput, role: NodeRole, name: string, privateIp: string) => t.nodes.push({ role, name, privateIp, availabilityZone: 'eu-west-1a' });
const drop = (t: GitLabTopologyInput, ...names: string[]) => (t.nodes = t.nodes.filter((n) => !names.includes(n.name)));
const valid: Array<[string, Change]> = [];
const invalid: Array<[string, Change, string[]]> = [];

describe('validateTopology: the valid reference layouts have no problem', () => {
  it.each(['poc', '2k', '3k', '5k', '10k', '25k', '50k'] as const)('%s', (size) => {
    expect(validateTopology(topologyInput(size))).toEqual([]);
  });
});

describe.each(['10k', '25k', '50k'] as const)('validateTopology: the two Redis clusters of %s', (size) => {
  const quorum = (role: string, n: number) => `nodes: ${size} needs an odd number (at least 3: 1 primary, 2 replicas, a Sentinel on each) of "${role}" nodes, found ${n}`;

  it('holds the cache cluster to its own odd Sentinel quorum, independent of the persistent one', () => {
    expect(problems(size, (t) => drop(t, 'redis-cache-3'))).toEqual([quorum('redis-cache', 2)]);
    expect(problems(size, (t) => drop(t, 'redis-cache-1', 'redis-cache-2', 'redis-cache-3'))).toEqual([quorum('redis-cache', 0)]);
    expect(problems(size, (t) => drop(t, 'redis-3'))).toEqual([quorum('redis', 2)]);
    expect(problems(size, (t) => ['redis-cache-4', 'redis-cache-5'].forEach((n, i) => add(t, 'redis-cache', n, `10.20.3.5${i}`)))).toEqual([]);
  });

  it('replaces the cache nodes by a second ElastiCache group, and refuses both at once', () => {
    const managed = { redis: ELASTICACHE, redisCache: ELASTICACHE_CACHE };
    expect(problems(size, () => undefined, managed)).toEqual([]);
    expect(problems(size, (t) => add(t, 'redis-cache', 'redis-cache-1', '10.20.0.50'), managed)).toEqual(['nodes: "redis-cache" nodes are replaced by managed.redisCache; remove them or drop managed.redisCache']);
    expect(problems(size, (t) => (t.managed = { redis: ELASTICACHE, redisCache: { host: 'no host' } }), managed)).toEqual(['managed.redisCache.host: "no host" must be the primary endpoint\'s DNS name']);
  });

  it('checks the cache memory limit', () => {
    expect(problems(size, (t) => (t.redisCacheMaxMemoryMb = 256))).toEqual([]);
    expect(problems(size, (t) => (t.redisCacheMaxMemoryMb = 255))).toEqual(["redisCacheMaxMemoryMb: 255 must be a whole number of MB, at least 256 (GitLab's 10K page uses 13500 on 16 GB nodes)"]);
  });
});

describe.each(['poc', '2k', '3k', '5k'] as const)('validateTopology: %s has no separate Redis cache', (size) => {
  it('refuses redis-cache nodes and a managed cache endpoint', () => {
    expect(problems(size, (t) => add(t, 'redis-cache', 'redis-cache-1', '10.20.0.50'))).toEqual([`nodes: "redis-cache" nodes belong to the sizes with a separate Redis cache cluster (10k and up); ${size} keeps its cache in "redis"`]);
    expect(problems(size, (t) => (t.managed = { ...t.managed, redisCache: ELASTICACHE_CACHE }))).toEqual([`managed.redisCache: only 10k and up have a separate Redis cache cluster; remove it for ${size}`]);
  });
});

describe('validateTopology: top-level fields', () => {
  invalid.push(
    ['size not offered', (t) => ((t as { size: string }).size = '7k'), ['size: "7k" is not one of 1k, poc, 2k, 3k, 5k, 10k, 25k, 50k']],
    ['externalUrl with a trailing slash', (t) => (t.externalUrl = 'https://gitlab.example.com/'), ['externalUrl: "https://gitlab.example.com/" must be an https:// URL without a trailing slash']],
    ['region without its number', (t) => (t.region = 'eu-west'), ['region: "eu-west" is not an AWS region name such as "eu-west-1"']],
    ['region in capitals', (t) => (t.region = 'EU-WEST-1'), ['region: "EU-WEST-1" is not an AWS region name such as "eu-west-1"']],
    ['region with text before it', (t) => (t.region = 'xeu-west-1'), ['region: "xeu-west-1" is not an AWS region name such as "eu-west-1"']],
    ['region with text after it', (t) => (t.region = 'eu-west-1a'), ['region: "eu-west-1a" is not an AWS region name such as "eu-west-1"']],
    ['region missing', (t) => delete (t as Partial<GitLabTopologyInput>).region, ['region: "undefined" is not an AWS region name such as "eu-west-1"']],
    ['vpcCidr without a prefix length', (t) => (t.vpcCidr = '10.20.0.0'), ['vpcCidr: "10.20.0.0" is not an IPv4 CIDR such as "10.0.0.0/16"']],
    ['vpcCidr with a prefix length above 32', (t) => (t.vpcCidr = '10.20.0.0/33'), ['vpcCidr: "10.20.0.0/33" is not an IPv4 CIDR such as "10.0.0.0/16"']],
    ['vpcCidr with three digits of prefix length', (t) => (t.vpcCidr = '10.20.0.0/016'), ['vpcCidr: "10.20.0.0/016" is not an IPv4 CIDR such as "10.0.0.0/16"']],
    ['vpcCidr with a non-numeric prefix length', (t) => (t.vpcCidr = '10.20.0.0/1x'), ['vpcCidr: "10.20.0.0/1x" is not an IPv4 CIDR such as "10.0.0.0/16"']],
    ['vpcCidr with an octet above 255', (t) => (t.vpcCidr = '10.256.0.0/16'), ['vpcCidr: "10.256.0.0/16" is not an IPv4 CIDR such as "10.0.0.0/16"']],
    ['vpcCidr with three octets', (t) => (t.vpcCidr = '10.20.0/16'), ['vpcCidr: "10.20.0/16" is not an IPv4 CIDR such as "10.0.0.0/16"']],
    ['vpcCidr with an empty prefix length', (t) => (t.vpcCidr = '10.20.0.0/'), ['vpcCidr: "10.20.0.0/" is not an IPv4 CIDR such as "10.0.0.0/16"']],
    ['vpcCidr missing', (t) => delete (t as Partial<GitLabTopologyInput>).vpcCidr, ['vpcCidr: "undefined" is not an IPv4 CIDR such as "10.0.0.0/16"']],
    ['edition not offered', (t) => ((t as { edition: string }).edition = 'oss'), ['edition: "oss" must be "ee" or "ce"']],
    ['version without its patch number', (t) => (t.version = '19.3'), ['version: "19.3" must be a pinned GitLab version such as "19.3.0"']],
    ['version with a "v"', (t) => (t.version = 'v19.3.0'), ['version: "v19.3.0" must be a pinned GitLab version such as "19.3.0"']],
    ['version with an edition suffix', (t) => (t.version = '19.3.0-ee'), ['version: "19.3.0-ee" must be a pinned GitLab version such as "19.3.0"']],
    ['version missing', (t) => delete (t as Partial<GitLabTopologyInput>).version, ['version: "undefined" must be a pinned GitLab version such as "19.3.0"']],
    ['dependencyTimeoutSeconds below 60', (t) => (t.dependencyTimeoutSeconds = 59), ['dependencyTimeoutSeconds: 59 must be a whole number of seconds between 60 and 7200']],
    ['dependencyTimeoutSeconds above 7200', (t) => (t.dependencyTimeoutSeconds = 7201), ['dependencyTimeoutSeconds: 7201 must be a whole number of seconds between 60 and 7200']],
    ['dependencyTimeoutSeconds not whole', (t) => (t.dependencyTimeoutSeconds = 90.5), ['dependencyTimeoutSeconds: 90.5 must be a whole number of seconds between 60 and 7200']],
    ['backups.cron with 4 fields', (t) => (t.backups = { cron: '0 3 * *', keepDays: 7 }), ['backups.cron: "0 3 * *" must be a crontab schedule of 5 fields such as "0 3 * * *"']],
    ['backups.cron with 6 fields', (t) => (t.backups = { cron: '0 0 3 * * *', keepDays: 7 }), ['backups.cron: "0 0 3 * * *" must be a crontab schedule of 5 fields such as "0 3 * * *"']],
    ['backups.cron with a leading space', (t) => (t.backups = { cron: ' 0 3 * * *', keepDays: 7 }), ['backups.cron: " 0 3 * * *" must be a crontab schedule of 5 fields such as "0 3 * * *"']],
    ['backups.cron missing', (t) => (t.backups = { keepDays: 7 } as GitLabTopologyInput['backups']), ['backups.cron: "undefined" must be a crontab schedule of 5 fields such as "0 3 * * *"']],
    ['backups.keepDays 0', (t) => (t.backups = { cron: '0 3 * * *', keepDays: 0 }), ['backups.keepDays: 0 must be a whole number of days, at least 1']],
    ['backups.keepDays not whole', (t) => (t.backups = { cron: '0 3 * * *', keepDays: 1.5 }), ['backups.keepDays: 1.5 must be a whole number of days, at least 1']],
  );
  valid.push(
    ['a GovCloud region', (t) => (t.region = 'us-gov-west-1')],
    ['a /0 VPC (every address inside)', (t) => (t.vpcCidr = '0.0.0.0/0')],
    ['a /25 VPC holding every poc node (10.20.0.0-127)', (t) => (t.vpcCidr = '10.20.0.0/25')],
    ['a VPC and nodes above 128.0.0.0', (t) => {
      t.vpcCidr = '192.168.0.0/16';
      t.nodes.forEach((n, i) => (n.privateIp = `192.168.${i}.255`));
    }],
    ['a one-digit prefix length', (t) => (t.vpcCidr = '10.0.0.0/8')],
    ['edition "ce"', (t) => (t.edition = 'ce')],
    ['a version with several digits in each part', (t) => (t.version = '18.11.10')],
    ['dependencyTimeoutSeconds 60', (t) => (t.dependencyTimeoutSeconds = 60)],
    ['dependencyTimeoutSeconds 7200', (t) => (t.dependencyTimeoutSeconds = 7200)],
    ['backups kept 1 day', (t) => (t.backups = { cron: '30 2 * * 0', keepDays: 1 })],
    ['a backup schedule with double spaces and a range in its last field', (t) => (t.backups = { cron: '30  2 * * 1-5', keepDays: 7 })],
  );
});

describe('validateTopology: nodes', () => {
  invalid.push(
    ['a role GitLab does not have', (t) => ((node(t, 'monitoring-1') as { role: string }).role = 'web'), ['nodes[4] (monitoring-1).role: "web" is not one of all-in-one, rails, sidekiq, gitaly, praefect, praefect-postgres, postgres, pgbouncer, consul, redis, redis-cache, monitoring', 'nodes[4] (monitoring-1).dataVolumeId: web nodes keep no data on a volume; remove it']],
    ['a name in capitals', (t) => (node(t, 'rails-1').name = 'Rails-1'), ['nodes[0] (Rails-1).name: must be lowercase letters, digits and "-", starting with a letter (at most 63)']],
    ['a name starting with a digit', (t) => (node(t, 'rails-1').name = '1rails'), ['nodes[0] (1rails).name: must be lowercase letters, digits and "-", starting with a letter (at most 63)']],
    ['a name of 64 characters', (t) => (node(t, 'rails-1').name = `r${'a'.repeat(63)}`), [`nodes[0] (r${'a'.repeat(63)}).name: must be lowercase letters, digits and "-", starting with a letter (at most 63)`]],
    ['a name ending in "."', (t) => (node(t, 'rails-1').name = 'rails-1.'), ['nodes[0] (rails-1.).name: must be lowercase letters, digits and "-", starting with a letter (at most 63)']],
    ['no name', (t) => delete (node(t, 'rails-1') as Partial<TopologyNode>).name, ['nodes[0] (?).name: must be lowercase letters, digits and "-", starting with a letter (at most 63)']],
    ['an address with an octet above 255', (t) => (node(t, 'rails-1').privateIp = '10.20.0.256'), ['nodes[0] (rails-1).privateIp: "10.20.0.256" is not an IPv4 address']],
    ['an address with five parts', (t) => (node(t, 'rails-1').privateIp = '10.20.0.1.5'), ['nodes[0] (rails-1).privateIp: "10.20.0.1.5" is not an IPv4 address']],
    ['an address with text before it', (t) => (node(t, 'rails-1').privateIp = 'x10.20.0.1'), ['nodes[0] (rails-1).privateIp: "x10.20.0.1" is not an IPv4 address']],
    ['an address of four-digit octets', (t) => (node(t, 'rails-1').privateIp = '10.20.0.1000'), ['nodes[0] (rails-1).privateIp: "10.20.0.1000" is not an IPv4 address']],
    ['no address', (t) => delete (node(t, 'rails-1') as Partial<TopologyNode>).privateIp, ['nodes[0] (rails-1).privateIp: "undefined" is not an IPv4 address']],
    ...['.20.0.1', '10..0.1', '10.20..1', '10.20.0.'].map((ip): [string, Change, string[]] => [
      `an address with an empty octet (${ip})`,
      (t) => (node(t, 'rails-1').privateIp = ip),
      [`nodes[0] (rails-1).privateIp: "${ip}" is not an IPv4 address`],
    ]),
    ['an address another node has', (t) => (node(t, 'monitoring-1').privateIp = node(t, 'rails-1').privateIp), ['nodes[4] (monitoring-1).privateIp: 10.20.0.100 is assigned to another node']],
    ['an address just outside a /25', (t) => {
      t.vpcCidr = '10.20.0.0/25';
      node(t, 'rails-1').privateIp = '10.20.0.128';
    }, ['nodes[0] (rails-1).privateIp: 10.20.0.128 is outside vpcCidr 10.20.0.0/25']],
    ['an address in the upper half of a /1', (t) => {
      t.vpcCidr = '0.0.0.0/1';
      node(t, 'rails-1').privateIp = '128.0.0.1';
    }, ['nodes[0] (rails-1).privateIp: 128.0.0.1 is outside vpcCidr 0.0.0.0/1']],
    ['addresses outside a /32 VPC that holds Rails alone', (t) => (t.vpcCidr = '10.20.0.100/32'), [
      'nodes[1] (gitaly-1).privateIp: 10.20.0.90 is outside vpcCidr 10.20.0.100/32',
      'nodes[2] (postgres-1).privateIp: 10.20.0.20 is outside vpcCidr 10.20.0.100/32',
      'nodes[3] (redis-1).privateIp: 10.20.0.60 is outside vpcCidr 10.20.0.100/32',
      'nodes[4] (monitoring-1).privateIp: 10.20.0.80 is outside vpcCidr 10.20.0.100/32',
    ]],
    ['no availability zone', (t) => (node(t, 'rails-1').availabilityZone = ''), ['nodes[0] (rails-1).availabilityZone: required']],
    ['a data volume ID in capitals', (t) => (node(t, 'gitaly-1').dataVolumeId = 'vol-0123456789ABCDEF0'), ['nodes[1] (gitaly-1).dataVolumeId: "vol-0123456789ABCDEF0" is not an EBS volume ID such as "vol-0123456789abcdef0"']],
  );
  valid.push(
    ['addresses ending in .255', (t) => (node(t, 'rails-1').privateIp = '10.20.0.255')],
    ['an address with octets of three, two and one digits', (t) => (node(t, 'rails-1').privateIp = '10.20.123.4')],
    ['a name of 63 characters', (t) => (node(t, 'rails-1').name = `r${'a'.repeat(62)}`)],
    ['a name of one letter', (t) => (node(t, 'rails-1').name = 'r')],
  );
  it('reports a name and an address used twice once each, against the node that repeats them', () => {
    expect(problems('poc', (t) => add(t, 'monitoring', 'rails-1', '10.20.0.100'))).toEqual([
      'nodes[5] (rails-1).name: "rails-1" is used by another node; names must be unique',
      'nodes[5] (rails-1).privateIp: 10.20.0.100 is assigned to another node',
      'nodes: poc needs at most 1 "monitoring" nodes, found 2',
    ]);
  });
});

describe('validateTopology: buckets and secrets', () => {
  invalid.push(
    ['a bucket name in capitals', (t) => (t.buckets = { ...t.buckets, lfs: 'Acme-lfs' }), ['buckets.lfs: "Acme-lfs" is not a valid S3 bucket name']],
    ['a bucket name of 2 characters', (t) => (t.buckets = { ...t.buckets, lfs: 'ab' }), ['buckets.lfs: "ab" is not a valid S3 bucket name']],
    ['a bucket name of 64 characters', (t) => (t.buckets = { ...t.buckets, lfs: 'a'.repeat(64) }), [`buckets.lfs: "${'a'.repeat(64)}" is not a valid S3 bucket name`]],
    ['a bucket name ending in "-"', (t) => (t.buckets = { ...t.buckets, lfs: 'acme-lfs-' }), ['buckets.lfs: "acme-lfs-" is not a valid S3 bucket name']],
    ['a bucket name starting with "."', (t) => (t.buckets = { ...t.buckets, lfs: '.acme-lfs' }), ['buckets.lfs: ".acme-lfs" is not a valid S3 bucket name']],
    ['no buckets at all', (t) => delete (t as Partial<GitLabTopologyInput>).buckets, BUCKET_TYPES.map((b) => `buckets.${b}: required (one bucket per data type)`)],
    ['secrets under /aws', (t) => (t.secrets = { prefix: '/aws/gitlab' }), ['secrets.prefix: "/aws/gitlab" starts with a prefix AWS reserves (/aws, /ssm)']],
    ['secrets at /ssm', (t) => (t.secrets = { prefix: '/ssm' }), ['secrets.prefix: "/ssm" starts with a prefix AWS reserves (/aws, /ssm)']],
    ['secrets under /AWS', (t) => (t.secrets = { prefix: '/AWS/gitlab' }), ['secrets.prefix: "/AWS/gitlab" starts with a prefix AWS reserves (/aws, /ssm)']],
    ['secrets with a trailing slash', (t) => (t.secrets = { prefix: '/gitlab/prod/' }), ['secrets.prefix: "/gitlab/prod/" must be an SSM path such as "/gitlab/prod" (no trailing slash)']],
    ['secrets without a leading slash', (t) => (t.secrets = { prefix: 'gitlab/prod' }), ['secrets.prefix: "gitlab/prod" must be an SSM path such as "/gitlab/prod" (no trailing slash)']],
    ['secrets with a space', (t) => (t.secrets = { prefix: '/gitlab/my prod' }), ['secrets.prefix: "/gitlab/my prod" must be an SSM path such as "/gitlab/prod" (no trailing slash)']],
    ['no secrets section', (t) => delete (t as Partial<GitLabTopologyInput>).secrets, ['secrets.prefix: "" must be an SSM path such as "/gitlab/prod" (no trailing slash)']],
  );
  valid.push(
    ['a bucket name of 3 and of 63 characters', (t) => (t.buckets = { ...t.buckets, lfs: 'a1b', uploads: 'p'.repeat(63) })],
    ['a bucket name with dots', (t) => (t.buckets = { ...t.buckets, lfs: 'acme.gitlab.lfs' })],
    ['secrets under a path that only starts with "aws"', (t) => (t.secrets = { prefix: '/awsome/gitlab' })],
    ['secrets under a path named after ssm further down', (t) => (t.secrets = { prefix: '/gitlab/ssm' })],
    ['a one-level secrets path', (t) => (t.secrets = { prefix: '/gitlab' })],
  );
});

describe('validateTopology: managed endpoints', () => {
  it.each([
    ['postgres', 'poc', { postgres: RDS }],
    ['praefectPostgres', '3k', { praefectPostgres: PRAEFECT_RDS }],
  ] as const)('managed.%s: host, port and master secret', (field, size, managed) => {
    const pg = (p: object) => problems(size, (t) => (t.managed = { ...t.managed, [field]: { ...(t.managed![field] as object), ...p } }), managed);
    expect(pg({ host: 'db example.com' })).toEqual([`managed.${field}.host: "db example.com" must be the endpoint's DNS name`]);
    expect(pg({ host: '' })).toEqual([`managed.${field}.host: "" must be the endpoint's DNS name`]);
    expect(pg({ host: undefined })).toEqual([`managed.${field}.host: "undefined" must be the endpoint's DNS name`]);
    expect(pg({ host: '${aws_db_instance.gitlab.address}' })).toEqual([]);
    for (const port of [0, 65536, 5432.5]) expect(pg({ port })).toEqual([`managed.${field}.port: ${port} is not a TCP port`]);
    for (const port of [1, 5432, 65535]) expect(pg({ port })).toEqual([]);
    expect(pg({ masterSecretArn: undefined })).toEqual([`managed.${field}.masterSecretArn: required (the RDS-managed master user secret, used once to create GitLab's own login)`]);
  });

  it('managed.redis: host and port', () => {
    const redis = (p: object) => problems('poc', (t) => (t.managed = { ...t.managed, redis: { ...t.managed!.redis!, ...p } }), { redis: ELASTICACHE });
    expect(redis({ host: 'cache example.com' })).toEqual(['managed.redis.host: "cache example.com" must be the primary endpoint\'s DNS name']);
    expect(redis({ host: undefined })).toEqual(['managed.redis.host: "undefined" must be the primary endpoint\'s DNS name']);
    for (const port of [0, 65536, 6379.5]) expect(redis({ port })).toEqual([`managed.redis.port: ${port} is not a TCP port`]);
    for (const port of [1, 6379, 65535]) expect(redis({ port })).toEqual([]);
  });
});

describe('validateTopology: the roles each size needs', () => {
  invalid.push(
    ['poc with a second monitoring node', (t) => add(t, 'monitoring', 'monitoring-2', '10.20.0.81'), ['nodes: poc needs at most 1 "monitoring" nodes, found 2']],
    ['poc without Rails', (t) => drop(t, 'rails-1'), ['nodes: poc needs at least 1 "rails" nodes, found 0']],
    ['poc with a second Gitaly', (t) => add(t, 'gitaly', 'gitaly-2', '10.20.0.91'), ['nodes: poc needs exactly 1 "gitaly" node, found 2']],
    ['poc without Gitaly', (t) => drop(t, 'gitaly-1'), ['nodes: poc needs exactly 1 "gitaly" node, found 0']],
    ['poc with a second PostgreSQL', (t) => add(t, 'postgres', 'postgres-2', '10.20.0.21'), ['nodes: poc needs exactly 1 "postgres" node, found 2']],
    ['poc without Redis', (t) => drop(t, 'redis-1'), ['nodes: poc needs exactly 1 "redis" node, found 0']],
    ['poc with a Praefect', (t) => add(t, 'praefect', 'praefect-1', '10.20.0.130'), ['nodes: "praefect" nodes belong to the HA architecture (3k and up); poc has none']],
    ['poc with a Praefect database', (t) => add(t, 'praefect-postgres', 'praefect-postgres-1', '10.20.0.140'), ['nodes: "praefect-postgres" nodes belong to the HA architecture (3k and up); poc has none']],
    ['poc with a PgBouncer', (t) => add(t, 'pgbouncer', 'pgbouncer-1', '10.20.0.30'), ['nodes: "pgbouncer" nodes belong to the HA architecture (3k and up); poc has none']],
    ['2k without Sidekiq', (t) => drop(t, 'sidekiq-1'), ['nodes: 2k needs at least 1 "sidekiq" nodes, found 0']],
    ['3k with one Rails', (t) => drop(t, 'rails-2', 'rails-3'), ['nodes: 3k needs at least 2 "rails" nodes, found 1']],
    ['3k with two Gitaly', (t) => drop(t, 'gitaly-3'), ['nodes: 3k needs at least 3 "gitaly" nodes, found 2']],
    ['3k with one Praefect', (t) => drop(t, 'praefect-2', 'praefect-3'), ['nodes: 3k needs an odd number (at least 3) of "praefect" nodes, found 1']],
    ['3k with two Praefect databases', (t) => add(t, 'praefect-postgres', 'praefect-postgres-2', '10.20.1.140'), ['nodes: 3k needs exactly 1 "praefect-postgres" node, found 2']],
    ['3k with two PostgreSQL', (t) => drop(t, 'postgres-3'), ['nodes: 3k needs at least 3 (Patroni) "postgres" nodes, found 2']],
    ['3k with one PgBouncer', (t) => drop(t, 'pgbouncer-2', 'pgbouncer-3'), ['nodes: 3k needs at least 2 "pgbouncer" nodes, found 1']],
    ['3k with one Consul', (t) => drop(t, 'consul-2', 'consul-3'), ['nodes: 3k needs an odd number (at least 3, for Patroni) of "consul" nodes, found 1']],
    ['3k with one Redis', (t) => drop(t, 'redis-2', 'redis-3'), ['nodes: 3k needs an odd number (at least 3: 1 primary, 2 replicas, a Sentinel on each) of "redis" nodes, found 1']],
    ['3k with an internal load balancer name that is no DNS name', (t) => (t.internalLoadBalancerDns = 'internal lb'), ['internalLoadBalancerDns: 3k needs the internal load balancer DNS name (Praefect 3305, PgBouncer 6432)']],
  );
  valid.push(
    ['poc without monitoring', (t) => drop(t, 'monitoring-1')],
    ['3k with two Rails and two PgBouncer', (t) => drop(t, 'rails-3', 'pgbouncer-3')],
    ['3k with five Praefect, Consul and Redis, four PostgreSQL and Gitaly', (t) => {
      for (const i of [4, 5]) {
        add(t, 'praefect', `praefect-${i}`, `10.20.3.13${i}`);
        add(t, 'consul', `consul-${i}`, `10.20.3.1${i}`);
        add(t, 'redis', `redis-${i}`, `10.20.3.6${i}`);
      }
      add(t, 'postgres', 'postgres-4', '10.20.3.24');
      add(t, 'gitaly', 'gitaly-4', '10.20.3.94');
    }],
  );

  it('3k with managed PostgreSQL, Redis and Praefect database: no self-managed node of theirs, and no Consul', () => {
    const managed = { postgres: RDS, redis: ELASTICACHE, praefectPostgres: PRAEFECT_RDS };
    expect(problems('3k', () => undefined, managed)).toEqual([]);
    expect(problems('3k', (t) => add(t, 'pgbouncer', 'pgbouncer-1', '10.20.0.30'), managed)).toEqual(['nodes: "pgbouncer" nodes are replaced by managed.postgres; remove them or drop managed.postgres']);
    expect(problems('3k', (t) => add(t, 'redis', 'redis-1', '10.20.0.60'), managed)).toEqual(['nodes: "redis" nodes are replaced by managed.redis; remove them or drop managed.redis']);
    expect(problems('3k', (t) => add(t, 'praefect-postgres', 'praefect-postgres-1', '10.20.0.140'), managed)).toEqual([
      'nodes: "praefect-postgres" nodes are replaced by managed.praefectPostgres; remove them or drop managed.praefectPostgres',
    ]);
  });

  it('3k with managed PostgreSQL only: Redis stays self-managed and needs its odd count', () => {
    expect(problems('3k', (t) => drop(t, 'redis-3'), { postgres: RDS })).toEqual(['nodes: 3k needs an odd number (at least 3: 1 primary, 2 replicas, a Sentinel on each) of "redis" nodes, found 2']);
  });

  it('3k with managed Redis only: PostgreSQL, PgBouncer and Consul stay self-managed', () => {
    expect(problems('3k', () => undefined, { redis: ELASTICACHE })).toEqual([]);
    expect(problems('3k', (t) => drop(t, 'consul-3'), { redis: ELASTICACHE })).toEqual(['nodes: 3k needs an odd number (at least 3, for Patroni) of "consul" nodes, found 2']);
  });

  it('2k and poc with managed Redis need no Redis node, with managed PostgreSQL no PostgreSQL node', () => {
    expect(problems('2k', () => undefined, { redis: ELASTICACHE })).toEqual([]);
    expect(problems('poc', () => undefined, { postgres: RDS })).toEqual([]);
    expect(problems('poc', (t) => add(t, 'redis', 'redis-2', '10.20.0.61'), { redis: ELASTICACHE })).toEqual([
      'nodes: "redis" nodes are replaced by managed.redis; remove them or drop managed.redis',
    ]);
  });
});

describe('validateTopology: application tier, data volumes, shared buckets, and what each size may not have', () => {
  const onKubernetes = (t: GitLabTopologyInput) => {
    t.applicationTier = 'kubernetes';
    drop(t, ...t.nodes.filter((n) => ['rails', 'sidekiq', 'monitoring'].includes(n.role)).map((n) => n.name));
  };
  invalid.push(
    ['applicationTier not offered', (t) => ((t as { applicationTier: string }).applicationTier = 'helm'), ['applicationTier: "helm" must be "linux-package" or "kubernetes"']],
    ['2k on Kubernetes with Rails, Sidekiq and monitoring nodes', (t) => (t.applicationTier = 'kubernetes'), [
      'nodes: "rails" nodes run on Kubernetes when applicationTier is "kubernetes"; remove them or use applicationTier "linux-package"',
      'nodes: "sidekiq" nodes run on Kubernetes when applicationTier is "kubernetes"; remove them or use applicationTier "linux-package"',
      'nodes: "monitoring" nodes run on Kubernetes when applicationTier is "kubernetes"; remove them or use applicationTier "linux-package"',
    ]],
    ['2k on Kubernetes with a monitoring node', (t) => {
      onKubernetes(t);
      add(t, 'monitoring', 'monitoring-1', '10.20.0.80');
    }, ['nodes: "monitoring" nodes run on Kubernetes when applicationTier is "kubernetes"; remove them or use applicationTier "linux-package"']],
    ['a data volume on a Rails node', (t) => (node(t, 'rails-1').dataVolumeId = 'vol-0123456789abcdef0'), ['nodes[0] (rails-1).dataVolumeId: rails nodes keep no data on a volume; remove it']],
    ['a data volume ID that is no volume', (t) => (node(t, 'gitaly-1').dataVolumeId = 'snap-0123456789abcdef0'), ['nodes[1] (gitaly-1).dataVolumeId: "snap-0123456789abcdef0" is not an EBS volume ID such as "vol-0123456789abcdef0"']],
    ['one bucket for two data types', (t) => (t.buckets = { ...t.buckets, lfs: 'acme-shared', uploads: 'acme-shared' }), ['buckets.uploads: "acme-shared" is used for another data type; use one bucket per type']],
    ['poc with a Consul node', (t) => add(t, 'consul', 'consul-1', '10.20.0.10'), ['nodes: "consul" nodes belong to the HA architecture (3k and up); poc has none']],
    ['poc with a managed Praefect database', (t) => (t.managed = { praefectPostgres: PRAEFECT_RDS }), ['managed.praefectPostgres: only the HA sizes (3k and up) run Praefect (Gitaly Cluster); remove it for poc']],
    ['2k without an internal load balancer for its two Rails nodes', (t) => delete t.internalLoadBalancerDns, [
      'internalLoadBalancerDns: 2k with 2 Rails nodes needs the internal load balancer DNS name (the Rails internal API on 80), so Gitaly does not depend on one Rails node',
    ]],
    ['2k with an internal load balancer name that is no DNS name', (t) => (t.internalLoadBalancerDns = 'internal lb'), [
      'internalLoadBalancerDns: 2k with 2 Rails nodes needs the internal load balancer DNS name (the Rails internal API on 80), so Gitaly does not depend on one Rails node',
    ]],
    ['3k without an internal load balancer', (t) => delete t.internalLoadBalancerDns, ['internalLoadBalancerDns: 3k needs the internal load balancer DNS name (Praefect 3305, PgBouncer 6432)']],
    ['3k with a single-node Praefect database it does not allow', (t) => delete t.allowSingleNodePraefectDatabase, [
      'managed.praefectPostgres: 3k needs a highly available database for Praefect (RDS Multi-AZ); one "praefect-postgres" node is a single point of failure: set managed.praefectPostgres, or allowSingleNodePraefectDatabase for a test environment',
    ]],
  );
  valid.push(
    ['2k on Kubernetes with its stateful nodes alone', onKubernetes],
    ['applicationTier "linux-package"', (t) => (t.applicationTier = 'linux-package')],
    ['a data volume given as a Terraform reference', (t) => (node(t, 'gitaly-1').dataVolumeId = '${aws_ebs_volume.gitaly.id}')],
    ['2k with one Rails node and no internal load balancer', (t) => {
      drop(t, 'rails-2');
      delete t.internalLoadBalancerDns;
    }],
  );

  it('a topology without nodes reports the roles its size needs, and nothing about node fields', () => {
    expect(problems('poc', (t) => delete (t as Partial<GitLabTopologyInput>).nodes)).toEqual([
      'nodes: poc needs at least 1 "rails" nodes, found 0',
      'nodes: poc needs exactly 1 "gitaly" node, found 0',
      'nodes: poc needs exactly 1 "postgres" node, found 0',
      'nodes: poc needs exactly 1 "redis" node, found 0',
    ]);
  });

  it('poc with managed PostgreSQL refuses a PostgreSQL node', () => {
    expect(problems('poc', (t) => add(t, 'postgres', 'postgres-1', '10.20.0.20'), { postgres: RDS })).toEqual(['nodes: "postgres" nodes are replaced by managed.postgres; remove them or drop managed.postgres']);
  });

  it('3k with managed PostgreSQL refuses Consul nodes (Patroni is gone; Sentinel runs on the Redis nodes)', () => {
    expect(problems('3k', (t) => add(t, 'consul', 'consul-1', '10.20.0.10'), { postgres: RDS })).toEqual([
      'nodes: "consul" nodes have nothing to do when PostgreSQL is managed (Sentinel runs on the Redis nodes); remove them',
    ]);
  });
});

describe('validateTopology: each invalid change reports exactly its problem', () => {
  it.each(invalid)('%s', (_, change, expected) => {
    const size = /^(2k|3k)\b/.exec(_)?.[1] ?? 'poc';
    expect(problems(size as 'poc' | '2k' | '3k', change)).toEqual(expected);
  });
});

describe('validateTopology: each valid change at a boundary reports nothing', () => {
  it.each(valid)('%s', (_, change) => {
    const size = /^(2k|3k)\b/.exec(_)?.[1] ?? 'poc';
    expect(problems(size as 'poc' | '2k' | '3k', change)).toEqual([]);
  });
});
