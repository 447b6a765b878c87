import type { GitLabTopology, TopologyNode } from '../topology';
import { isSeed } from '../topology';
import { call, set } from '../ruby';
import { VIRTUAL_STORAGE } from '../wiring';
import { GITALY_STORAGE_PATH } from '../data-volume';
import { monitoringAllowlist, objectStorageSettings } from './application';
import { behindExternalLoadBalancer, seedSettings } from './rails';

/** Gitaly's local socket: Rails, Sidekiq and GitLab Shell reach it on this host only, so no token and no TLS. */
export const ALL_IN_ONE_GITALY_SOCKET = '/var/opt/gitlab/gitaly/gitaly.socket';

/**
 * 1k's one node, as GitLab's 1K page installs it: the Linux package with its default services
 * all on (Puma, Sidekiq, Workhorse, NGINX, Gitaly, PostgreSQL, Redis, Prometheus and the exporters),
 * which talk over local sockets, so there is no database, Redis or Gitaly address and no password
 * to set. What differs from a bare install is what every size gets: TLS ends at the external load
 * balancer, objects go to S3, repositories sit on the data volume, backups go to the bucket, and
 * the seed duties (root password, migrations, daily backup) of the Rails seed node.
 */
export function allInOneRb(t: GitLabTopology, node: TopologyNode): string[] {
  return [
    "# Every service of the Linux package on this node (GitLab's 1K): no roles call, the package's defaults enable them all",
    call('external_url', t.externalUrl),
    ...behindExternalLoadBalancer(t),
    '# Gitaly on its local socket; repositories on the data volume; server-side repository backups to the backups bucket',
    set(
      "gitaly['configuration']",
      {
        socket_path: ALL_IN_ONE_GITALY_SOCKET,
        storage: [{ name: VIRTUAL_STORAGE, path: GITALY_STORAGE_PATH }],
        backup: { go_cloud_url: `s3://${t.buckets.backups}?region=${t.region}` },
      },
      'symbol',
    ),
    set("gitlab_rails['repositories_storages']", { [VIRTUAL_STORAGE]: { gitaly_address: `unix:${ALL_IN_ONE_GITALY_SOCKET}` } }),
    ...objectStorageSettings(t),
    "# Health and metrics endpoints: loopback (the node's own Prometheus) and the load balancer's health checks only",
    set("gitlab_rails['monitoring_whitelist']", monitoringAllowlist(t)),
    ...(isSeed(t, node) ? seedSettings(t) : []),
  ];
}
