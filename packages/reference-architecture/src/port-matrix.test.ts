import { GITLAB_NODE_ROLES } from '@gitlab-aws/core';
import { entries, gitlabEnvironment, synthGitlab, type Json } from './__fixtures__/synth';
import { planArchitecture } from './architecture-plan';
import { kebab } from './node-placement';
import { isAllowed, isOpenToCidr, portMatrix, PORTS, type PortMatrix } from './port-matrix';

function matrixOf(gitlab: Record<string, unknown>): PortMatrix {
  return portMatrix(planArchitecture(gitlabEnvironment(gitlab)).plan!);
}

type Pair = [from: Parameters<typeof isAllowed>[1], to: Parameters<typeof isAllowed>[2], port: number];

const linux3k = matrixOf({ size: '3k' });

describe.each(['10k', '25k', '50k'])('%s: the Redis cache cluster next to the persistent one', (size) => {
  const m = matrixOf({ size });
  const managed = matrixOf({ size, components: { redis: 'managed', praefectDatabase: 'managed' } });

  it.each<Pair>([
    ['rails', 'redisCache', PORTS.redis],
    ['sidekiq', 'redisCache', PORTS.sentinel],
    ['redisCache', 'redisCache', PORTS.redis],
    ['redisCache', 'redisCache', PORTS.sentinel],
    ['monitoring', 'redisCache', PORTS.redisExporter],
    ['monitoring', 'redisCache', PORTS.nodeExporter],
    ['sidekiq', 'redis', PORTS.sentinel],
  ])('allows %s -> %s:%d', (from, to, port) => {
    expect(isAllowed(m, from, to, port)).toBe(true);
  });

  it('keeps the two clusters apart: no replication or Sentinel traffic between them, no caller but the applications', () => {
    expect(isAllowed(m, 'redis', 'redisCache', PORTS.redis)).toBe(false);
    expect(isAllowed(m, 'redisCache', 'redis', PORTS.sentinel)).toBe(false);
    expect(isAllowed(m, 'gitaly', 'redisCache', PORTS.redis)).toBe(false);
    expect(m.rules.filter((r) => r.to === 'redisCache' && typeof r.from === 'string' && !['rails', 'sidekiq', 'redisCache', 'monitoring'].includes(r.from))).toEqual([]);
  });

  it('on ElastiCache: Redis 6379 only, from Rails and Sidekiq, on both replication groups', () => {
    for (const to of ['redis', 'redisCache'] as const) {
      expect(managed.rules.filter((r) => r.to === to).map((r) => `${String(r.from)}:${r.port}`).sort()).toEqual(['rails:6379', 'sidekiq:6379']);
    }
  });
});

