import { readPolicy } from '../iam-policy';
import { blocks, bool, num, type JsonObject, type ResourceIndex, type TfResource } from '../terraform-json';
import { perResource, type Rule } from './rule';

const PAB_FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
const PUBLIC_ACLS = ['public-read', 'public-read-write', 'authenticated-read'];

/** Resources of a companion type (aws_s3_bucket_versioning...) that configure this bucket. */
function companions(index: ResourceIndex, bucket: TfResource, type: string): TfResource[] {
  return index.pointingAt(bucket, [type], 'bucket', bucket.values.bucket);
}

/** A bucket whose every object expires (a cache, a scratch area) holds no state worth versioning. */
export function isEphemeralBucket(index: ResourceIndex, bucket: TfResource): boolean {
  const rules: JsonObject[] = [
    ...companions(index, bucket, 'aws_s3_bucket_lifecycle_configuration').flatMap((l) => blocks(l.values.rule)),
    ...blocks(bucket.values.lifecycle_rule).map((r): JsonObject => ({ ...r, status: bool(r.enabled) ? 'Enabled' : 'Disabled' })),
  ];
  return rules.some((r) => {
    if (r.status !== 'Enabled') return false;
    const filter = blocks(r.filter)[0];
    const scoped = (filter && Object.keys(filter).some((k) => filter[k] !== '' && filter[k] !== null)) || (typeof r.prefix === 'string' && r.prefix !== '');
    const days = num(blocks(r.expiration)[0]?.days);
    return !scoped && days !== undefined && days > 0;
  });
}

export const s3Rules: Rule[] = [
  {
    id: 'GLA-S3-001',
    severity: 'high',
    title: 'Buckets have a public access block',
    checkov: ['CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56', 'CKV2_AWS_6'],
    trivy: ['AWS-0086', 'AWS-0087', 'AWS-0091', 'AWS-0093', 'AWS-0094'],
    fix: 'Add an aws_s3_bucket_public_access_block for the bucket with all four settings true.',
    check: perResource(['aws_s3_bucket'], (r, { index }) =>
      companions(index, r, 'aws_s3_bucket_public_access_block').length ? undefined : `aws_s3_bucket ${r.address} has no aws_s3_bucket_public_access_block`,
    ),
  },
  {
    id: 'GLA-S3-002',
    severity: 'high',
    title: 'Public access blocks block everything',
    checkov: ['CKV_AWS_53', 'CKV_AWS_54', 'CKV_AWS_55', 'CKV_AWS_56'],
    trivy: ['AWS-0086', 'AWS-0087', 'AWS-0091', 'AWS-0093'],
    fix: 'Set block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets to true.',
    check: perResource(['aws_s3_bucket_public_access_block', 'aws_s3_account_public_access_block'], (r) => {
      const off = PAB_FLAGS.filter((f) => bool(r.values[f]) !== true);
      return off.length ? `${r.type} ${r.address} leaves ${off.join(', ')} off` : undefined;
    }),
  },
  {
    id: 'GLA-S3-003',
    severity: 'medium',
    title: 'Buckets declare server-side encryption',
    checkov: ['CKV_AWS_19', 'CKV_AWS_145'],
    trivy: ['AWS-0088', 'AWS-0132'],
    fix: 'Add an aws_s3_bucket_server_side_encryption_configuration (aws:kms with a customer-managed key for sensitive data).',
    check: perResource(['aws_s3_bucket'], (r, { index }) =>
      companions(index, r, 'aws_s3_bucket_server_side_encryption_configuration').length || blocks(r.values.server_side_encryption_configuration).length
        ? undefined
        : `aws_s3_bucket ${r.address} declares no server-side encryption configuration`,
    ),
  },
  {
    id: 'GLA-S3-004',
    severity: 'medium',
    title: 'Bucket policies deny requests without TLS',
    checkov: [],
    trivy: [],
    fix: 'Attach a bucket policy with a Deny statement for all principals when aws:SecureTransport is "false".',
    check: perResource(['aws_s3_bucket'], (r, { index }) => {
      const policies = companions(index, r, 'aws_s3_bucket_policy');
      const tlsOnly = policies.some((p) =>
        readPolicy(p.values.policy, index).statements.some(
          (s) => s.effect === 'Deny' && s.conditions.some((c) => c.variable === 'aws:SecureTransport' && c.values.includes('false')),
        ),
      );
      return tlsOnly ? undefined : `aws_s3_bucket ${r.address} has no bucket policy that denies requests without TLS (aws:SecureTransport)`;
    }),
  },
  {
    id: 'GLA-S3-005',
    severity: 'medium',
    title: 'Stateful buckets are versioned',
    checkov: ['CKV_AWS_21'],
    trivy: ['AWS-0090'],
    fix: 'Add an aws_s3_bucket_versioning with status "Enabled" (and a lifecycle rule for noncurrent versions); buckets whose objects all expire are exempt.',
    check: perResource(['aws_s3_bucket'], (r, { index }) => {
      if (isEphemeralBucket(index, r)) return undefined;
      const versioned =
        companions(index, r, 'aws_s3_bucket_versioning').some((v) => blocks(v.values.versioning_configuration)[0]?.status === 'Enabled') ||
        bool(blocks(r.values.versioning)[0]?.enabled) === true;
      return versioned ? undefined : `aws_s3_bucket ${r.address} keeps state but is not versioned`;
    }),
  },
  {
    id: 'GLA-S3-006',
    severity: 'critical',
    title: 'Buckets have no public ACL',
    checkov: ['CKV_AWS_20', 'CKV_AWS_57'],
    trivy: ['AWS-0092'],
    fix: 'Use acl = "private" or, better, object ownership BucketOwnerEnforced with no ACL at all.',
    check: perResource(['aws_s3_bucket_acl', 'aws_s3_bucket'], (r) => {
      const acl = r.values.acl;
      return typeof acl === 'string' && PUBLIC_ACLS.includes(acl) ? `${r.type} ${r.address} grants the ACL "${acl}"` : undefined;
    }),
  },
];
