import type { GitLabTopology, TopologyNode } from '../topology';
import { isSeed } from '../topology';
import { RubyCode, secret, set } from '../ruby';
import { consulServers, PORTS } from '../wiring';

/** Settings every node gets: node exporter for Prometheus, no Rails migrations unless seed Rails. */
export function baseSettings(t: GitLabTopology, node: TopologyNode): string[] {
  const migrates = node.role === 'rails' && isSeed(t, node);
  return [
    '# Prometheus node exporter, scraped by the monitoring node',
    set("node_exporter['enable']", true),
    set("node_exporter['listen_address']", `0.0.0.0:${PORTS.nodeExporter}`),
    migrates
      ? '# Seed Rails node: runs database migrations during reconfigure (never on package install)'
      : '# Only the seed Rails node runs database migrations',
    set("gitlab_rails['auto_migrate']", migrates),
  ];
}

/** Consul agent (or server) joined to the Consul servers, gossip encrypted. */
export function consulSettings(t: GitLabTopology, opts: { server: boolean }): string[] {
  const servers = consulServers(t);
  const configuration: Record<string, RubyCode | string[] | boolean | number> = {};
  if (opts.server) {
    configuration.server = true;
    configuration.bootstrap_expect = servers.length;
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
