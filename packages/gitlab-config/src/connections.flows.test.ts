import { ALLOWED_2K } from './__fixtures__/allowed-rules';
import { RDS, topologyInput, VARIANTS } from './__fixtures__/topologies';
import type { GitLabSize } from '@gitlab-aws/core';
import type { AllowedRule, Connection } from './connections';
import { assertConnectionsAllowed, checkConnections, connections, listeningPorts } from './connections';
import { defineTopology, type GitLabTopology, type ManagedEndpoints } from './topology';

// The flows, their purposes (what an operator reads in a finding) and the comparison with security
// group rules, at the edges: port ranges, protocols, directions, and messages.
const row = (c: Connection) => `${c.fromRole} -> ${c.toRole} ${c.protocol}/${c.port}: ${c.purpose}`;

describe('connections: every flow with its purpose', () => {
  it('poc: users to Rails, Rails to each backend, Gitaly to the Rails API, Prometheus to every exporter', () => {
    expect(connections(VARIANTS.poc()).map(row)).toEqual([
      'external-lb -> rails tcp/80: web and API (TLS terminated at the load balancer)',
      'external-lb -> rails tcp/22: Git over SSH',
      'rails -> postgres tcp/5432: database',
      'rails -> redis tcp/6379: Redis',
      'rails -> gitaly tcp/9999: Gitaly',
      'rails -> monitoring tcp/9090: Prometheus queries',
      'gitaly -> rails tcp/80: GitLab Shell internal API',
      'monitoring -> rails tcp/9100: node exporter',
      'monitoring -> rails tcp/9229: metrics',
      'monitoring -> rails tcp/8080: metrics',
      'monitoring -> rails tcp/9168: metrics',
      'monitoring -> rails tcp/8060: metrics',
      'monitoring -> rails tcp/8082: metrics',
      'monitoring -> gitaly tcp/9100: node exporter',
      'monitoring -> gitaly tcp/9236: metrics',
      'monitoring -> postgres tcp/9100: node exporter',
      'monitoring -> postgres tcp/9187: metrics',
      'monitoring -> redis tcp/9100: node exporter',
      'monitoring -> redis tcp/9121: metrics',
      'monitoring -> monitoring tcp/9100: node exporter',
    ]);
  });

  it('3k: Sentinel and the named primary for each app, Gitaly Cluster and PgBouncer behind the internal load balancer, Patroni, Redis replication', () => {
    const rows = connections(VARIANTS['3k']()).map(row);
    for (const app of ['rails', 'sidekiq']) {
      expect(rows).toEqual(
        expect.arrayContaining([
          `${app} -> internal-lb tcp/6432: database`,
          `${app} -> redis tcp/26379: Redis Sentinel`,
          `${app} -> redis tcp/6379: Redis (primary named by Sentinel)`,
          `${app} -> internal-lb tcp/3305: Gitaly Cluster (Praefect)`,
          `${app} -> monitoring tcp/9090: Prometheus queries`,
        ]),
      );
    }
    expect(rows).toEqual(
      expect.arrayContaining([
        'rails -> postgres tcp/8008: seed node finds the Patroni leader',
        'rails -> postgres tcp/5432: seed node migrates directly on the leader',
        'internal-lb -> praefect tcp/3305: Praefect behind the internal load balancer (TLS)',
        'internal-lb -> pgbouncer tcp/6432: PgBouncer behind the internal load balancer',
        'gitaly -> internal-lb tcp/80: GitLab Shell internal API',
        'internal-lb -> rails tcp/80: Rails internal API behind the internal load balancer',
        'praefect -> gitaly tcp/9999: Praefect routes to Gitaly (TLS)',
        'gitaly -> gitaly tcp/9999: Gitaly Cluster replication (TLS)',
        'rails -> postgres tcp/6432: Database Load Balancing (reads through the local PgBouncer)',
        "praefect -> praefect-postgres tcp/5432: Praefect's database",
        'pgbouncer -> postgres tcp/5432: PgBouncer to the Patroni leader',
        'postgres -> postgres tcp/5432: Patroni replication',
        'postgres -> postgres tcp/8008: Patroni REST API',
        'redis -> redis tcp/6379: Redis replication; Sentinel monitors Redis',
        'redis -> redis tcp/26379: Sentinels talk to each other',
        'monitoring -> postgres tcp/8008: metrics',
      ]),
    );
    // Three Sentinels on one peer and port are one flow, its purpose named once.
    expect(rows.filter((r) => r.startsWith('rails -> redis tcp/26379'))).toEqual(['rails -> redis tcp/26379: Redis Sentinel']);
  });

  it('3k: Consul RPC from each member to the servers, gossip between every pair of members over TCP and UDP', () => {
    const list = connections(VARIANTS['3k']());
    const members = ['consul', 'postgres', 'pgbouncer'];
    for (const from of members) {
      expect(list.filter((c) => c.fromRole === from && c.port === 8300).map(row)).toEqual([`${from} -> consul tcp/8300: Consul RPC`]);
      const gossip = list.filter((c) => c.fromRole === from && c.port === 8301).map(row);
      expect(gossip).toEqual(members.flatMap((to) => [`${from} -> ${to} tcp/8301: Consul gossip`, `${from} -> ${to} udp/8301: Consul gossip`]));
    }
    expect(list.filter((c) => c.port === 8301 || c.port === 8300)).toHaveLength(21);
  });

  it('2k managed: Gitaly (no cluster), the managed endpoints, and no Patroni, Consul or Redis replication', () => {
    const rows = connections(VARIANTS['2k-managed']()).map(row);
    expect(rows).toEqual(expect.arrayContaining(['sidekiq -> gitaly tcp/9999: Gitaly', 'sidekiq -> managed-postgres tcp/5432: database', 'sidekiq -> managed-redis tcp/6379: Redis']));
    // The gitlab login on RDS is the Rails seed node's job, through the database flow it has anyway.
    expect(rows.filter((r) => /seed node/.test(r))).toEqual([]);
    // 2k has two Rails nodes: Gitaly reaches their internal API through the internal load balancer.
    expect(rows.filter((r) => /Patroni|Consul|Sentinel|replication|internal-lb/.test(r))).toEqual([
      'gitaly -> internal-lb tcp/80: GitLab Shell internal API',
      'internal-lb -> rails tcp/80: Rails internal API behind the internal load balancer',
    ]);
  });
});

