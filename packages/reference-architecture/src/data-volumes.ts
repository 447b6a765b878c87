import { Construct } from 'constructs';
import { EbsVolume } from '@cdktf/provider-aws/lib/ebs-volume';
import type { GitLabNodeRole, ResourceNames } from '@gitlab-aws/core';
import type { RolePlan } from './architecture-plan';
import type { NodePlan } from './node-placement';
import { preventDestroy } from './protect';

/** Tag that puts a volume into the environment's AWS Backup plan; its value is the environment name. */
export const BACKUP_TAG = 'GitLabBackup';

/**
 * Roles whose data volumes AWS Backup snapshots: only where a crash-consistent snapshot is a backup
 * GitLab supports. A standalone Gitaly (poc, 2k) is, and so is 1k's all-in-one volume, which holds
 * repositories and PostgreSQL (with its WAL) together, so one snapshot is one consistent point in
 * time; Gitaly Cluster is not (its repositories are backed up by GitLab's own backup, server-side),
 * nor are separate database nodes, which gitlab-backup dumps.
 */
export function snapshotBackedUpRoles(gitalyCluster: boolean): readonly GitLabNodeRole[] {
  return gitalyCluster ? [] : ['gitaly', 'allInOne'];
}

export interface DataVolumesProps {
  readonly roles: readonly RolePlan[];
  readonly nodes: readonly NodePlan[];
  readonly kmsKeyArn: string;
  readonly names: ResourceNames;
  readonly protect: boolean;
  /** Roles whose volumes carry the backup tag. Default: none. */
  readonly backedUpRoles?: readonly GitLabNodeRole[];
}

/**
 * One encrypted gp3 data volume per node of a role that keeps data, created before the nodes so
 * the GitLab configuration can name each node's volume (the boot script finds it by its ID).
 */
export class DataVolumes extends Construct {
  /** Volume per node name. */
  readonly volumes: Record<string, EbsVolume> = {};

  constructor(scope: Construct, id: string, props: DataVolumesProps) {
    super(scope, id);
    const byRole = new Map(props.roles.map((r) => [r.role, r]));
    for (const node of props.nodes) {
      const spec = byRole.get(node.role)?.dataVolume;
      if (!spec) continue;
      const volume = new EbsVolume(this, `${node.name}-data`, {
        availabilityZone: node.availabilityZone,
        type: 'gp3',
        size: spec.sizeGiB,
        iops: spec.iops,
        throughput: spec.throughput,
        encrypted: true,
        kmsKeyId: props.kmsKeyArn,
        finalSnapshot: props.protect,
        tags: {
          Name: props.names.name(`${node.name}-data`),
          GitLabRole: node.role,
          GitLabNode: node.name,
          ...((props.backedUpRoles ?? []).includes(node.role) ? { [BACKUP_TAG]: props.names.environment } : {}),
        },
      });
      preventDestroy(props.protect, volume);
      this.volumes[node.name] = volume;
    }
  }
}
