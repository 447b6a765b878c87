import { messagesOf, ref, type Values } from '../__fixtures__/findings';
import { STATEFUL_TYPES } from './data-protection';

const parameter = (values: Values) => ({ 'aws_ssm_parameter.p': values });

describe('GLA-SSM-001: secret-looking parameters are SecureString', () => {
  it.each(['/ci/runner-token', '/db/PASSWORD', '/db/passwd', '/app/client_secret', '/tls/private_key', '/tls/private-key', '/tls/privatekey', '/aws/credentials', '/svc/api_key', '/svc/api-key', '/svc/apikey'])(
    'flags %s stored as a String',
    (name) => {
      expect(messagesOf('GLA-SSM-001', parameter({ name, type: 'String', value: 'x' }))).toEqual([`aws_ssm_parameter.p ("${name}") looks like a secret but is a String parameter`]);
    },
  );

  it('names the resource when the parameter has no literal name, and a missing type as String', () => {
    expect(messagesOf('GLA-SSM-001', { 'aws_ssm_parameter.db_password': { value: 'x' } })).toEqual([
      'aws_ssm_parameter.db_password ("db_password") looks like a secret but is a String parameter',
    ]);
    expect(messagesOf('GLA-SSM-001', parameter({ name: '/x/token', type: 'StringList' }))).toEqual(['aws_ssm_parameter.p ("/x/token") looks like a secret but is a StringList parameter']);
  });

  it('accepts SecureString secrets and plain names', () => {
    expect(messagesOf('GLA-SSM-001', parameter({ name: '/x/token', type: 'SecureString' }))).toEqual([]);
    expect(messagesOf('GLA-SSM-001', parameter({ name: '/gitlab/external-url', type: 'String' }))).toEqual([]);
  });
});

describe('GLA-SSM-002: no literal secret values', () => {
  const literal = ['aws_ssm_parameter.p carries its secret value as a literal in the synthesized JSON (and so in every copy of it)'];

  it('flags a literal value or write-only value of a SecureString', () => {
    expect(messagesOf('GLA-SSM-002', parameter({ type: 'SecureString', value: 'hunter2-not-real' }))).toEqual(literal);
    expect(messagesOf('GLA-SSM-002', parameter({ type: 'SecureString', value_wo: 'hunter2-not-real' }))).toEqual(literal);
    expect(messagesOf('GLA-SSM-002', parameter({ type: 'SecureString', value: 'x', lifecycle: { ignore_changes: ['tags'] } }))).toEqual(literal);
  });

  it('accepts references, ignored values, no value at all, and String parameters', () => {
    expect(messagesOf('GLA-SSM-002', parameter({ type: 'SecureString', value: ref('random_password.p') }))).toEqual([]);
    expect(messagesOf('GLA-SSM-002', parameter({ type: 'SecureString', value: 'x', lifecycle: { ignore_changes: 'all' } }))).toEqual([]);
    expect(messagesOf('GLA-SSM-002', parameter({ type: 'SecureString', value: 'x', lifecycle: [{ ignore_changes: ['value'] }] }))).toEqual([]);
    expect(messagesOf('GLA-SSM-002', parameter({ type: 'SecureString' }))).toEqual([]);
    expect(messagesOf('GLA-SSM-002', parameter({ type: 'String', value: 'https://gitlab.example.com' }))).toEqual([]);
  });
});

describe('GLA-LOG-001/002: log groups', () => {
  it('flags the service key and unlimited retention separately', () => {
    const group = { 'aws_cloudwatch_log_group.g': {} };
    expect(messagesOf('GLA-LOG-001', group)).toEqual(['aws_cloudwatch_log_group.g is encrypted only with the service key']);
    expect(messagesOf('GLA-LOG-002', group)).toEqual(['aws_cloudwatch_log_group.g keeps logs forever (no retention_in_days)']);
    expect(messagesOf('GLA-LOG-002', { 'aws_cloudwatch_log_group.g': { retention_in_days: '30' } })).toEqual([]);
  });
});

describe('GLA-KMS-001: key rotation', () => {
  const key = (values: Values) => messagesOf('GLA-KMS-001', { 'aws_kms_key.k': values });
  const noRotation = ['aws_kms_key.k does not rotate its key material'];

  it('applies to symmetric encryption keys, stated or by default', () => {
    expect(key({})).toEqual(noRotation);
    expect(key({ key_usage: 'ENCRYPT_DECRYPT', customer_master_key_spec: 'SYMMETRIC_DEFAULT', enable_key_rotation: false })).toEqual(noRotation);
    expect(key({ enable_key_rotation: 'true' })).toEqual([]);
  });

  it('skips keys that cannot rotate: signing, MAC and asymmetric keys', () => {
    expect(key({ key_usage: 'SIGN_VERIFY' })).toEqual([]);
    expect(key({ key_usage: 'GENERATE_VERIFY_MAC', customer_master_key_spec: 'HMAC_256' })).toEqual([]);
    expect(key({ key_usage: 'ENCRYPT_DECRYPT', customer_master_key_spec: 'RSA_4096' })).toEqual([]);
  });
});

describe('GLA-TF-001: prevent_destroy on stateful resources in production', () => {
  it('knows the nine stateful types', () => {
    expect([...STATEFUL_TYPES].sort()).toEqual([
      'aws_backup_vault',
      'aws_db_instance',
      'aws_dynamodb_table',
      'aws_ebs_volume',
      'aws_efs_file_system',
      'aws_elasticache_replication_group',
      'aws_kms_key',
      'aws_rds_cluster',
      'aws_s3_bucket',
    ]);
  });

  it.each(STATEFUL_TYPES.map((t) => [t]))('flags an unprotected %s, and accepts a protected one', (type) => {
    expect(messagesOf('GLA-TF-001', { [`${type}.x`]: {} })).toEqual([`${type}.x holds data but a destroy would delete it (no lifecycle.prevent_destroy) in a production environment`]);
    expect(messagesOf('GLA-TF-001', { [`${type}.x`]: { lifecycle: [{ prevent_destroy: 'true' }] } })).toEqual([]);
  });

  it('ignores stateless resources and a prevent_destroy of false', () => {
    expect(messagesOf('GLA-TF-001', { 'aws_instance.x': {}, 'aws_ebs_volume.v': { lifecycle: { prevent_destroy: false } } })).toEqual([
      'aws_ebs_volume.v holds data but a destroy would delete it (no lifecycle.prevent_destroy) in a production environment',
    ]);
  });

  it('exempts only buckets whose objects all expire', () => {
    const expiring = { rule: [{ status: 'Enabled', expiration: { days: 3 } }] };
    expect(messagesOf('GLA-TF-001', { 'aws_s3_bucket.cache': { bucket: 'cache', lifecycle_rule: [{ enabled: true, expiration: { days: 3 } }] } })).toEqual([]);
    expect(messagesOf('GLA-TF-001', { 'aws_ebs_volume.v': {}, 'aws_s3_bucket_lifecycle_configuration.l': { bucket: ref('aws_ebs_volume.v'), ...expiring } })).toHaveLength(1);
  });
});
