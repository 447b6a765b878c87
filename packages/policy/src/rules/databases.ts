import { bool, num } from '../terraform-json';
import { perResource, type Rule } from './rule';

const RDS = ['aws_db_instance', 'aws_rds_cluster'];

export const databaseRules: Rule[] = [
  {
    id: 'GLA-RDS-001',
    severity: 'high',
    title: 'RDS storage is encrypted',
    checkov: ['CKV_AWS_16'],
    trivy: ['AWS-0080'],
    fix: 'Set storage_encrypted = true (with kms_key_id for a customer-managed key).',
    check: perResource(RDS, (r) => {
      // Read replicas inherit encryption from their source.
      if (r.values.replicate_source_db !== undefined) return undefined;
      return bool(r.values.storage_encrypted) === true ? undefined : `${r.type} ${r.address} stores data unencrypted (storage_encrypted is not true)`;
    }),
  },
  {
    id: 'GLA-RDS-002',
    severity: 'critical',
    title: 'Databases are not publicly accessible',
    checkov: ['CKV_AWS_17'],
    trivy: [],
    fix: 'Set publicly_accessible = false and keep the database in private subnets.',
    check: perResource(['aws_db_instance', 'aws_rds_cluster_instance'], (r) =>
      bool(r.values.publicly_accessible) === true ? `${r.type} ${r.address} is publicly accessible` : undefined,
    ),
  },
  {
    id: 'GLA-RDS-003',
    severity: 'medium',
    title: 'Production databases are Multi-AZ',
    checkov: ['CKV_AWS_157'],
    trivy: [],
    fix: 'Set multi_az = true (a Multi-AZ DB instance, which GitLab supports; not a Multi-AZ DB cluster).',
    check: perResource(['aws_db_instance'], (r, { context }) => {
      if (!context.production || r.values.replicate_source_db !== undefined) return undefined;
      return bool(r.values.multi_az) === true ? undefined : `aws_db_instance ${r.address} runs in one availability zone in a production environment`;
    }),
  },
  {
    id: 'GLA-RDS-004',
    severity: 'high',
    title: 'Production databases have deletion protection',
    checkov: ['CKV_AWS_293'],
    trivy: ['AWS-0177'],
    fix: 'Set deletion_protection = true.',
    check: perResource(RDS, (r, { context }) =>
      context.production && bool(r.values.deletion_protection) !== true ? `${r.type} ${r.address} can be deleted (deletion_protection is not true) in a production environment` : undefined,
    ),
  },
  {
    id: 'GLA-RDS-005',
    severity: 'medium',
    title: 'Production databases keep at least 7 days of backups',
    checkov: ['CKV_AWS_133'],
    trivy: ['AWS-0077'],
    fix: 'Set backup_retention_period to 7 or more (35 at most) days.',
    check: perResource(RDS, (r, { context }) => {
      if (!context.production || r.values.replicate_source_db !== undefined) return undefined;
      const days = num(r.values.backup_retention_period) ?? (r.type === 'aws_rds_cluster' ? 1 : 0);
      return days >= 7 ? undefined : `${r.type} ${r.address} keeps ${days} day(s) of automated backups in a production environment`;
    }),
  },
  {
    id: 'GLA-ECA-001',
    severity: 'high',
    title: 'ElastiCache encrypts data at rest',
    checkov: ['CKV_AWS_29'],
    trivy: ['AWS-0045'],
    fix: 'Set at_rest_encryption_enabled = true on the replication group.',
    check: perResource(['aws_elasticache_replication_group'], (r) =>
      bool(r.values.at_rest_encryption_enabled) === true ? undefined : `aws_elasticache_replication_group ${r.address} stores data unencrypted`,
    ),
  },
  {
    id: 'GLA-ECA-002',
    severity: 'high',
    title: 'ElastiCache encrypts data in transit',
    checkov: ['CKV_AWS_30'],
    trivy: ['AWS-0051'],
    fix: 'Set transit_encryption_enabled = true (GitLab connects with rediss://).',
    check: perResource(['aws_elasticache_replication_group'], (r) =>
      bool(r.values.transit_encryption_enabled) === true ? undefined : `aws_elasticache_replication_group ${r.address} accepts unencrypted connections`,
    ),
  },
  {
    id: 'GLA-ECA-003',
    severity: 'medium',
    title: 'ElastiCache requires authentication',
    checkov: ['CKV_AWS_31'],
    trivy: [],
    fix: 'Set auth_token (from a secret, never a literal) or user_group_ids on the replication group.',
    check: perResource(['aws_elasticache_replication_group'], (r) =>
      r.values.auth_token !== undefined || r.values.user_group_ids !== undefined ? undefined : `aws_elasticache_replication_group ${r.address} accepts clients without a password`,
    ),
  },
  {
    id: 'GLA-ECA-004',
    severity: 'medium',
    title: 'Redis runs as a replication group',
    checkov: [],
    trivy: [],
    fix: 'Use aws_elasticache_replication_group (encryption, failover) instead of a stand-alone Redis aws_elasticache_cluster.',
    check: perResource(['aws_elasticache_cluster'], (r) =>
      r.values.replication_group_id === undefined && (r.values.engine === 'redis' || r.values.engine === 'valkey')
        ? `aws_elasticache_cluster ${r.address} is a stand-alone ${String(r.values.engine)} node without encryption or failover`
        : undefined,
    ),
  },
];
