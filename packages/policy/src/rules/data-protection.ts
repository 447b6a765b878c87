import { blocks, bool, isExpression, num, strings, type TfResource } from '../terraform-json';
import { perResource, type Rule } from './rule';
import { isEphemeralBucket } from './s3';

/** Parameter names that announce a secret. */
const SECRET_NAME = /(token|password|passwd|secret|private[-_]?key|credential|api[-_]?key)/i;

/** Resources whose destruction loses data. */
export const STATEFUL_TYPES = [
  'aws_db_instance',
  'aws_rds_cluster',
  'aws_ebs_volume',
  'aws_efs_file_system',
  'aws_elasticache_replication_group',
  'aws_s3_bucket',
  'aws_dynamodb_table',
  'aws_kms_key',
  'aws_backup_vault',
];

const ignoresValue = (r: TfResource) => blocks(r.values.lifecycle).some((l) => l.ignore_changes === 'all' || strings(l.ignore_changes).includes('value'));

export const dataProtectionRules: Rule[] = [
  {
    id: 'GLA-SSM-001',
    severity: 'high',
    title: 'Secrets in SSM are SecureString parameters',
    checkov: [],
    trivy: [],
    fix: 'Set type = "SecureString" (with a KMS key the reader\'s role may use).',
    check: perResource(['aws_ssm_parameter'], (r) => {
      const name = String(r.values.name ?? r.name);
      return SECRET_NAME.test(name) && r.values.type !== 'SecureString' ? `${r.address} ("${name}") looks like a secret but is a ${String(r.values.type ?? 'String')} parameter` : undefined;
    }),
  },
  {
    id: 'GLA-SSM-002',
    severity: 'high',
    title: 'Secret parameter values are not written into the configuration',
    checkov: [],
    trivy: [],
    fix: 'Create the parameter with a placeholder and lifecycle { ignore_changes = [value] }, or pass the value from a resource that produces it (e.g. a runner token); never a literal.',
    check: perResource(['aws_ssm_parameter'], (r) => {
      if (r.values.type !== 'SecureString') return undefined;
      const value = r.values.value ?? r.values.value_wo;
      if (value === undefined || isExpression(value) || ignoresValue(r)) return undefined;
      return `${r.address} carries its secret value as a literal in the synthesized JSON (and so in every copy of it)`;
    }),
  },
  {
    id: 'GLA-LOG-001',
    severity: 'low',
    title: 'Log groups are encrypted with a customer-managed key',
    checkov: ['CKV_AWS_158'],
    trivy: ['AWS-0017'],
    fix: 'Set kms_key_id on the log group (the key policy must allow logs.<region>.amazonaws.com).',
    check: perResource(['aws_cloudwatch_log_group'], (r) => (r.values.kms_key_id === undefined ? `${r.address} is encrypted only with the service key` : undefined)),
  },
  {
    id: 'GLA-LOG-002',
    severity: 'low',
    title: 'Log groups have a retention period',
    checkov: ['CKV_AWS_66'],
    trivy: [],
    fix: 'Set retention_in_days (e.g. 90, or 365 where audits require a year).',
    check: perResource(['aws_cloudwatch_log_group'], (r) => (num(r.values.retention_in_days) ? undefined : `${r.address} keeps logs forever (no retention_in_days)`)),
  },
  {
    id: 'GLA-KMS-001',
    severity: 'medium',
    title: 'KMS keys rotate',
    checkov: ['CKV_AWS_7'],
    trivy: ['AWS-0065'],
    fix: 'Set enable_key_rotation = true.',
    check: perResource(['aws_kms_key'], (r) => {
      if (r.values.key_usage !== undefined && r.values.key_usage !== 'ENCRYPT_DECRYPT') return undefined;
      if (typeof r.values.customer_master_key_spec === 'string' && r.values.customer_master_key_spec !== 'SYMMETRIC_DEFAULT') return undefined;
      return bool(r.values.enable_key_rotation) === true ? undefined : `${r.address} does not rotate its key material`;
    }),
  },
  {
    id: 'GLA-TF-001',
    severity: 'high',
    title: 'Stateful resources in production are protected from destroy',
    checkov: [],
    trivy: [],
    fix: 'Set lifecycle { prevent_destroy = true } (in cdktf: lifecycle: { preventDestroy: true }) on the resource.',
    check: perResource(STATEFUL_TYPES, (r, { context, index }) => {
      if (!context.production) return undefined;
      if (r.type === 'aws_s3_bucket' && isEphemeralBucket(index, r)) return undefined;
      const protectedFromDestroy = blocks(r.values.lifecycle).some((l) => bool(l.prevent_destroy) === true);
      return protectedFromDestroy ? undefined : `${r.address} holds data but a destroy would delete it (no lifecycle.prevent_destroy) in a production environment`;
    }),
  },
];
