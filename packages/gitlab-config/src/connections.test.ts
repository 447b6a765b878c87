import { ALLOWED_10K, ALLOWED_2K, ALLOWED_3K } from './__fixtures__/allowed-rules';
import { VARIANTS } from './__fixtures__/topologies';
import type { Connection } from './connections';
import { assertConnectionsAllowed, checkConnections, connections } from './connections';
import { renderGitlabRb } from './gitlab-rb';
import type { GitLabTopology } from './topology';
import type { Peer } from './wiring';

const has = (list: Connection[], fromRole: Peer, toRole: Peer, port: number, protocol = 'tcp') =>
  list.some((c) => c.fromRole === fromRole && c.toRole === toRole && c.port === port && c.protocol === protocol);

describe('checkConnections against security-group matrices from the port table', () => {
  it('3K: every flow the configuration makes is allowed, and every rule is used', () => {
    expect(checkConnections(connections(VARIANTS['3k']()), ALLOWED_3K)).toEqual([]);
  });

  it('2K: every flow the configuration makes is allowed, and every rule is used', () => {
    expect(checkConnections(connections(VARIANTS['2k']()), ALLOWED_2K)).toEqual([]);
  });

  it.each(['10k', '25k', '50k'])('%s: the Redis cache cluster needs exactly its own Redis, Sentinel and exporter openings', (size) => {
    expect(checkConnections(connections(VARIANTS[size]()), ALLOWED_10K)).toEqual([]);
    // Without the cache cluster's Sentinel port the applications could not find its primary.
    const noCacheSentinel = ALLOWED_10K.filter((r) => !(r.toRole === 'redis-cache' && r.port === 26379 && r.fromRole === 'rails'));
    expect(checkConnections(connections(VARIANTS[size]()), noCacheSentinel).map((d) => d.message)).toEqual(['rails -> redis-cache tcp/26379 (Redis cache Sentinel) is not allowed by any security group rule']);
  });

  it('reports a flow the security groups forgot, naming it and why it is needed', () => {
    const withoutPraefectBackend = ALLOWED_3K.filter((r) => !(r.fromRole === 'internal-lb' && r.toRole === 'praefect'));
    const found = checkConnections(connections(VARIANTS['3k']()), withoutPraefectBackend);
    expect(found).toEqual([
      expect.objectContaining({ kind: 'not-allowed', fromRole: 'internal-lb', toRole: 'praefect', port: 3305, protocol: 'tcp', message: expect.stringContaining('Praefect behind the internal load balancer') }),
    ]);
    expect(() => assertConnectionsAllowed(connections(VARIANTS['3k']()), withoutPraefectBackend)).toThrow(/internal-lb -> praefect tcp\/3305/);
  });

  it('tells UDP from TCP (Consul gossip needs both)', () => {
    const tcpOnly = ALLOWED_3K.filter((r) => !(r.port === 8301 && r.protocol === 'udp'));
    const missing = checkConnections(connections(VARIANTS['3k']()), tcpOnly).filter((d) => d.kind === 'not-allowed');
    expect(missing.length).toBe(9);
    expect(missing.every((d) => d.port === 8301 && d.protocol === 'udp')).toBe(true);
  });

  it('reports rules wider than needed, and accepts port ranges', () => {
    // Gitaly's plain port: nothing uses it since Gitaly listens only with TLS.
    const extra = [...ALLOWED_2K, { fromRole: 'rails' as const, toRole: 'gitaly' as const, port: 8075, protocol: 'tcp' as const }];
    expect(checkConnections(connections(VARIANTS['2k']()), extra)).toEqual([expect.objectContaining({ kind: 'not-needed', port: 8075 })]);
    const ranged = ALLOWED_2K.filter((r) => !(r.fromRole === 'monitoring' && r.toRole === 'rails')).concat({ fromRole: 'monitoring', toRole: 'rails', port: 8000, toPort: 9999, protocol: 'tcp' });
    expect(checkConnections(connections(VARIANTS['2k']()), ranged).filter((d) => d.kind === 'not-allowed')).toEqual([]);
  });
});

