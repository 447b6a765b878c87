import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkStack } from '../check';
import { tfStack, type ResourceMap } from '../__fixtures__/stack';
import { RULES, ruleById } from '.';

interface Case {
  /** Resources that break the rule. */
  readonly violating: ResourceMap;
  /** The message the finding must carry. */
  readonly message: RegExp;
  /** Resources that follow the rule. */
  readonly compliant: ResourceMap;
  readonly data?: { violating?: ResourceMap; compliant?: ResourceMap };
}

const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const oidcTrust = (conditions: object) =>
  policy({
    Effect: 'Allow',
    Principal: { Federated: '${aws_iam_openid_connect_provider.gitlab.arn}' },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition: conditions,
  });
const bucket = { 'aws_s3_bucket.b': { bucket: 'artifacts' } };
const ref = (address: string) => `\${${address}.id}`;
const sgWorld = (port: number, extra: object = {}) => ({ ingress: [{ protocol: 'tcp', from_port: port, to_port: port, cidr_blocks: ['0.0.0.0/0'], description: 'x', ...extra }] });

/** One violating and one compliant fixture per rule. */
const CASES: Record<string, Case> = {
  'GLA-EC2-001': {
    violating: { 'aws_instance.a': { instance_type: 'm5.large', metadata_options: { http_tokens: 'optional' } } },
    message: /aws_instance aws_instance\.a allows IMDSv1 \(metadata_options\.http_tokens is "optional"\)/,
    compliant: { 'aws_instance.a': { instance_type: 'm5.large', metadata_options: { http_tokens: 'required' } } },
  },
  'GLA-EC2-002': {
    violating: { 'aws_launch_template.lt': { instance_type: 'm5.large' } },
    message: /aws_launch_template\.lt allows IMDSv1 \(metadata_options\.http_tokens is not set\)/,
    compliant: { 'aws_launch_template.lt': { metadata_options: [{ http_tokens: 'required', http_put_response_hop_limit: 2 }] } },
  },
  'GLA-EC2-003': {
    violating: { 'aws_instance.a': { root_block_device: { encrypted: true }, ebs_block_device: [{ device_name: '/dev/sdf', encrypted: false }] } },
    message: /1 EBS block device\(s\) not encrypted \(\/dev\/sdf\)/,
    compliant: { 'aws_instance.a': { root_block_device: { encrypted: true }, ebs_block_device: [{ device_name: '/dev/sdf', encrypted: true }] } },
  },
  'GLA-EC2-004': {
    violating: { 'aws_launch_template.lt': { block_device_mappings: [{ device_name: '/dev/xvda', ebs: { volume_size: 30 } }] } },
    message: /volume\(s\) \/dev\/xvda not encrypted/,
    compliant: { 'aws_launch_template.lt': { block_device_mappings: [{ device_name: '/dev/xvda', ebs: { volume_size: 30, encrypted: 'true' } }] } },
  },
  'GLA-EBS-001': {
    violating: { 'aws_ebs_volume.gitaly': { size: 500, type: 'gp3' } },
    message: /aws_ebs_volume aws_ebs_volume\.gitaly is not encrypted/,
    compliant: { 'aws_ebs_volume.gitaly': { size: 500, type: 'gp3', encrypted: true } },
  },
  'GLA-EC2-005': {
    violating: { 'aws_launch_template.lt': { network_interfaces: [{ associate_public_ip_address: true }] } },
    message: /a network interface gives the node a public IP address/,
    compliant: { 'aws_launch_template.lt': { network_interfaces: [{ associate_public_ip_address: false }] }, 'aws_instance.a': { associate_public_ip_address: false } },
  },
  'GLA-VPC-001': {
    violating: { 'aws_subnet.public': { map_public_ip_on_launch: true } },
    message: /assigns a public IP to every instance launched in it/,
    compliant: { 'aws_subnet.public': { map_public_ip_on_launch: false } },
  },
  'GLA-S3-001': {
    violating: bucket,
    message: /aws_s3_bucket aws_s3_bucket\.b has no aws_s3_bucket_public_access_block/,
    compliant: {
      ...bucket,
      'aws_s3_bucket_public_access_block.b': { bucket: ref('aws_s3_bucket.b'), block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true },
    },
  },
  'GLA-S3-002': {
    violating: { 'aws_s3_bucket_public_access_block.b': { bucket: 'x', block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: false } },
    message: /leaves restrict_public_buckets off/,
    compliant: { 'aws_s3_bucket_public_access_block.b': { bucket: 'x', block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true } },
  },
  'GLA-S3-003': {
    violating: bucket,
    message: /declares no server-side encryption configuration/,
    // A literal bucket name links the configuration too.
    compliant: { ...bucket, 'aws_s3_bucket_server_side_encryption_configuration.b': { bucket: 'artifacts', rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' } }] } },
  },
  'GLA-S3-004': {
    violating: { ...bucket, 'aws_s3_bucket_policy.b': { bucket: ref('aws_s3_bucket.b'), policy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:role/x' }, Action: 's3:GetObject', Resource: '*' }) } },
    message: /has no bucket policy that denies requests without TLS/,
    compliant: { ...bucket, 'aws_s3_bucket_policy.b': { bucket: ref('aws_s3_bucket.b'), policy: '${data.aws_iam_policy_document.tls.json}' } },
    data: {
      compliant: {
        'aws_iam_policy_document.tls': {
          statement: [{ effect: 'Deny', actions: ['s3:*'], resources: ['*'], principals: [{ type: '*', identifiers: ['*'] }], condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] }],
        },
      },
    },
  },
  'GLA-S3-005': {
    violating: { ...bucket, 'aws_s3_bucket_versioning.b': { bucket: ref('aws_s3_bucket.b'), versioning_configuration: { status: 'Suspended' } } },
    message: /keeps state but is not versioned/,
    compliant: { ...bucket, 'aws_s3_bucket_versioning.b': { bucket: ref('aws_s3_bucket.b'), versioning_configuration: { status: 'Enabled' } } },
  },
  'GLA-S3-006': {
    violating: { 'aws_s3_bucket_acl.b': { bucket: 'x', acl: 'public-read' } },
    message: /grants the ACL "public-read"/,
    compliant: { 'aws_s3_bucket_acl.b': { bucket: 'x', acl: 'private' } },
  },
  'GLA-RDS-001': {
    violating: { 'aws_db_instance.db': { instance_class: 'db.m5.large' } },
    message: /aws_db_instance aws_db_instance\.db stores data unencrypted/,
    compliant: { 'aws_db_instance.db': { instance_class: 'db.m5.large', storage_encrypted: true } },
  },
  'GLA-RDS-002': {
    violating: { 'aws_db_instance.db': { publicly_accessible: true } },
    message: /is publicly accessible/,
    compliant: { 'aws_db_instance.db': { publicly_accessible: false } },
  },
  'GLA-RDS-003': {
    violating: { 'aws_db_instance.db': { multi_az: false } },
    message: /runs in one availability zone in a production environment/,
    compliant: { 'aws_db_instance.db': { multi_az: true } },
  },
  'GLA-RDS-004': {
    violating: { 'aws_rds_cluster.praefect': { engine: 'aurora-postgresql' } },
    message: /aws_rds_cluster\.praefect can be deleted \(deletion_protection is not true\)/,
    compliant: { 'aws_rds_cluster.praefect': { deletion_protection: true } },
  },
  'GLA-RDS-005': {
    violating: { 'aws_db_instance.db': { backup_retention_period: 1 } },
    message: /keeps 1 day\(s\) of automated backups/,
    compliant: { 'aws_db_instance.db': { backup_retention_period: 14 } },
  },
  'GLA-ECA-001': {
    violating: { 'aws_elasticache_replication_group.redis': { at_rest_encryption_enabled: false } },
    message: /stores data unencrypted/,
    compliant: { 'aws_elasticache_replication_group.redis': { at_rest_encryption_enabled: true } },
  },
  'GLA-ECA-002': {
    violating: { 'aws_elasticache_replication_group.redis': {} },
    message: /accepts unencrypted connections/,
    compliant: { 'aws_elasticache_replication_group.redis': { transit_encryption_enabled: true } },
  },
  'GLA-ECA-003': {
    violating: { 'aws_elasticache_replication_group.redis': { transit_encryption_enabled: true } },
    message: /accepts clients without a password/,
    compliant: { 'aws_elasticache_replication_group.redis': { auth_token: '${random_password.redis.result}' } },
  },
  'GLA-ECA-004': {
    violating: { 'aws_elasticache_cluster.redis': { engine: 'redis', node_type: 'cache.m5.large' } },
    message: /is a stand-alone redis node without encryption or failover/,
    compliant: { 'aws_elasticache_cluster.redis': { replication_group_id: '${aws_elasticache_replication_group.redis.id}' } },
  },
  'GLA-SG-001': {
    violating: { 'aws_security_group.db': sgWorld(5432) },
    message: /security group aws_security_group\.db opens tcp port 5432 to 0\.0\.0\.0\/0 and is not an internet-facing load balancer's group/,
    compliant: {
      'aws_security_group.lb': { ingress: [443, 80, 22].map((p) => sgWorld(p).ingress[0]) },
      'aws_lb.external': { internal: false, security_groups: [ref('aws_security_group.lb')] },
      'aws_security_group.db': { ingress: [{ protocol: 'tcp', from_port: 5432, to_port: 5432, cidr_blocks: ['10.0.0.0/16'], description: 'x' }] },
    },
  },
  'GLA-SG-002': {
    violating: { 'aws_vpc_security_group_ingress_rule.all': { security_group_id: ref('aws_security_group.x'), ip_protocol: '-1', cidr_ipv4: '0.0.0.0/0' }, 'aws_security_group.x': {} },
    message: /aws_security_group\.x allows all traffic from the internet/,
    compliant: { 'aws_vpc_security_group_ingress_rule.all': { security_group_id: ref('aws_security_group.x'), ip_protocol: '-1', cidr_ipv4: '10.0.0.0/8' }, 'aws_security_group.x': {} },
  },
  'GLA-SG-003': {
    violating: { 'aws_security_group_rule.r': { type: 'ingress', protocol: 'tcp', from_port: 8075, to_port: 8075, cidr_blocks: ['10.0.0.0/16'] } },
    message: /aws_security_group_rule\.r: an ingress rule \(port 8075\) has no description/,
    compliant: { 'aws_security_group_rule.r': { type: 'ingress', protocol: 'tcp', from_port: 8075, to_port: 8075, cidr_blocks: ['10.0.0.0/16'], description: 'Gitaly from Rails' } },
  },
  'GLA-VPC-002': {
    violating: { 'aws_default_security_group.d': { vpc_id: 'x', egress: [{ protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'] }] } },
    message: /aws_default_security_group aws_default_security_group\.d allows traffic/,
    compliant: { 'aws_default_security_group.d': { vpc_id: 'x' } },
  },
  'GLA-VPC-003': {
    violating: { 'aws_vpc.main': { cidr_block: '10.0.0.0/16' } },
    message: /aws_vpc aws_vpc\.main has no flow log/,
    compliant: { 'aws_vpc.main': { cidr_block: '10.0.0.0/16' }, 'aws_flow_log.f': { vpc_id: ref('aws_vpc.main'), traffic_type: 'ALL' } },
  },
  'GLA-IAM-001': {
    violating: { 'aws_iam_policy.p': { policy: policy({ Effect: 'Allow', Action: '*', Resource: '*' }) } },
    message: /aws_iam_policy\.p \(policy\): statement 1 allows Action "\*"/,
    compliant: { 'aws_iam_policy.p': { policy: policy({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }, { Effect: 'Deny', Action: '*', Resource: '*' }) } },
  },
  'GLA-IAM-002': {
    violating: { 'aws_iam_role_policy.p': { role: 'r', policy: policy({ Effect: 'Allow', Action: ['s3:*', 'ec2:DescribeInstances'], Resource: '*' }) } },
    message: /statement 1 allows s3:\*/,
    compliant: { 'aws_iam_role_policy.p': { role: 'r', policy: policy({ Effect: 'Allow', Action: ['s3:GetObject', 'ec2:Describe*'], Resource: '*' }) } },
  },
  'GLA-IAM-003': {
    violating: { 'aws_s3_bucket_policy.p': { bucket: 'x', policy: policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::x/*' }) } },
    message: /allows any principal \("\*"\) without a condition/,
    compliant: {
      'aws_s3_bucket_policy.p': {
        bucket: 'x',
        policy: policy({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::x/*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } } }),
      },
    },
  },
  'GLA-IAM-004': {
    violating: { 'aws_iam_role.deploy': { assume_role_policy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole' }) } },
    message: /lets every principal of arn:aws:iam::111111111111:root assume the role, with no condition/,
    compliant: { 'aws_iam_role.deploy': { assume_role_policy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/gitlab-ci-deploy' }, Action: 'sts:AssumeRole' }) } },
  },
  'GLA-IAM-005': {
    violating: { 'aws_iam_role.ci': { assume_role_policy: oidcTrust({ StringEquals: { 'gitlab.com:aud': 'https://gitlab.com' } }) } },
    message: /no condition on the "sub" claim/,
    compliant: { 'aws_iam_role.ci': { assume_role_policy: oidcTrust({ StringEquals: { 'gitlab.com:aud': 'https://gitlab.com', 'gitlab.com:sub': 'project_path:g/p:ref_type:branch:ref:main' } }) } },
  },
  'GLA-IAM-006': {
    violating: { 'aws_iam_role.ci': { assume_role_policy: oidcTrust({ StringEquals: { 'gitlab.com:sub': 'project_path:g/p:ref_type:branch:ref:main' } }) } },
    message: /no condition on the "aud" claim/,
    compliant: { 'aws_iam_role.ci': { assume_role_policy: oidcTrust({ StringEquals: { 'gitlab.com:aud': 'https://gitlab.com', 'gitlab.com:sub': 'project_path:g/p:ref_type:branch:ref:main' } }) } },
  },
  'GLA-IAM-007': {
    violating: { 'aws_iam_role.ci': { assume_role_policy: oidcTrust({ StringEquals: { 'gitlab.com:aud': 'https://gitlab.com' }, StringLike: { 'gitlab.com:sub': 'project_path:*' } }) } },
    message: /accepts any project as subject \(project_path:\*\)/,
    compliant: { 'aws_iam_role.ci': { assume_role_policy: oidcTrust({ StringEquals: { 'gitlab.com:aud': 'https://gitlab.com' }, StringLike: { 'gitlab.com:sub': 'project_path:g/p:ref_type:branch:ref:release-*' } }) } },
  },
  'GLA-IAM-008': {
    violating: { 'aws_iam_user.ci': { name: 'ci' }, 'aws_iam_access_key.ci': { user: '${aws_iam_user.ci.name}' } },
    message: /aws_iam_access_key\.ci creates a long-lived access key \(static-key mode\)/,
    compliant: { 'aws_iam_openid_connect_provider.gitlab': { url: 'https://gitlab.com', client_id_list: ['https://gitlab.com'] } },
  },
  'GLA-IAM-009': {
    violating: { 'aws_iam_user_policy_attachment.a': { user: 'ci', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
    message: /attaches a policy directly to a user/,
    compliant: { 'aws_iam_group_policy_attachment.a': { group: 'ci', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
  },
  'GLA-IAM-010': {
    violating: { 'aws_iam_role_policy_attachment.a': { role: 'deploy', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } },
    message: /aws_iam_role_policy_attachment\.a attaches AdministratorAccess/,
    compliant: { 'aws_iam_role_policy_attachment.a': { role: 'deploy', policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' } },
  },
  'GLA-IAM-011': {
    violating: { 'aws_iam_role_policy.hub': { role: 'hub', policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }) } },
    message: /statement 1 allows sts:AssumeRole on Resource "\*"/,
    compliant: { 'aws_iam_role_policy.hub': { role: 'hub', policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ['arn:aws:iam::222222222222:role/gitlab-ci-deploy'] }) } },
  },
  'GLA-LB-001': {
    violating: { 'aws_lb_listener.http': { protocol: 'HTTP', port: 80, default_action: [{ type: 'forward', target_group_arn: 'x' }] } },
    message: /aws_lb_listener\.http serves plain HTTP \(port 80\) without redirecting to HTTPS/,
    compliant: { 'aws_lb_listener.http': { protocol: 'HTTP', port: 80, default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }] } },
  },
  'GLA-LB-002': {
    violating: { 'aws_lb_listener.https': { protocol: 'HTTPS', port: 443 } },
    message: /uses the default ssl_policy, which accepts TLS versions older than 1\.2/,
    compliant: { 'aws_lb_listener.https': { protocol: 'HTTPS', port: 443, ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' } },
  },
  'GLA-LB-003': {
    violating: { 'aws_lb.external': { internal: false } },
    message: /aws_lb\.external forwards requests with invalid HTTP headers/,
    compliant: { 'aws_lb.external': { internal: false, drop_invalid_header_fields: true }, 'aws_lb.praefect': { load_balancer_type: 'network', internal: true } },
  },
  'GLA-EKS-001': {
    violating: { 'aws_eks_cluster.k': { vpc_config: { subnet_ids: ['a'] } } },
    message: /exposes the Kubernetes API to the whole internet/,
    compliant: { 'aws_eks_cluster.k': { vpc_config: { subnet_ids: ['a'], public_access_cidrs: ['203.0.113.0/24'] } } },
  },
  'GLA-EKS-002': {
    violating: { 'aws_eks_cluster.k': { vpc_config: { endpoint_public_access: false } } },
    message: /does not encrypt Kubernetes secrets with KMS/,
    compliant: { 'aws_eks_cluster.k': { encryption_config: { resources: ['secrets'], provider: { key_arn: 'k' } } } },
  },
  'GLA-EKS-003': {
    violating: { 'aws_eks_cluster.k': { enabled_cluster_log_types: ['api'] } },
    message: /aws_eks_cluster\.k: control-plane logs audit, authenticator are off/,
    compliant: { 'aws_eks_cluster.k': { enabled_cluster_log_types: ['api', 'audit', 'authenticator'] } },
  },
  'GLA-EKS-004': {
    violating: { 'aws_eks_node_group.g': { node_group_name: 'web' } },
    message: /aws_eks_node_group\.g uses EKS's default launch template/,
    compliant: { 'aws_eks_node_group.g': { launch_template: { id: '${aws_launch_template.lt.id}' } }, 'aws_launch_template.lt': { metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 1 } } },
  },
  'GLA-SSM-001': {
    violating: { 'aws_ssm_parameter.token': { name: '/gitlab/runner/token', type: 'String', value: '${gitlab_user_runner.r.token}' } },
    message: /\("\/gitlab\/runner\/token"\) looks like a secret but is a String parameter/,
    compliant: { 'aws_ssm_parameter.token': { name: '/gitlab/runner/token', type: 'SecureString', value: '${gitlab_user_runner.r.token}' }, 'aws_ssm_parameter.url': { name: '/gitlab/url', type: 'String', value: 'https://gitlab.example.com' } },
  },
  'GLA-SSM-002': {
    violating: { 'aws_ssm_parameter.pw': { name: '/gitlab/db', type: 'SecureString', value: 'not-a-real-password-1' } },
    message: /carries its secret value as a literal in the synthesized JSON/,
    compliant: { 'aws_ssm_parameter.pw': { name: '/gitlab/db', type: 'SecureString', value: 'placeholder', lifecycle: { ignore_changes: ['value'] } } },
  },
  'GLA-LOG-001': {
    violating: { 'aws_cloudwatch_log_group.g': { retention_in_days: 90 } },
    message: /is encrypted only with the service key/,
    compliant: { 'aws_cloudwatch_log_group.g': { retention_in_days: 90, kms_key_id: '${aws_kms_key.logs.arn}' } },
  },
  'GLA-LOG-002': {
    violating: { 'aws_cloudwatch_log_group.g': { retention_in_days: 0 } },
    message: /keeps logs forever/,
    compliant: { 'aws_cloudwatch_log_group.g': { retention_in_days: 90 } },
  },
  'GLA-KMS-001': {
    violating: { 'aws_kms_key.k': { description: 'x' } },
    message: /does not rotate its key material/,
    compliant: { 'aws_kms_key.k': { enable_key_rotation: true }, 'aws_kms_key.sign': { key_usage: 'SIGN_VERIFY', customer_master_key_spec: 'RSA_2048' } },
  },
  'GLA-TF-001': {
    violating: { 'aws_ebs_volume.gitaly': { size: 500 } },
    message: /aws_ebs_volume\.gitaly holds data but a destroy would delete it \(no lifecycle\.prevent_destroy\)/,
    compliant: { 'aws_ebs_volume.gitaly': { size: 500, lifecycle: { prevent_destroy: true } } },
  },
};

function findingsOf(ruleId: string, resources: ResourceMap, data?: ResourceMap, production = true) {
  const rule = ruleById(ruleId)!;
  return checkStack('test', tfStack(resources, { production, ...(data ? { data } : {}) }), { rules: [rule] }).findings.filter((f) => f.rule === ruleId);
}

describe('the rule pack', () => {
  it('has at least 30 rules, each with a unique ID, a severity, a title and a fix', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^GLA-[A-Z0-9]+-\d{3}$/);
      expect(['critical', 'high', 'medium', 'low']).toContain(r.severity);
      expect(r.title.length).toBeGreaterThan(10);
      expect(r.fix.length).toBeGreaterThan(10);
      for (const id of r.checkov) expect(id).toMatch(/^CKV2?_AWS_\d+$/);
      for (const id of r.trivy) expect(id).toMatch(/^AWS-\d{4}$/);
    }
  });

  it('is documented rule by rule in docs/guardrails.md', () => {
    const doc = readFileSync(resolve(__dirname, '..', '..', '..', '..', 'docs', 'guardrails.md'), 'utf8');
    for (const r of RULES) expect(doc).toContain(`| ${r.id} | ${r.severity} | ${r.title} |`);
  });

  it('has a violating and a compliant fixture for every rule', () => {
    expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  describe.each(Object.entries(CASES))('%s', (id, c) => {
    it('fires on the violating fixture, naming the resource and the problem', () => {
      const found = findingsOf(id, c.violating, c.data?.violating);
      expect(found).toHaveLength(1);
      expect(found[0].message).toMatch(c.message);
      expect(found[0].path).toMatch(/^test\//);
      expect(found[0].fix).toBe(ruleById(id)!.fix);
    });

    it('stays quiet on the compliant fixture', () => {
      expect(findingsOf(id, c.compliant, c.data?.compliant)).toEqual([]);
    });
  });
});

describe('rule details', () => {
  it('accepts AdministratorAccess only under a permissions boundary', () => {
    const attach = { 'aws_iam_role_policy_attachment.a': { role: '${aws_iam_role.deploy.name}', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } };
    const role = (boundary?: string) => ({ 'aws_iam_role.deploy': { name: 'deploy', assume_role_policy: '{}', ...(boundary ? { permissions_boundary: boundary } : {}) } });
    expect(findingsOf('GLA-IAM-010', { ...attach, ...role('${aws_iam_policy.boundary.arn}') })).toEqual([]);
    expect(findingsOf('GLA-IAM-010', { ...attach, ...role() })[0].message).toMatch(/to aws_iam_role\.deploy, which has no permissions boundary/);
  });

  it('accepts a template without volumes only when every user is an instance with an encrypted root volume', () => {
    const lt = { 'aws_launch_template.lt': { metadata_options: { http_tokens: 'required' } } };
    const instance = (encrypted: boolean) => ({ launch_template: { id: ref('aws_launch_template.lt') }, root_block_device: { encrypted } });
    expect(findingsOf('GLA-EC2-004', { ...lt, 'aws_instance.a': instance(true) })).toEqual([]);
    expect(findingsOf('GLA-EC2-004', { ...lt, 'aws_instance.a': instance(false) })[0].message).toMatch(/declares no block_device_mappings/);
    const asg = { 'aws_autoscaling_group.g': { launch_template: { id: ref('aws_launch_template.lt') } } };
    expect(findingsOf('GLA-EC2-004', { ...lt, 'aws_instance.a': instance(true), ...asg })[0].message).toMatch(/declares no block_device_mappings/);
    expect(findingsOf('GLA-EC2-004', lt)[0].message).toMatch(/declares no block_device_mappings/);
  });

  it('production-only rules stay quiet outside production', () => {
    expect(findingsOf('GLA-RDS-003', CASES['GLA-RDS-003'].violating, undefined, false)).toEqual([]);
    expect(findingsOf('GLA-RDS-004', CASES['GLA-RDS-004'].violating, undefined, false)).toEqual([]);
    expect(findingsOf('GLA-TF-001', CASES['GLA-TF-001'].violating, undefined, false)).toEqual([]);
  });

  it('lets an internet-facing load balancer open only 80, 443 and 22 to the world', () => {
    const lb = { 'aws_lb.external': { internal: false, security_groups: [ref('aws_security_group.lb')] } };
    expect(findingsOf('GLA-SG-001', { ...lb, 'aws_security_group.lb': sgWorld(8080) })[0].message).toMatch(/a load balancer may open only 80, 443 and 22/);
    // The same 443 rule on an internal load balancer's group is a finding.
    const internal = { 'aws_lb.internal': { internal: true, security_groups: [ref('aws_security_group.lb')] }, 'aws_security_group.lb': sgWorld(443) };
    expect(findingsOf('GLA-SG-001', internal)).toHaveLength(1);
  });

  it('treats a bucket whose objects all expire as holding no state', () => {
    const cache = {
      ...bucket,
      'aws_s3_bucket_lifecycle_configuration.b': { bucket: ref('aws_s3_bucket.b'), rule: [{ id: 'expire', status: 'Enabled', filter: {}, expiration: { days: 14 } }] },
    };
    expect(findingsOf('GLA-S3-005', cache)).toEqual([]);
    expect(findingsOf('GLA-TF-001', cache)).toEqual([]);
    // Expiring only one prefix keeps the rest: still stateful.
    const partial = { ...cache, 'aws_s3_bucket_lifecycle_configuration.b': { bucket: ref('aws_s3_bucket.b'), rule: [{ status: 'Enabled', filter: { prefix: 'tmp/' }, expiration: { days: 14 } }] } };
    expect(findingsOf('GLA-S3-005', partial)).toHaveLength(1);
  });

  it('reads trust policies written with aws_iam_policy_document', () => {
    const data = {
      'aws_iam_policy_document.trust': {
        statement: [
          {
            effect: 'Allow',
            actions: ['sts:AssumeRoleWithWebIdentity'],
            principals: [{ type: 'Federated', identifiers: ['${aws_iam_openid_connect_provider.gitlab.arn}'] }],
            condition: [{ test: 'StringEquals', variable: 'gitlab.example.com:aud', values: ['https://gitlab.example.com'] }],
          },
        ],
      },
    };
    const found = findingsOf('GLA-IAM-005', { 'aws_iam_role.ci': { assume_role_policy: '${data.aws_iam_policy_document.trust.json}' } }, data);
    expect(found).toHaveLength(1);
  });
});