describe('3k, Linux package: who may call whom', () => {
  it.each<Pair>([
    ['externalLb', 'rails', PORTS.http],
    ['externalLb', 'rails', PORTS.gitSsh],
    ['rails', 'internalLb', PORTS.praefectTls],
    ['sidekiq', 'internalLb', PORTS.pgbouncer],
    ['internalLb', 'praefect', PORTS.praefectTls],
    ['internalLb', 'pgbouncer', PORTS.pgbouncer],
    ['praefect', 'gitaly', PORTS.gitalyTls],
    ['gitaly', 'gitaly', PORTS.gitalyTls],
    ['praefect', 'praefectPostgres', PORTS.postgres],
    ['pgbouncer', 'postgres', PORTS.postgres],
    ['postgres', 'postgres', PORTS.patroniApi],
    ['gitaly', 'internalLb', PORTS.http], // Rails internal API (GitLab Shell)
    ['internalLb', 'rails', PORTS.http],
    ['rails', 'postgres', PORTS.postgres], // migrations on the Patroni leader
    ['rails', 'postgres', PORTS.patroniApi],
    ['rails', 'postgres', PORTS.pgbouncer], // Database Load Balancing: reads through each member's PgBouncer
    ['sidekiq', 'postgres', PORTS.pgbouncer],
    ['sidekiq', 'monitoring', PORTS.prometheus],
    ['rails', 'redis', PORTS.redis],
    ['redis', 'redis', PORTS.redis],
    ['redis', 'redis', PORTS.sentinel], // Sentinel on the Redis nodes
    ['sidekiq', 'redis', PORTS.sentinel],
    ['gitaly', 'consul', PORTS.consulRpc],
    ['rails', 'postgres', PORTS.consulSerfLan],
    ['monitoring', 'rails', PORTS.gitlabExporter],
    ['monitoring', 'praefect', PORTS.praefectMetrics],
    ['monitoring', 'pgbouncer', PORTS.nodeExporter],
    ['rails', 'monitoring', PORTS.prometheus],
  ])('allows %s -> %s:%d', (from, to, port) => {
    expect(isAllowed(linux3k, from, to, port)).toBe(true);
  });

  it.each<Pair>([
    ['rails', 'praefect', PORTS.praefectTls], // only through the internal load balancer
    ['rails', 'gitaly', PORTS.gitalyTls], // only through Praefect
    // Gitaly and Praefect listen only with TLS: their plain ports are closed.
    ['rails', 'internalLb', PORTS.praefect],
    ['internalLb', 'praefect', PORTS.praefect],
    ['praefect', 'gitaly', PORTS.gitaly],
    ['gitaly', 'gitaly', PORTS.gitaly],
    ['rails', 'pgbouncer', PORTS.pgbouncer],
    ['sidekiq', 'postgres', PORTS.postgres], // only through PgBouncer
    ['gitaly', 'rails', PORTS.http], // through the internal load balancer
    ['praefect', 'rails', PORTS.https],
    ['sidekiq', 'praefectPostgres', PORTS.postgres],
    ['gitaly', 'postgres', PORTS.postgres],
    ['gitaly', 'postgres', PORTS.pgbouncer],
    ['externalLb', 'rails', PORTS.https], // TLS ends at the load balancer in every size
    ['externalLb', 'sidekiq', PORTS.http],
    ['externalLb', 'gitaly', PORTS.gitaly],
    ['internalLb', 'postgres', PORTS.postgres],
    ['rails', 'rails', PORTS.gitSsh],
    ['gitaly', 'redis', PORTS.redis],
    ['praefect', 'consul', PORTS.sentinel],
    ['rails', 'consul', PORTS.sentinel], // Sentinel is no longer on the Consul nodes
    ['consul', 'redis', PORTS.redis],
    ['rails', 'consul', PORTS.consulHttp],
    ['rails', 'gitaly', PORTS.nodeExporter],
  ])('denies %s -> %s:%d', (from, to, port) => {
    expect(isAllowed(linux3k, from, to, port)).toBe(false);
  });

  it('lets the allowed networks reach only 443, 80 and 22 on the external load balancer', () => {
    const cidrRules = linux3k.rules.filter((r) => typeof r.from === 'object');
    expect(cidrRules.map((r) => [r.to, r.port]).sort()).toEqual([['externalLb', 22], ['externalLb', 443], ['externalLb', 80]]);
    expect(isOpenToCidr(linux3k, 'externalLb', 443, '203.0.113.0/24')).toBe(true);
    expect(isOpenToCidr(linux3k, 'rails', 80, '203.0.113.0/24')).toBe(false);
  });
});

