import { messagesOf, policy, ref, type Values } from '../__fixtures__/findings';

const bucket = { 'aws_s3_bucket.b': { bucket: 'artifacts' } };
const ALL_ON = { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };
const lifecycle = (rule: Values) => ({ 'aws_s3_bucket_lifecycle_configuration.b': { bucket: ref('aws_s3_bucket.b'), rule: [rule] } });
/** GLA-S3-005 on the bucket with these extra resources: the versioning rule exempts only buckets whose objects all expire. */
const versioningFindings = (extra: Values, inline: Values = {}) => messagesOf('GLA-S3-005', { 'aws_s3_bucket.b': { bucket: 'artifacts', ...inline }, ...extra });
const NOT_VERSIONED = 'aws_s3_bucket aws_s3_bucket.b keeps state but is not versioned';

describe('GLA-S3-001: public access block', () => {
  it('needs a block that points at this bucket, by reference or by name', () => {
    expect(messagesOf('GLA-S3-001', { ...bucket, 'aws_s3_bucket_public_access_block.b': { bucket: 'artifacts', ...ALL_ON } })).toEqual([]);
    expect(messagesOf('GLA-S3-001', { ...bucket, 'aws_s3_bucket_public_access_block.o': { bucket: 'other', ...ALL_ON } })).toEqual([
      'aws_s3_bucket aws_s3_bucket.b has no aws_s3_bucket_public_access_block',
    ]);
  });
});

describe('GLA-S3-002: every public access setting on', () => {
  it('lists each setting left off, on bucket and account blocks', () => {
    expect(messagesOf('GLA-S3-002', { 'aws_s3_bucket_public_access_block.b': { bucket: 'x' } })).toEqual([
      'aws_s3_bucket_public_access_block aws_s3_bucket_public_access_block.b leaves block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets off',
    ]);
    expect(messagesOf('GLA-S3-002', { 'aws_s3_account_public_access_block.a': { ...ALL_ON, block_public_acls: false, ignore_public_acls: 'false' } })).toEqual([
      'aws_s3_account_public_access_block aws_s3_account_public_access_block.a leaves block_public_acls, ignore_public_acls off',
    ]);
  });

  it('accepts the string form "true"', () => {
    expect(messagesOf('GLA-S3-002', { 'aws_s3_account_public_access_block.a': { block_public_acls: 'true', block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: 'true' } })).toEqual([]);
  });
});

describe('GLA-S3-003: server-side encryption', () => {
  it('accepts an inline configuration block (provider v3 style)', () => {
    expect(messagesOf('GLA-S3-003', { 'aws_s3_bucket.b': { bucket: 'artifacts', server_side_encryption_configuration: { rule: { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } } } } })).toEqual([]);
  });

  it('does not take another bucket\'s configuration', () => {
    expect(messagesOf('GLA-S3-003', { ...bucket, 'aws_s3_bucket_server_side_encryption_configuration.o': { bucket: 'other', rule: [] } })).toEqual([
      'aws_s3_bucket aws_s3_bucket.b declares no server-side encryption configuration',
    ]);
  });
});

describe('GLA-S3-004: TLS-only bucket policy', () => {
  const withPolicy = (statement: object, target = ref('aws_s3_bucket.b')) => messagesOf('GLA-S3-004', { ...bucket, 'aws_s3_bucket_policy.p': { bucket: target, policy: policy(statement) } });
  const tlsDeny = { Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } };
  const missing = 'aws_s3_bucket aws_s3_bucket.b has no bucket policy that denies requests without TLS (aws:SecureTransport)';

  it('accepts a Deny on aws:SecureTransport "false"', () => {
    expect(withPolicy(tlsDeny)).toEqual([]);
    expect(withPolicy({ ...tlsDeny, Condition: { Bool: { 'aws:SecureTransport': ['false'] } } })).toEqual([]);
  });

  it('refuses any other Deny, an Allow on the same condition, and a policy of another bucket', () => {
    expect(withPolicy({ ...tlsDeny, Condition: { Bool: { 'aws:SecureTransport': 'true' } } })).toEqual([missing]);
    expect(withPolicy({ ...tlsDeny, Condition: { Bool: { 'aws:ViaAWSService': 'false' } } })).toEqual([missing]);
    expect(withPolicy({ ...tlsDeny, Condition: undefined })).toEqual([missing]);
    expect(withPolicy({ ...tlsDeny, Effect: 'Allow' })).toEqual([missing]);
    expect(withPolicy(tlsDeny, 'other')).toEqual([missing]);
    expect(messagesOf('GLA-S3-004', bucket)).toEqual([missing]);
  });
});

