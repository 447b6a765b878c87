import type { GitLabTopology, NodeRole } from '../topology';
import { NODE_ROLES, nodesOf } from '../topology';
import type { RubyValue } from '../ruby';
import { call, set } from '../ruby';
import { metricsPorts, PORTS } from '../wiring';

/** Metrics paths that differ from /metrics. */
const METRICS_PATHS: Record<number, string> = { [PORTS.pumaMetrics]: '/-/metrics', [PORTS.gitlabExporter]: '/database' };

/** Scrape jobs with static targets: every node's exporter and each role's own metrics ports. */
export function scrapeJobs(t: GitLabTopology): { job: string; port: number; role: NodeRole | 'all'; targets: string[] }[] {
  const jobs = [{ job: 'node', port: PORTS.nodeExporter, role: 'all' as const, targets: t.nodes.map((n) => `${n.privateIp}:${PORTS.nodeExporter}`) }];
  const roleJobs = NODE_ROLES.flatMap((role) => {
    const nodes = nodesOf(t, role);
    if (nodes.length === 0) return [];
    return metricsPorts(t, role).map((port) => ({ job: `${role}-${port}`, port, role, targets: nodes.map((n) => `${n.privateIp}:${port}`) }));
  });
  return [...jobs, ...roleJobs];
}

/** The monitoring node: Prometheus with static scrape targets (deterministic, no Consul needed). */
export function monitoringRb(t: GitLabTopology): string[] {
  const configs: RubyValue[] = scrapeJobs(t).map((j) => ({
    job_name: j.job,
    ...(METRICS_PATHS[j.port] ? { metrics_path: METRICS_PATHS[j.port] } : {}),
    static_configs: [{ targets: j.targets }],
  }));
  return [
    call('roles', ['monitoring_role']),
    set("nginx['enable']", false),
    set("prometheus['listen_address']", `0.0.0.0:${PORTS.prometheus}`),
    set("prometheus['monitor_kubernetes']", false),
    set("prometheus['scrape_configs']", configs),
  ];
}
