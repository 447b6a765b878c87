import type { GitLabTopology, TopologyNode } from '../topology';
import { applicationRole, isSeed } from '../topology';
import { RubyCode, rbString, secret, set } from '../ruby';
import { consulServers, patroniMembers, PORTS } from '../wiring';
import { DB_DIRECT_HOST_FILE } from './application';

/** Settings every node gets: node exporter for Prometheus, no Rails migrations unless the application role's seed node. */
export function baseSettings(t: GitLabTopology, node: TopologyNode): string[] {
  const migrates = node.role === applicationRole(t) && isSeed(t, node);
  // With Patroni the seed migrates only while the boot script points it at the leader; through
  // PgBouncer (every later reconfigure) it must not migrate.
  const viaLeaderOnly = migrates && patroniMembers(t).length > 0;
  return [
    '# Prometheus node exporter, scraped by the monitoring node',
    set("node_exporter['enable']", true),
    set("node_exporter['listen_address']", `0.0.0.0:${PORTS.nodeExporter}`),
    migrates
      ? `# Seed ${node.role === 'rails' ? 'Rails' : 'all-in-one'} node: runs database migrations during reconfigure (never on package install)`
      : '# Only the seed Rails node runs database migrations',
    set("gitlab_rails['auto_migrate']", viaLeaderOnly ? new RubyCode(`File.exist?(${rbString(DB_DIRECT_HOST_FILE)})`) : migrates),
  ];
}

/** Consul agent (or server) joined to the Consul servers, gossip encrypted. */
export function consulSettings(t: GitLabTopology, opts: { server: boolean }): string[] {
  const servers = consulServers(t);
  const configuration: Record<string, RubyCode | string[] | boolean | number | string | Record<string, string | boolean>> = {};
  if (opts.server) {
    configuration.server = true;
    configuration.bootstrap_expect = servers.length;
    // Prometheus on the monitoring node scrapes the servers' metrics (the security group admits only it).
    configuration.client_addr = '0.0.0.0';
    configuration.telemetry = { prometheus_retention_time: '60s', disable_hostname: true };
  }
  configuration.retry_join = servers;
  configuration.encrypt = secret('consul-gossip-key');
  return ['# Consul', set("consul['enable']", true), set("consul['configuration']", configuration, 'symbol')];
}

/** Services the Linux package enables by default, switched off on nodes without a role helper (Gitaly, Praefect). */
export function disableDefaultServices(keep: string[]): string[] {
  const services = ['postgresql', 'redis', 'nginx', 'puma', 'sidekiq', 'gitlab_workhorse', 'prometheus', 'alertmanager', 'gitlab_exporter', 'gitlab_kas', 'gitaly', 'praefect'];
  return ['# Only the services this role needs', ...services.filter((s) => !keep.includes(s)).map((s) => set(`${s}['enable']`, false))];
}
