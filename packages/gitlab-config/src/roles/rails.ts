import type { GitLabTopology, TopologyNode } from '../topology';
import { isSeed } from '../topology';
import { call, secret, set } from '../ruby';
import { PORTS, prometheusEndpoint, railsRunsSidekiq } from '../wiring';
import { applicationSettings } from './application';

/** GitLab Rails (Puma, Workhorse, NGINX) behind the external load balancer, which terminates TLS. */
export function railsRb(t: GitLabTopology, node: TopologyNode): string[] {
  const withSidekiq = railsRunsSidekiq(t);
  const monitoring = prometheusEndpoint(t);
  const statusAllow = [...(monitoring ? [`${monitoring.host}/32`] : []), '127.0.0.0/8'];
  const lines = [
    call('roles', ['application_role']),
    ...applicationSettings(t, node),
    ...behindExternalLoadBalancer(t),
    '# Metrics endpoints Prometheus scrapes',
    set("puma['listen']", '0.0.0.0'),
    set("gitlab_workhorse['prometheus_listen_addr']", `0.0.0.0:${PORTS.workhorseMetrics}`),
    set("gitlab_exporter['listen_address']", '0.0.0.0'),
    set("gitlab_exporter['listen_port']", String(PORTS.gitlabExporter)),
    set("nginx['status']['options']['allow']", statusAllow),
    withSidekiq ? '# No Sidekiq nodes in this topology: Sidekiq runs here' : '# Sidekiq runs on the Sidekiq nodes',
    set("sidekiq['enable']", withSidekiq),
  ];
  if (withSidekiq) lines.push(set("sidekiq['listen_address']", '0.0.0.0'));
  if (isSeed(t, node)) lines.push(...seedSettings(t));
  return lines;
}

/**
 * NGINX behind the external load balancer. One HTTPS design for every size: the load balancer
 * terminates TLS with its ACM certificate and forwards plain HTTP to NGINX on port 80 (GitLab 19.2
 * moved these keys from nginx[...] to gitlab_rails['nginx'][...]).
 */
export function behindExternalLoadBalancer(t: GitLabTopology): string[] {
  return [
    '# The external load balancer terminates TLS and forwards plain HTTP to NGINX on port 80',
    set("letsencrypt['enable']", false),
    set("gitlab_rails['nginx']['listen_port']", PORTS.http),
    set("gitlab_rails['nginx']['listen_https']", false),
    set("gitlab_rails['nginx']['proxy_set_headers']", { 'X-Forwarded-Proto': 'https', 'X-Forwarded-Ssl': 'on' }),
    set("gitlab_rails['nginx']['real_ip_trusted_addresses']", [t.vpcCidr]),
    set("gitlab_rails['nginx']['real_ip_header']", 'X-Forwarded-For'),
    set("gitlab_rails['nginx']['real_ip_recursive']", 'on'),
    set("gitlab_rails['trusted_proxies']", [t.vpcCidr]),
  ];
}

/** The application role's seed node (Rails, or 1k's all-in-one node): the root password at database creation, and the daily backup's retention. */
export function seedSettings(t: GitLabTopology): string[] {
  return [
    '# Seed node: sets the root password when it creates the database, and runs the daily backup',
    set("gitlab_rails['initial_root_password']", secret('initial-root-password')),
    set("gitlab_rails['backup_keep_time']", t.backups.keepDays * 86400),
  ];
}

/** Sidekiq nodes: the same application settings, only the Sidekiq service. */
export function sidekiqRb(t: GitLabTopology, node: TopologyNode): string[] {
  return [
    call('roles', ['sidekiq_role']),
    ...applicationSettings(t, node),
    '# Sidekiq, its metrics on port 8082',
    set("sidekiq['listen_address']", '0.0.0.0'),
    set("sidekiq['queue_groups']", ['*', '*', '*', '*']),
  ];
}