describe('GLA-S3-005: versioning', () => {
  it('accepts Enabled versioning (resource or inline block), nothing else', () => {
    const versioning = (status: string) => ({ 'aws_s3_bucket_versioning.v': { bucket: ref('aws_s3_bucket.b'), versioning_configuration: [{ status }] } });
    expect(versioningFindings(versioning('Enabled'))).toEqual([]);
    expect(versioningFindings(versioning('Suspended'))).toEqual([NOT_VERSIONED]);
    expect(versioningFindings({}, { versioning: { enabled: true } })).toEqual([]);
    expect(versioningFindings({}, { versioning: { enabled: 'true' } })).toEqual([]);
    expect(versioningFindings({}, { versioning: { enabled: false } })).toEqual([NOT_VERSIONED]);
    expect(versioningFindings({})).toEqual([NOT_VERSIONED]);
  });
});

describe('buckets whose objects all expire (exempt from versioning and prevent_destroy)', () => {
  it('exempts an enabled, unscoped expiration rule of a lifecycle configuration', () => {
    expect(versioningFindings(lifecycle({ status: 'Enabled', expiration: { days: 1 } }))).toEqual([]);
    expect(versioningFindings(lifecycle({ status: 'Enabled', filter: [{ prefix: '' }], expiration: [{ days: 30 }] }))).toEqual([]);
    expect(versioningFindings(lifecycle({ status: 'Enabled', filter: { prefix: null }, expiration: { days: '30' } }))).toEqual([]);
    expect(versioningFindings(lifecycle({ status: 'Enabled', prefix: '', expiration: { days: 30 } }))).toEqual([]);
  });

  it('exempts an enabled inline lifecycle_rule (provider v3 style)', () => {
    expect(versioningFindings({}, { lifecycle_rule: [{ enabled: true, expiration: { days: 7 } }] })).toEqual([]);
    expect(versioningFindings({}, { lifecycle_rule: [{ enabled: 'true', expiration: { days: 7 } }] })).toEqual([]);
  });

  it('keeps the rule for disabled, scoped, zero-day or date-based expirations', () => {
    expect(versioningFindings(lifecycle({ status: 'Disabled', expiration: { days: 1 } }))).toEqual([NOT_VERSIONED]);
    expect(versioningFindings({}, { lifecycle_rule: [{ enabled: false, expiration: { days: 7 } }] })).toEqual([NOT_VERSIONED]);
    expect(versioningFindings({}, { lifecycle_rule: [{ expiration: { days: 7 } }] })).toEqual([NOT_VERSIONED]);
    expect(versioningFindings(lifecycle({ status: 'Enabled', filter: { tag: { key: 'tmp', value: 'true' } }, expiration: { days: 1 } }))).toEqual([NOT_VERSIONED]);
    expect(versioningFindings(lifecycle({ status: 'Enabled', prefix: 'tmp/', expiration: { days: 1 } }))).toEqual([NOT_VERSIONED]);
    expect(versioningFindings(lifecycle({ status: 'Enabled', expiration: { days: 0 } }))).toEqual([NOT_VERSIONED]);
    expect(versioningFindings(lifecycle({ status: 'Enabled', expiration: { date: '2030-01-01T00:00:00Z' } }))).toEqual([NOT_VERSIONED]);
    expect(versioningFindings(lifecycle({ status: 'Enabled', noncurrent_version_expiration: { noncurrent_days: 1 } }))).toEqual([NOT_VERSIONED]);
  });

  it('exempts the bucket when any one rule expires everything', () => {
    const rules = { 'aws_s3_bucket_lifecycle_configuration.b': { bucket: 'artifacts', rule: [{ status: 'Enabled', prefix: 'tmp/', expiration: { days: 1 } }, { status: 'Enabled', expiration: { days: 90 } }] } };
    expect(versioningFindings(rules)).toEqual([]);
  });

  it('does not take another bucket\'s lifecycle', () => {
    expect(versioningFindings({ 'aws_s3_bucket_lifecycle_configuration.o': { bucket: 'other', rule: [{ status: 'Enabled', expiration: { days: 1 } }] } })).toEqual([NOT_VERSIONED]);
  });
});

describe('GLA-S3-006: public ACLs', () => {
  it.each(['public-read', 'public-read-write', 'authenticated-read'])('flags %s on a bucket or an ACL resource', (acl) => {
    expect(messagesOf('GLA-S3-006', { 'aws_s3_bucket.b': { bucket: 'artifacts', acl }, 'aws_s3_bucket_acl.a': { bucket: 'artifacts', acl } })).toEqual([
      `aws_s3_bucket aws_s3_bucket.b grants the ACL "${acl}"`,
      `aws_s3_bucket_acl aws_s3_bucket_acl.a grants the ACL "${acl}"`,
    ]);
  });

  it('accepts private, log-delivery-write and an ACL given as a grant list', () => {
    expect(messagesOf('GLA-S3-006', { 'aws_s3_bucket.b': { bucket: 'artifacts', acl: 'private' }, 'aws_s3_bucket_acl.a': { bucket: 'artifacts', acl: 'log-delivery-write' }, 'aws_s3_bucket_acl.g': { access_control_policy: { grant: [] } } })).toEqual([]);
  });
});
