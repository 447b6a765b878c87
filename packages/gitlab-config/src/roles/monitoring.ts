import type { GitLabTopology, NodeRole } from '../topology';
import { NODE_ROLES, nodesOf } from '../topology';
import type { RubyValue } from '../ruby';
import { call, set } from '../ruby';
import { metricsPorts, PORTS } from '../wiring';

/**
 * Prometheus job of each metrics port, named as the Linux package names its own jobs, so the alert
 * rules it ships on the monitoring node (gitlab.rules, node.rules: ServiceDown, RedisDown,
 * PostgresDown, Puma, Sidekiq, Gitaly and Workhorse alerts) match these targets.
 */
export const SCRAPE_JOBS: Record<number, { job: string; path?: string; params?: Record<string, string[]> }> = {
  [PORTS.nodeExporter]: { job: 'node' },
  [PORTS.workhorseMetrics]: { job: 'gitlab-workhorse' },
  [PORTS.pumaMetrics]: { job: 'gitlab-rails', path: '/-/metrics' },
  [PORTS.gitlabExporter]: { job: 'gitlab_exporter_database', path: '/database' },
  [PORTS.nginxStatus]: { job: 'nginx' },
  [PORTS.sidekiqMetrics]: { job: 'gitlab-sidekiq' },
  [PORTS.gitalyMetrics]: { job: 'gitaly' },
  [PORTS.praefectMetrics]: { job: 'praefect' },
  [PORTS.postgresExporter]: { job: 'postgres' },
  [PORTS.pgbouncerExporter]: { job: 'pgbouncer' },
  [PORTS.redisExporter]: { job: 'redis' },
  [PORTS.patroniApi]: { job: 'patroni' },
  [PORTS.consulHttp]: { job: 'consul', path: '/v1/agent/metrics', params: { format: ['prometheus'] } },
};

export interface ScrapeJob {
  job: string;
  port: number;
  roles: (NodeRole | 'all')[];
  targets: string[];
}

/** Scrape jobs with static targets: every node's exporter and each role's own metrics ports. */
export function scrapeJobs(t: GitLabTopology): ScrapeJob[] {
  const jobs = new Map<string, ScrapeJob>();
  jobs.set('node', { job: 'node', port: PORTS.nodeExporter, roles: ['all'], targets: t.nodes.map((n) => `${n.privateIp}:${PORTS.nodeExporter}`) });
  for (const role of NODE_ROLES) {
    const nodes = nodesOf(t, role);
    for (const port of nodes.length ? metricsPorts(t, role) : []) {
      const name = SCRAPE_JOBS[port]?.job ?? `${role}-${port}`;
      const job = jobs.get(name) ?? { job: name, port, roles: [], targets: [] };
      job.roles.push(role);
      job.targets.push(...nodes.map((n) => `${n.privateIp}:${port}`));
      jobs.set(name, job);
    }
  }
  return [...jobs.values()];
}

/** The monitoring node: Prometheus with static scrape targets (deterministic, no Consul needed). */
export function monitoringRb(t: GitLabTopology): string[] {
  const configs: RubyValue[] = scrapeJobs(t).map((j) => {
    const spec = SCRAPE_JOBS[j.port];
    return {
      job_name: j.job,
      ...(spec?.path ? { metrics_path: spec.path } : {}),
      ...(spec?.params ? { params: spec.params } : {}),
      static_configs: [{ targets: j.targets }],
    };
  });
  return [
    call('roles', ['monitoring_role']),
    set("nginx['enable']", false),
    set("prometheus['listen_address']", `0.0.0.0:${PORTS.prometheus}`),
    set("prometheus['monitor_kubernetes']", false),
    '# Static targets under the job names of the alert rules the package ships (rules directory)',
    set("prometheus['scrape_configs']", configs),
  ];
}
