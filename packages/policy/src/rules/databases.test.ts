import { messagesOf, type Values } from '../__fixtures__/findings';

const replica = { replicate_source_db: '${aws_db_instance.primary.identifier}' };

describe('GLA-RDS-001: storage encryption', () => {
  it('flags instances and clusters whose storage_encrypted is not true', () => {
    expect(messagesOf('GLA-RDS-001', { 'aws_db_instance.db': { storage_encrypted: 'false' }, 'aws_rds_cluster.c': {} })).toEqual([
      'aws_db_instance aws_db_instance.db stores data unencrypted (storage_encrypted is not true)',
      'aws_rds_cluster aws_rds_cluster.c stores data unencrypted (storage_encrypted is not true)',
    ]);
    expect(messagesOf('GLA-RDS-001', { 'aws_db_instance.db': { storage_encrypted: 'true' }, 'aws_rds_cluster.c': { storage_encrypted: true } })).toEqual([]);
  });

  it('leaves read replicas to their source', () => {
    expect(messagesOf('GLA-RDS-001', { 'aws_db_instance.replica': replica })).toEqual([]);
  });
});

describe('GLA-RDS-002: public accessibility', () => {
  it('flags instances and cluster instances that are publicly accessible', () => {
    expect(messagesOf('GLA-RDS-002', { 'aws_rds_cluster_instance.i': { publicly_accessible: 'true' }, 'aws_db_instance.db': {} })).toEqual([
      'aws_rds_cluster_instance aws_rds_cluster_instance.i is publicly accessible',
    ]);
  });
});

describe('GLA-RDS-003: Multi-AZ in production', () => {
  it('flags a single-AZ primary in production only', () => {
    expect(messagesOf('GLA-RDS-003', { 'aws_db_instance.db': {} })).toEqual(['aws_db_instance aws_db_instance.db runs in one availability zone in a production environment']);
    expect(messagesOf('GLA-RDS-003', { 'aws_db_instance.db': { multi_az: 'true' } })).toEqual([]);
    expect(messagesOf('GLA-RDS-003', { 'aws_db_instance.db': {} }, { production: false })).toEqual([]);
  });

  it('leaves read replicas alone', () => {
    expect(messagesOf('GLA-RDS-003', { 'aws_db_instance.replica': replica })).toEqual([]);
  });
});

describe('GLA-RDS-004: deletion protection in production', () => {
  it('flags instances and clusters without deletion protection', () => {
    expect(messagesOf('GLA-RDS-004', { 'aws_db_instance.db': { deletion_protection: false }, 'aws_rds_cluster.c': { deletion_protection: 'true' } })).toEqual([
      'aws_db_instance aws_db_instance.db can be deleted (deletion_protection is not true) in a production environment',
    ]);
  });
});

describe('GLA-RDS-005: backup retention in production', () => {
  const days = (type: string, values: Values, production = true) => messagesOf('GLA-RDS-005', { [`${type}.db`]: values }, { production });

  it('accepts 7 days and more, and flags 6', () => {
    expect(days('aws_db_instance', { backup_retention_period: 7 })).toEqual([]);
    expect(days('aws_rds_cluster', { backup_retention_period: '35' })).toEqual([]);
    expect(days('aws_db_instance', { backup_retention_period: 6 })).toEqual([
      'aws_db_instance aws_db_instance.db keeps 6 day(s) of automated backups in a production environment',
    ]);
  });

  it('uses the AWS defaults when unset: 0 days for an instance, 1 for a cluster', () => {
    expect(days('aws_db_instance', {})).toEqual(['aws_db_instance aws_db_instance.db keeps 0 day(s) of automated backups in a production environment']);
    expect(days('aws_rds_cluster', {})).toEqual(['aws_rds_cluster aws_rds_cluster.db keeps 1 day(s) of automated backups in a production environment']);
  });

  it('skips read replicas and non-production environments', () => {
    expect(days('aws_db_instance', replica)).toEqual([]);
    expect(days('aws_db_instance', { backup_retention_period: 1 }, false)).toEqual([]);
  });
});

describe('GLA-ECA-001..003: ElastiCache replication groups', () => {
  const group = (values: Values) => ({ 'aws_elasticache_replication_group.r': values });
  const secure = { at_rest_encryption_enabled: 'true', transit_encryption_enabled: 'true', auth_token: '${random_password.r.result}' };

  it('accepts a group with encryption at rest and in transit and a password', () => {
    for (const id of ['GLA-ECA-001', 'GLA-ECA-002', 'GLA-ECA-003']) expect(messagesOf(id, group(secure))).toEqual([]);
  });

  it('flags each missing setting with its own message', () => {
    expect(messagesOf('GLA-ECA-001', group({}))).toEqual(['aws_elasticache_replication_group aws_elasticache_replication_group.r stores data unencrypted']);
    expect(messagesOf('GLA-ECA-002', group({ transit_encryption_enabled: false }))).toEqual([
      'aws_elasticache_replication_group aws_elasticache_replication_group.r accepts unencrypted connections',
    ]);
    expect(messagesOf('GLA-ECA-003', group({}))).toEqual(['aws_elasticache_replication_group aws_elasticache_replication_group.r accepts clients without a password']);
  });

  it('accepts RBAC user groups instead of a token', () => {
    expect(messagesOf('GLA-ECA-003', group({ user_group_ids: ['${aws_elasticache_user_group.g.id}'] }))).toEqual([]);
  });
});

describe('GLA-ECA-004: stand-alone Redis', () => {
  it('flags stand-alone redis and valkey nodes', () => {
    expect(messagesOf('GLA-ECA-004', { 'aws_elasticache_cluster.v': { engine: 'valkey' } })).toEqual([
      'aws_elasticache_cluster aws_elasticache_cluster.v is a stand-alone valkey node without encryption or failover',
    ]);
  });

  it('accepts memcached and members of a replication group', () => {
    expect(messagesOf('GLA-ECA-004', { 'aws_elasticache_cluster.m': { engine: 'memcached' }, 'aws_elasticache_cluster.r': { engine: 'redis', replication_group_id: 'g' } })).toEqual([]);
  });
});
