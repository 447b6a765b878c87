import { isHaSize } from '@gitlab-aws/core';
import type { GitLabTopology, TopologyNode } from '../topology';
import { nodesOf } from '../topology';
import { call, pgMd5, secret, set } from '../ruby';
import { GITLAB_DB_NAME, PORTS } from '../wiring';
import { consulSettings } from './common';

function postgresListen(t: GitLabTopology, trusted: string[]): string[] {
  return [
    set("postgresql['listen_address']", '0.0.0.0'),
    set("postgresql['port']", PORTS.postgres),
    '# Password (md5) authentication from the VPC; trust only for the listed addresses',
    set("postgresql['md5_auth_cidr_addresses']", [t.vpcCidr]),
    set("postgresql['trust_auth_cidr_addresses']", trusted),
    set("postgres_exporter['listen_address']", `0.0.0.0:${PORTS.postgresExporter}`),
  ];
}

/** GitLab's PostgreSQL: one plain node (poc/2k) or a Patroni member (3k). */
export function postgresRb(t: GitLabTopology, node: TopologyNode): string[] {
  if (!isHaSize(t.size)) {
    return [
      call('roles', ['postgres_role']),
      ...postgresListen(t, ['127.0.0.1/32']),
      set("postgresql['sql_user_password']", pgMd5('gitlab-db-password', 'gitlab')),
    ];
  }
  const members = nodesOf(t, 'postgres');
  return [
    // pgbouncer_role: the local PgBouncer that Database Load Balancing reads through (GitLab's 3K page).
    call('roles', ['patroni_role', 'pgbouncer_role']),
    // Patroni members trust each other (replication, pg_rewind), as GitLab's docs set up.
    ...postgresListen(t, [...members.map((m) => `${m.privateIp}/32`), '127.0.0.1/32']),
    '# Patroni: replication slots and WAL senders sized for this many members',
    set("patroni['listen_address']", '0.0.0.0'),
    set("patroni['connect_address']", node.privateIp),
    set("patroni['postgresql']['max_replication_slots']", members.length * 2),
    set("patroni['postgresql']['max_wal_senders']", members.length * 2 + 1),
    set("patroni['username']", 'gitlab-patroni'),
    set("patroni['password']", secret('patroni-api-password')),
    set("patroni['replication_password']", secret('replication-password')),
    set("postgresql['sql_user_password']", pgMd5('gitlab-db-password', 'gitlab')),
    set("postgresql['sql_replication_password']", pgMd5('replication-password', 'gitlab_replicator')),
    set("postgresql['pgbouncer_user_password']", pgMd5('pgbouncer-password', 'pgbouncer')),
    ...consulSettings(t, { server: false }),
    set("consul['services']", ['postgresql']),
    '# Local PgBouncer: Rails and Sidekiq read from this member through it (Database Load Balancing)',
    set("pgbouncer['listen_addr']", '0.0.0.0'),
    set("pgbouncer['listen_port']", PORTS.pgbouncer),
    set("pgbouncer['databases']", { [GITLAB_DB_NAME]: { host: '127.0.0.1', user: 'pgbouncer', password: pgMd5('pgbouncer-password', 'pgbouncer') } }),
  ];
}

/** Praefect's own PostgreSQL node (3k, when not on RDS). */
export function praefectPostgresRb(t: GitLabTopology): string[] {
  return [call('roles', ['postgres_role']), ...postgresListen(t, ['127.0.0.1/32'])];
}

/** PgBouncer (3k): follows the Patroni leader through Consul's watcher. */
export function pgbouncerRb(t: GitLabTopology): string[] {
  return [
    call('roles', ['pgbouncer_role']),
    set("pgbouncer['listen_addr']", '0.0.0.0'),
    set("pgbouncer['listen_port']", PORTS.pgbouncer),
    set("pgbouncer['admin_users']", ['pgbouncer']),
    set("pgbouncer['users']", { pgbouncer: { password: pgMd5('pgbouncer-password', 'pgbouncer') } }),
    set("pgbouncer['max_db_connections']", 150),
    set("pgbouncer_exporter['listen_address']", `0.0.0.0:${PORTS.pgbouncerExporter}`),
    ...consulSettings(t, { server: false }),
    set("consul['watchers']", ['postgresql']),
  ];
}