describe('other shapes', () => {
  it('2k: Rails and Sidekiq go straight to Gitaly and PostgreSQL; Gitaly reaches the Rails internal API only through the internal load balancer; no Consul', () => {
    const m = matrixOf({ size: '2k' });
    expect(isAllowed(m, 'rails', 'gitaly', PORTS.gitalyTls)).toBe(true);
    expect(isAllowed(m, 'rails', 'gitaly', PORTS.gitaly)).toBe(false); // TLS only
    expect(isAllowed(m, 'sidekiq', 'postgres', PORTS.postgres)).toBe(true);
    expect(isAllowed(m, 'gitaly', 'postgres', PORTS.postgres)).toBe(false);
    expect(isAllowed(m, 'gitaly', 'internalLb', PORTS.http)).toBe(true);
    expect(isAllowed(m, 'internalLb', 'rails', PORTS.http)).toBe(true);
    expect(isAllowed(m, 'gitaly', 'rails', PORTS.http)).toBe(false); // never one Rails node alone
    expect(isAllowed(m, 'rails', 'internalLb', PORTS.pgbouncer)).toBe(false);
    expect(isAllowed(m, 'redis', 'redis', PORTS.sentinel)).toBe(false);
    expect(m.groups).not.toContain('consulMembers');
    // One Rails node (POC): no internal load balancer, Gitaly calls that node.
    const poc = matrixOf({ size: 'poc' });
    expect(poc.groups).not.toContain('internalLb');
    expect(isAllowed(poc, 'gitaly', 'rails', PORTS.http)).toBe(true);
  });

  it('3k managed: RDS takes PostgreSQL from Rails and Sidekiq, ElastiCache Redis; nothing scrapes the managed services', () => {
    const m = matrixOf({ size: '3k', components: { database: 'managed', redis: 'managed', praefectDatabase: 'managed' } });
    expect(isAllowed(m, 'rails', 'postgres', PORTS.postgres)).toBe(true);
    expect(isAllowed(m, 'rails', 'internalLb', PORTS.pgbouncer)).toBe(false);
    expect(isAllowed(m, 'rails', 'postgres', PORTS.pgbouncer)).toBe(false); // no Database Load Balancing on RDS
    expect(isAllowed(m, 'consul', 'redis', PORTS.redis)).toBe(false);
    expect(isAllowed(m, 'sidekiq', 'consul', PORTS.sentinel)).toBe(false);
    expect(isAllowed(m, 'monitoring', 'postgres', PORTS.postgresExporter)).toBe(false);
    expect(isAllowed(m, 'monitoring', 'redis', PORTS.nodeExporter)).toBe(false);
    expect(isAllowed(m, 'praefect', 'praefectPostgres', PORTS.postgres)).toBe(true);
    expect(m.groups).not.toContain('pgbouncer');
  });

  it.each(['poc', '2k', '3k'])('%s: TLS ends at the load balancer, so Rails takes 80 and never 443 from it', (size) => {
    const m = matrixOf({ size });
    expect(isAllowed(m, 'externalLb', 'rails', PORTS.https)).toBe(false);
    expect(isAllowed(m, 'externalLb', 'rails', PORTS.http)).toBe(true);
  });
});

/** The group a `${aws_security_group.<key>.id}` reference names. */
function groupByReference(resources: Json): Map<string, string> {
  return new Map(entries(resources, 'aws_security_group').map(([key, sg]) => [`\${aws_security_group.${key}.id}`, sg.tags.Name.replace('gl-gitlab-', '')]));
}

describe.each([
  ['3k linux-package', { size: '3k' }],
  ['3k managed', { size: '3k', components: { database: 'managed', redis: 'managed', praefectDatabase: 'managed' } }],
  ['2k alb', { size: '2k', externalLoadBalancer: 'alb', domain: { hostedZoneId: 'Z0123456789ABCDEFGHIJ' } }],
])('synthesized security groups, %s', (_name, gitlab) => {
  const { resources } = synthGitlab(gitlab);
  const matrix = matrixOf(gitlab);
  const groups = groupByReference(resources);

  it('hold exactly the rules of the port matrix, each from a group (never the VPC range) or the allowed CIDRs', () => {
    const synthesized = entries(resources, 'aws_vpc_security_group_ingress_rule').map(([, r]) => {
      const from = r.referenced_security_group_id ? groups.get(r.referenced_security_group_id) : r.cidr_ipv4;
      return `${groups.get(r.security_group_id)} <- ${from} ${r.ip_protocol}/${r.from_port}`;
    });
    const expected = matrix.rules.flatMap((r) =>
      (typeof r.from === 'string' ? [kebab(r.from)] : [...r.from.cidrs]).map((from) => `${kebab(r.to)} <- ${from} ${r.protocol}/${r.port}`),
    );
    expect(synthesized.sort()).toEqual(expected.sort());
    expect(synthesized.every((s) => !s.includes('10.30.'))).toBe(true);
    const inlineIngress = Object.values(resources.aws_security_group as Json).filter((sg) => sg.ingress);
    // Only the SSM endpoints' group (from the core network) takes HTTPS from the VPC range.
    expect(inlineIngress.map((sg) => sg.tags.Name)).toEqual(['gl-gitlab-endpoints']);
  });

  it('are attached to each node as its role and membership say', () => {
    for (const [, instance] of entries(resources, 'aws_instance')) {
      const attached = (instance.vpc_security_group_ids as string[]).map((id) => groups.get(id)).sort();
      expect(attached).toEqual([...(matrix.membership[instance.tags.GitLabRole as (typeof GITLAB_NODE_ROLES)[number]] ?? [])].map(kebab).sort());
    }
  });
});