/** Cloud Native Hybrid: the size's stateful nodes only; Rails, Sidekiq and monitoring run in the chart. */
const hybrid = (size: GitLabSize, managed: ManagedEndpoints = {}): GitLabTopology => {
  const input = topologyInput(size, managed);
  return defineTopology({ ...input, applicationTier: 'kubernetes', nodes: input.nodes.filter((n) => !['rails', 'sidekiq', 'monitoring'].includes(n.role)) });
};

describe('connections of a Cloud Native Hybrid topology', () => {
  it("2k on RDS at its own port: the chart pods call each backend, Gitaly's seed node creates the gitlab login, the load balancer reaches only the chart NGINX's NodePorts", () => {
    expect(connections(hybrid('2k', { postgres: { ...RDS!, port: 5433 } })).map(row)).toEqual([
      "external-lb -> kubernetes tcp/32443: web and API to the chart's NGINX HTTPS NodePort (TLS again from the load balancer)",
      "external-lb -> kubernetes tcp/32080: plain HTTP to the chart's NGINX NodePort, which redirects to https; the load balancers' health checks",
      "external-lb -> kubernetes tcp/32022: Git over SSH to the chart's NGINX NodePort",
      'kubernetes -> managed-postgres tcp/5433: database',
      'kubernetes -> redis tcp/6379: Redis',
      'kubernetes -> gitaly tcp/9999: Gitaly',
      'gitaly -> managed-postgres tcp/5433: seed node creates the gitlab login on RDS',
    ]);
  });

  it('2k on RDS at the default port, and no seed-node login flow when PostgreSQL is self-managed', () => {
    expect(connections(hybrid('2k', { postgres: RDS })).map(row)).toContain('gitaly -> managed-postgres tcp/5432: seed node creates the gitlab login on RDS');
    expect(connections(hybrid('2k')).map(row)).toEqual([
      "external-lb -> kubernetes tcp/32443: web and API to the chart's NGINX HTTPS NodePort (TLS again from the load balancer)",
      "external-lb -> kubernetes tcp/32080: plain HTTP to the chart's NGINX NodePort, which redirects to https; the load balancers' health checks",
      "external-lb -> kubernetes tcp/32022: Git over SSH to the chart's NGINX NodePort",
      'kubernetes -> postgres tcp/5432: database',
      'kubernetes -> redis tcp/6379: Redis',
      'kubernetes -> gitaly tcp/9999: Gitaly',
    ]);
  });

  it('3k self-managed: the pods reach PgBouncer and Praefect through the internal load balancer; no Rails seed-node flow, no internal API flow, no scraping', () => {
    const rows = connections(hybrid('3k')).map(row);
    expect(rows.filter((r) => !/Consul/.test(r))).toEqual([
      "external-lb -> kubernetes tcp/32443: web and API to the chart's NGINX HTTPS NodePort (TLS again from the load balancer)",
      "external-lb -> kubernetes tcp/32080: plain HTTP to the chart's NGINX NodePort, which redirects to https; the load balancers' health checks",
      "external-lb -> kubernetes tcp/32022: Git over SSH to the chart's NGINX NodePort",
      'kubernetes -> internal-lb tcp/6432: database',
      'kubernetes -> redis tcp/26379: Redis Sentinel',
      'kubernetes -> redis tcp/6379: Redis (primary named by Sentinel)',
      'kubernetes -> internal-lb tcp/3305: Gitaly Cluster (Praefect)',
      'kubernetes -> postgres tcp/6432: Database Load Balancing (reads through the local PgBouncer)',
      'internal-lb -> praefect tcp/3305: Praefect behind the internal load balancer (TLS)',
      'internal-lb -> pgbouncer tcp/6432: PgBouncer behind the internal load balancer',
      'praefect -> gitaly tcp/9999: Praefect routes to Gitaly (TLS)',
      'gitaly -> gitaly tcp/9999: Gitaly Cluster replication (TLS)',
      "praefect -> praefect-postgres tcp/5432: Praefect's database",
      'pgbouncer -> postgres tcp/5432: PgBouncer to the Patroni leader',
      'postgres -> postgres tcp/5432: Patroni replication',
      'postgres -> postgres tcp/8008: Patroni REST API',
      'redis -> redis tcp/6379: Redis replication; Sentinel monitors Redis',
      'redis -> redis tcp/26379: Sentinels talk to each other',
    ]);
    expect(rows.filter((r) => /Consul/.test(r))).toHaveLength(21);
  });

  it('lists the stateful roles\' ports only', () => {
    expect(listeningPorts(hybrid('2k'))).toEqual({ gitaly: [9999, 9236, 9100], postgres: [5432, 9187, 9100], redis: [6379, 9121, 9100] });
  });
});

