import type { NodeRole } from './topology';

/**
 * Where each stateful role keeps its data: the mount point of the node's EBS data volume. The
 * boot script formats the volume (only when it holds no filesystem) and mounts it here by UUID
 * before the package is installed, so everything the role writes under it lands on the volume.
 */
export const DATA_PATHS: Readonly<Partial<Record<NodeRole, string>>> = {
  /** 1k's one node: all of the package's data (repositories, PostgreSQL, Redis, Prometheus) on one volume. */
  'all-in-one': '/var/opt/gitlab',
  /** Gitaly storage (repositories under git-data/repositories, the same path in every size). */
  gitaly: '/var/opt/gitlab/git-data',
  /** PostgreSQL data dir (/var/opt/gitlab/postgresql/data), also Patroni's. */
  postgres: '/var/opt/gitlab/postgresql',
  /** Praefect's PostgreSQL data dir. */
  'praefect-postgres': '/var/opt/gitlab/postgresql',
  /** Redis dump and append-only files. */
  redis: '/var/opt/gitlab/redis',
  /** The cache cluster's Redis: the same path (it is the same service on its own nodes). */
  'redis-cache': '/var/opt/gitlab/redis',
  /** Prometheus time series. */
  monitoring: '/var/opt/gitlab/prometheus',
};

/** Gitaly's storage path, under the data mount: one path for every size. */
export const GITALY_STORAGE_PATH = `${DATA_PATHS.gitaly}/repositories`;

/** The mount point of a role's data volume, or undefined when the role keeps no data. */
export function dataPathOf(role: NodeRole): string | undefined {
  return DATA_PATHS[role];
}

/** An EBS volume ID, or a Terraform reference that resolves to one. */
export const VOLUME_ID = /^(vol-[0-9a-f]{8,17}|\$\{.+\})$/;