describe('connections per variant', () => {
  it('managed variants connect to the managed endpoints instead of the replaced roles', () => {
    const list = connections(VARIANTS['3k-managed']());
    expect(has(list, 'rails', 'managed-postgres', 5432)).toBe(true);
    expect(has(list, 'sidekiq', 'managed-redis', 6379)).toBe(true);
    expect(has(list, 'praefect', 'managed-praefect-postgres', 5432)).toBe(true);
    expect(list.some((c) => ['postgres', 'pgbouncer', 'redis', 'consul', 'praefect-postgres'].includes(c.toRole))).toBe(false);
    expect(list.some((c) => c.toRole === 'internal-lb' && c.port === 6432)).toBe(false);
  });

  it('10k on ElastiCache connects to two replication groups, one per Redis cluster, and to no Redis node', () => {
    const list = connections(VARIANTS['10k-managed']());
    for (const app of ['rails', 'sidekiq'] as const) {
      expect(has(list, app, 'managed-redis', 6379)).toBe(true);
      expect(has(list, app, 'managed-redis-cache', 6379)).toBe(true);
    }
    expect(list.some((c) => c.toRole === 'redis' || c.toRole === 'redis-cache' || c.fromRole === 'redis-cache')).toBe(false);
  });

  it('POC without Sidekiq nodes scrapes Sidekiq metrics on Rails', () => {
    const list = connections(VARIANTS['poc']());
    expect(has(list, 'monitoring', 'rails', 8082)).toBe(true);
    expect(list.some((c) => c.fromRole === 'sidekiq' || c.toRole === 'sidekiq')).toBe(false);
  });
});

/** Maps an address found in a gitlab.rb to the peer it belongs to. */
function peerOf(t: GitLabTopology, host: string): Peer | undefined {
  const node = t.nodes.find((n) => n.privateIp === host);
  if (node) return node.role;
  if (host === t.internalLoadBalancerDns) return 'internal-lb';
  if (host === t.managed.postgres?.host) return 'managed-postgres';
  if (host === t.managed.praefectPostgres?.host) return 'managed-praefect-postgres';
  if (host === t.managed.redis?.host) return 'managed-redis';
  if (host === t.managed.redisCache?.host) return 'managed-redis-cache';
  return undefined;
}

describe('connections() lists every address the rendered gitlab.rb files connect to', () => {
  for (const [variant, make] of Object.entries(VARIANTS)) {
    it(variant, () => {
      const t = make();
      const list = connections(t);
      const missing: string[] = [];
      let checked = 0;
      for (const node of t.nodes) {
        const rb = renderGitlabRb(t, node.name);
        const pairs: [string, number][] = [];
        for (const m of rb.matchAll(/([0-9]{1,3}(?:\.[0-9]{1,3}){3}|[a-z0-9.-]+\.amazonaws\.com):(\d+)/g)) pairs.push([m[1], Number(m[2])]);
        for (const [hostKey, portKey] of [['db_host', 'db_port'], ['redis_host', 'redis_port']]) {
          const host = new RegExp(`\\['${hostKey}'\\] = '([^']+)'`).exec(rb)?.[1];
          const port = new RegExp(`\\['${portKey}'\\] = (\\d+)`).exec(rb)?.[1];
          if (host && port) pairs.push([host, Number(port)]);
        }
        for (const m of rb.matchAll(/'host' => '([^']+)',\s*'port' => (\d+)/g)) pairs.push([m[1], Number(m[2])]);
        for (const m of rb.matchAll(/host: '([^']+)',\s*port: (\d+)/g)) pairs.push([m[1], Number(m[2])]);
        for (const [host, port] of pairs) {
          if (host === '0.0.0.0' || host.startsWith('127.')) continue; // listen addresses
          checked += 1;
          const peer = peerOf(t, host);
          if (!peer) missing.push(`${node.name}: unknown address ${host}:${port}`);
          else if (!has(list, node.role, peer, port)) missing.push(`${node.name} (${node.role}) -> ${peer} ${host}:${port}`);
        }
        const api = /internal_api_url'\] = 'http:\/\/([^:']+):(\d+)'/.exec(rb);
        if (api && !has(list, node.role, peerOf(t, api[1])!, Number(api[2]))) missing.push(`${node.name} -> internal API ${api[1]}:${api[2]}`);
        if (/retry_join/.test(rb) && !has(list, node.role, 'consul', 8300)) missing.push(`${node.name} -> consul 8300`);
      }
      expect(missing).toEqual([]);
      // The scan found addresses to check; 1k's one node reaches its services over local sockets only.
      if (t.size === '1k') expect(checked).toBe(0);
      else expect(checked).toBeGreaterThan(t.nodes.length);
    });
  }
});