describe('listeningPorts', () => {
  it('poc: Rails serves NGINX, sshd and every Rails-side exporter (Sidekiq runs on it); every role its node exporter', () => {
    expect(listeningPorts(VARIANTS.poc())).toEqual({
      rails: [80, 22, 9229, 8080, 9168, 8060, 8082, 9100],
      gitaly: [9999, 9236, 9100],
      postgres: [5432, 9187, 9100],
      redis: [6379, 9121, 9100],
      monitoring: [9090, 9100],
    });
  });

  it('3k: Patroni API on PostgreSQL, Sentinel on Redis, Consul RPC and gossip, Praefect and PgBouncer', () => {
    expect(listeningPorts(VARIANTS['3k']())).toEqual({
      rails: [80, 22, 9229, 8080, 9168, 8060, 9100],
      gitaly: [9999, 9236, 9100],
      praefect: [3305, 9652, 9100],
      postgres: [5432, 8008, 6432, 9187, 9100],
      'praefect-postgres': [5432, 9187, 9100],
      pgbouncer: [6432, 9188, 9100],
      redis: [6379, 26379, 9121, 9100],
      consul: [8300, 8301, 8500, 9100],
      monitoring: [9090, 9100],
    });
  });

  it('lists no port for a role the topology replaces with a managed service (and none for Sidekiq, which serves nothing a load balancer forwards)', () => {
    expect(Object.keys(listeningPorts(VARIANTS['3k-managed']())).sort()).toEqual(['gitaly', 'monitoring', 'praefect', 'rails']);
  });
});

