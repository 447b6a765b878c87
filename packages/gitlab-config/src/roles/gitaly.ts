import { isHaSize } from '@gitlab-aws/core';
import type { GitLabTopology, TopologyNode } from '../topology';
import { nodesOf } from '../topology';
import { secret, set } from '../ruby';
import { internalApiUrl, PORTS, PRAEFECT_DB_NAME, PRAEFECT_DB_USER, praefectDatabase, railsInternalApi, REPLICATION_FACTOR, VIRTUAL_STORAGE } from '../wiring';
import { disableDefaultServices } from './common';
import { GITALY_STORAGE_PATH } from '../data-volume';
import { RDS_CA_BUNDLE_PATH, RDS_SSLMODE } from '../rds-ca';
import { NODE_CERTIFICATE_PATH, NODE_KEY_PATH } from '../internal-tls';

/** A Gitaly node: standalone storage "default" (poc/2k) or one storage of the Gitaly Cluster (3k). */
export function gitalyRb(t: GitLabTopology, node: TopologyNode): string[] {
  const cluster = isHaSize(t.size);
  // One storage path in every size, on the data volume; in 3k the storage is named after the node.
  const storage = { name: cluster ? node.name : VIRTUAL_STORAGE, path: GITALY_STORAGE_PATH };
  const api = railsInternalApi(t);
  return [
    ...disableDefaultServices(['gitaly']),
    set("gitaly['enable']", true),
    api.peer === 'internal-lb'
      ? '# GitLab Shell calls back into Rails through the internal load balancer'
      : api.peer === 'kubernetes'
        ? "# GitLab Shell calls back into Rails through the chart's ingress (Cloud Native Hybrid)"
        : '# GitLab Shell calls back into Rails on the one Rails node',
    set("gitlab_rails['internal_api_url']", internalApiUrl(t)),
    set("gitlab_shell['secret_token']", secret('gitlab-shell-token')),
    cluster ? '# Gitaly Cluster member: Praefect connects with the internal token' : '# Rails and Sidekiq connect with the Gitaly token',
    set(
      "gitaly['configuration']",
      {
        // TLS only across the network (no listen_addr): the certificate is issued at boot by the internal CA.
        tls_listen_addr: `0.0.0.0:${PORTS.gitalyTls}`,
        tls: { certificate_path: NODE_CERTIFICATE_PATH, key_path: NODE_KEY_PATH },
        prometheus_listen_addr: `0.0.0.0:${PORTS.gitalyMetrics}`,
        auth: { token: secret('gitaly-token') },
        pack_objects_cache: { enabled: true },
        // Server-side repository backups: gitlab-backup asks each Gitaly to write its repositories here.
        backup: { go_cloud_url: `s3://${t.buckets.backups}?region=${t.region}` },
        storage: [storage],
      },
      'symbol',
    ),
  ];
}

/** A Praefect node: routes the "default" virtual storage to every Gitaly node, replication factor 3. */
export function praefectRb(t: GitLabTopology, node: TopologyNode): string[] {
  const db = praefectDatabase(t);
  const deployNode = nodesOf(t, 'praefect')[0]?.name === node.name;
  return [
    ...disableDefaultServices(['praefect']),
    set("praefect['enable']", true),
    deployNode ? '# Deploy node: runs the Praefect database migrations during reconfigure' : '# The first Praefect node runs the migrations',
    set("praefect['auto_migrate']", deployNode),
    set(
      "praefect['configuration']",
      {
        tls_listen_addr: `0.0.0.0:${PORTS.praefectTls}`,
        tls: { certificate_path: NODE_CERTIFICATE_PATH, key_path: NODE_KEY_PATH },
        prometheus_listen_addr: `0.0.0.0:${PORTS.praefectMetrics}`,
        auth: { token: secret('praefect-external-token') },
        database: {
          host: db.host,
          port: db.port,
          dbname: db.managed ? db.database : PRAEFECT_DB_NAME,
          // Praefect's own login, on RDS too (never the RDS master user).
          user: PRAEFECT_DB_USER,
          password: secret('praefect-db-password'),
          // RDS: TLS with the server certificate checked against the RDS CA bundle; the Praefect
          // PostgreSQL node is reached in clear inside the VPC (docs/gitlab-on-nodes.md, TLS).
          ...(db.managed ? { sslmode: RDS_SSLMODE, sslrootcert: RDS_CA_BUNDLE_PATH } : { sslmode: 'disable' }),
        },
        virtual_storage: [
          {
            name: VIRTUAL_STORAGE,
            default_replication_factor: REPLICATION_FACTOR,
            node: nodesOf(t, 'gitaly').map((g) => ({ storage: g.name, address: `tls://${g.privateIp}:${PORTS.gitalyTls}`, token: secret('gitaly-token') })),
          },
        ],
      },
      'symbol',
    ),
  ];
}
