import { ELASTICACHE, nodesFor, PRAEFECT_RDS, RDS, topologyInput } from './__fixtures__/topologies';
import type { GitLabTopologyInput } from './topology';
import { BUCKET_TYPES, defineTopology, TopologyError } from './topology';

const problemsOf = (input: GitLabTopologyInput): string[] => {
  try {
    defineTopology(input);
    return [];
  } catch (e) {
    if (e instanceof TopologyError) return e.problems;
    throw e;
  }
};

describe('defineTopology', () => {
  it('accepts the reference layouts and applies defaults', () => {
    const t = defineTopology(topologyInput('3k'));
    expect(t.edition).toBe('ee');
    expect(t.dependencyTimeoutSeconds).toBe(1800);
    expect(t.managed).toEqual({});
    expect(problemsOf(topologyInput('poc'))).toEqual([]);
    expect(problemsOf(topologyInput('2k', { postgres: RDS, redis: ELASTICACHE }))).toEqual([]);
  });

  it('requires odd counts of at least 3 for Consul and Praefect in 3k', () => {
    const input = topologyInput('3k');
    input.nodes = input.nodes.filter((n) => n.name !== 'consul-3' && n.name !== 'praefect-3');
    expect(problemsOf(input)).toEqual([
      'nodes: 3k needs an odd number (at least 3) of "praefect" nodes, found 2',
      'nodes: 3k needs an odd number (at least 3, for Patroni) of "consul" nodes, found 2',
    ]);
    const four = topologyInput('3k');
    four.nodes.push({ role: 'praefect', name: 'praefect-4', privateIp: '10.20.0.131', availabilityZone: 'eu-west-1a' });
    expect(problemsOf(four)).toEqual(['nodes: 3k needs an odd number (at least 3) of "praefect" nodes, found 4']);
  });

  it('holds 5k to the HA rules of 3k: quorums, 3 Gitaly, an HA Praefect database', () => {
    expect(problemsOf(topologyInput('5k'))).toEqual([]);
    const input = topologyInput('5k');
    input.nodes = input.nodes.filter((n) => !['consul-3', 'praefect-3', 'redis-3', 'gitaly-3'].includes(n.name));
    delete input.allowSingleNodePraefectDatabase;
    expect(problemsOf(input)).toEqual([
      'nodes: 5k needs at least 3 "gitaly" nodes, found 2',
      'nodes: 5k needs an odd number (at least 3) of "praefect" nodes, found 2',
      expect.stringContaining('managed.praefectPostgres: 5k needs a highly available database for Praefect'),
      'nodes: 5k needs an odd number (at least 3, for Patroni) of "consul" nodes, found 2',
      expect.stringContaining('nodes: 5k needs an odd number (at least 3: 1 primary, 2 replicas, a Sentinel on each) of "redis" nodes, found 2'),
    ]);
  });

  it('3k: refuses a single-node Praefect database unless explicitly allowed', () => {
    const input = topologyInput('3k');
    delete input.allowSingleNodePraefectDatabase;
    expect(problemsOf(input)).toEqual([
      'managed.praefectPostgres: 3k needs a highly available database for Praefect (RDS Multi-AZ); one "praefect-postgres" node is a single point of failure: set managed.praefectPostgres, or allowSingleNodePraefectDatabase for a test environment',
    ]);
    expect(problemsOf({ ...input, allowSingleNodePraefectDatabase: true })).toEqual([]);
    expect(problemsOf(topologyInput('3k', { praefectPostgres: PRAEFECT_RDS }))).toEqual([]);
  });

  it('requires the roles each size needs', () => {
    const input = topologyInput('3k');
    input.nodes = input.nodes.filter((n) => !['praefect-postgres', 'gitaly'].includes(n.role) || n.name === 'gitaly-1');
    delete input.internalLoadBalancerDns;
    expect(problemsOf(input)).toEqual([
      'nodes: 3k needs at least 3 "gitaly" nodes, found 1',
      'nodes: 3k needs exactly 1 "praefect-postgres" node, found 0',
      'internalLoadBalancerDns: 3k needs the internal load balancer DNS name (Praefect 3305, PgBouncer 6432)',
    ]);
    const twoK = topologyInput('2k');
    twoK.nodes = twoK.nodes.filter((n) => n.role !== 'sidekiq');
    expect(problemsOf(twoK)).toEqual(['nodes: 2k needs at least 1 "sidekiq" nodes, found 0']);
    // Several Rails nodes: Gitaly must reach the internal API through a load balancer.
    const noIlb = topologyInput('2k');
    delete noIlb.internalLoadBalancerDns;
    expect(problemsOf(noIlb)).toEqual([
      'internalLoadBalancerDns: 2k with 2 Rails nodes needs the internal load balancer DNS name (the Rails internal API on 80), so Gitaly does not depend on one Rails node',
    ]);
    expect(problemsOf(topologyInput('poc'))).toEqual([]);
  });

  it('rejects 3k-only roles in smaller sizes', () => {
    const input = topologyInput('2k');
    input.nodes.push({ role: 'consul', name: 'consul-1', privateIp: '10.20.0.10', availabilityZone: 'eu-west-1a' });
    expect(problemsOf(input)).toEqual(['nodes: "consul" nodes belong to the HA architecture (3k and up); 2k has none']);
  });

  it('keeps managed and self-managed consistent', () => {
    const both = topologyInput('2k', { postgres: RDS });
    both.nodes = nodesFor('2k');
    expect(problemsOf(both)).toEqual(['nodes: "postgres" nodes are replaced by managed.postgres; remove them or drop managed.postgres']);
    const idleConsul = topologyInput('3k', { postgres: RDS });
    idleConsul.nodes.push(...nodesFor('3k').filter((n) => n.role === 'consul'));
    expect(problemsOf(idleConsul)).toEqual(['nodes: "consul" nodes have nothing to do when PostgreSQL is managed (Sentinel runs on the Redis nodes); remove them']);
    const evenRedis = topologyInput('3k');
    evenRedis.nodes.push({ role: 'redis', name: 'redis-4', privateIp: '10.20.0.61', availabilityZone: 'eu-west-1a' });
    expect(problemsOf(evenRedis)).toEqual(['nodes: 3k needs an odd number (at least 3: 1 primary, 2 replicas, a Sentinel on each) of "redis" nodes, found 4']);
    expect(problemsOf({ ...topologyInput('2k'), managed: { praefectPostgres: RDS } })).toEqual(['managed.praefectPostgres: only the HA sizes (3k and up) run Praefect (Gitaly Cluster); remove it for 2k']);
    expect(problemsOf(topologyInput('2k', { postgres: { host: 'db.example.com', masterSecretArn: '' } }))).toEqual([
      "managed.postgres.masterSecretArn: required (the RDS-managed master user secret, used once to create GitLab's own login)",
    ]);
  });

  it('lists every field problem at once: addresses, names, version, buckets, secrets path', () => {
    const input = topologyInput('poc');
    input.nodes[1] = { ...input.nodes[1], name: input.nodes[0].name };
    input.nodes[2] = { ...input.nodes[2], privateIp: '192.168.1.5' };
    input.version = 'latest';
    input.buckets = { ...input.buckets, lfs: input.buckets.artifacts };
    delete (input.buckets as Partial<typeof input.buckets>).uploads;
    input.secrets = { prefix: 'gitlab/prod/' };
    input.externalUrl = 'http://gitlab.example.com';
    expect(problemsOf(input)).toEqual([
      'externalUrl: "http://gitlab.example.com" must be an https:// URL without a trailing slash',
      'version: "latest" must be a pinned GitLab version such as "19.3.0"',
      `nodes[1] (rails-1).name: "rails-1" is used by another node; names must be unique`,
      'nodes[2] (postgres-1).privateIp: 192.168.1.5 is outside vpcCidr 10.20.0.0/16',
      'buckets.lfs: "acme-prod-gitlab-artifacts" is used for another data type; use one bucket per type',
      'buckets.uploads: required (one bucket per data type)',
      'secrets.prefix: "gitlab/prod/" must be an SSM path such as "/gitlab/prod" (no trailing slash)',
    ]);
    expect(() => defineTopology(input)).toThrow(/invalid GitLab topology:\n {2}- externalUrl/);
  });

  it('checks data volumes: only for roles that keep data, and only EBS volume IDs or Terraform references', () => {
    const input = topologyInput('2k');
    const rails = input.nodes.find((n) => n.role === 'rails')!;
    rails.dataVolumeId = 'vol-0123456789abcdef0';
    const gitaly = input.nodes.find((n) => n.role === 'gitaly')!;
    gitaly.dataVolumeId = '/dev/nvme1n1';
    expect(problemsOf(input)).toEqual([
      `nodes[${input.nodes.indexOf(rails)}] (rails-1).dataVolumeId: rails nodes keep no data on a volume; remove it`,
      `nodes[${input.nodes.indexOf(gitaly)}] (gitaly-1).dataVolumeId: "/dev/nvme1n1" is not an EBS volume ID such as "vol-0123456789abcdef0"`,
    ]);
    gitaly.dataVolumeId = '${aws_ebs_volume.gitaly-1.id}';
    delete rails.dataVolumeId;
    expect(problemsOf(input)).toEqual([]);
  });

  it('knows every bucket type GET creates, and no registry bucket while the registry is not enabled', () => {
    expect(BUCKET_TYPES).toHaveLength(9);
    expect(BUCKET_TYPES).not.toContain('registry');
  });
});