describe('checkConnections at the edges of a rule', () => {
  const flow: Connection = { fromRole: 'rails', toRole: 'gitaly', port: 8075, protocol: 'tcp', purpose: 'Gitaly' };
  const rule = (r: Partial<AllowedRule>): AllowedRule => ({ fromRole: 'rails', toRole: 'gitaly', port: 8075, protocol: 'tcp', ...r });
  const covered = (r: AllowedRule) => checkConnections([flow], [r]).length === 0;

  it('covers a flow at either end of a port range, and not one port beyond', () => {
    expect(covered(rule({}))).toBe(true);
    expect(covered(rule({ port: 8075, toPort: 8075 }))).toBe(true);
    expect(covered(rule({ port: 8000, toPort: 8075 }))).toBe(true);
    expect(covered(rule({ port: 8075, toPort: 8100 }))).toBe(true);
    expect(covered(rule({ port: 8000, toPort: 8074 }))).toBe(false);
    expect(covered(rule({ port: 8076, toPort: 8100 }))).toBe(false);
    expect(covered(rule({ port: 8076 }))).toBe(false);
    expect(covered(rule({ port: 8074 }))).toBe(false);
  });

  it('needs the same source, destination and protocol', () => {
    expect(covered(rule({ fromRole: 'sidekiq' }))).toBe(false);
    expect(covered(rule({ toRole: 'praefect' }))).toBe(false);
    expect(covered(rule({ fromRole: 'gitaly', toRole: 'rails' }))).toBe(false);
    expect(covered(rule({ protocol: 'udp' }))).toBe(false);
  });

  it('names both sides of a disagreement, with the purpose of the missing flow and the range of the unused rule', () => {
    expect(checkConnections([flow], [rule({ port: 9000, toPort: 9999 })])).toEqual([
      { kind: 'not-allowed', fromRole: 'rails', toRole: 'gitaly', port: 8075, protocol: 'tcp', message: 'rails -> gitaly tcp/8075 (Gitaly) is not allowed by any security group rule' },
      { kind: 'not-needed', fromRole: 'rails', toRole: 'gitaly', port: 9000, toPort: 9999, protocol: 'tcp', message: 'rails -> gitaly tcp/9000-9999 is allowed but no rendered configuration uses it' },
    ]);
    expect(checkConnections([], [rule({ port: 8075, toPort: 8075 })]).map((d) => d.message)).toEqual(['rails -> gitaly tcp/8075 is allowed but no rendered configuration uses it']);
  });
});

describe('assertConnectionsAllowed', () => {
  it('passes when every needed flow is allowed, even with rules nothing uses', () => {
    // Gitaly's plain port: nothing uses it (Gitaly listens with TLS only).
    const extra: AllowedRule = { fromRole: 'rails', toRole: 'gitaly', port: 8075, protocol: 'tcp' };
    expect(() => assertConnectionsAllowed(connections(VARIANTS['2k']()), [...ALLOWED_2K, extra])).not.toThrow();
  });

  it('lists every missing flow, one per line', () => {
    const needed = connections(VARIANTS['2k']());
    const allowed = ALLOWED_2K.filter((r) => !(r.toRole === 'gitaly' && r.port === 9999));
    expect(() => assertConnectionsAllowed(needed, allowed)).toThrow(
      new Error(
        'security groups do not allow flows the GitLab configuration needs:\n' +
          '  - rails -> gitaly tcp/9999 (Gitaly) is not allowed by any security group rule\n' +
          '  - sidekiq -> gitaly tcp/9999 (Gitaly) is not allowed by any security group rule',
      ),
    );
  });
});
