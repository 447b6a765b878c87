import type { GitLabTopology, NodeRole, TopologyNode } from './topology';
import { nodeNamed } from './topology';
import { secretHelpers } from './ruby';
import { baseSettings } from './roles/common';
import { railsRb, sidekiqRb } from './roles/rails';
import { gitalyRb, praefectRb } from './roles/gitaly';
import { pgbouncerRb, postgresRb, praefectPostgresRb } from './roles/database';
import { consulRb, redisRb } from './roles/cache';
import { monitoringRb } from './roles/monitoring';
import { allInOneRb } from './roles/all-in-one';

const RENDERERS: Record<NodeRole, (t: GitLabTopology, node: TopologyNode) => string[]> = {
  'all-in-one': allInOneRb,
  rails: railsRb,
  sidekiq: sidekiqRb,
  gitaly: gitalyRb,
  praefect: praefectRb,
  'praefect-postgres': praefectPostgresRb,
  postgres: postgresRb,
  pgbouncer: pgbouncerRb,
  consul: consulRb,
  redis: redisRb,
  'redis-cache': redisRb,
  monitoring: monitoringRb,
};

/**
 * /etc/gitlab/gitlab.rb for one node. It holds addresses and settings only: every secret is a
 * `boot_secret.call(...)` look-up of a file the boot script fetched.
 */
export function renderGitlabRb(topology: GitLabTopology, nodeName: string): string {
  const node = nodeNamed(topology, nodeName);
  const lines = [
    `# /etc/gitlab/gitlab.rb for ${node.name} (${node.role}, GitLab ${topology.size} reference architecture, ${topology.edition.toUpperCase()} ${topology.version}).`,
    '# Rendered by @gitlab-aws/gitlab-config and rewritten whenever gitlab-node-boot runs: change the environment, not this file.',
    ...secretHelpers(),
    '',
    ...RENDERERS[node.role](topology, node),
    ...baseSettings(topology, node),
  ];
  return `${lines.join('\n')}\n`;
}
