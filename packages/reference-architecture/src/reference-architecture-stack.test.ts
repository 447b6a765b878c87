import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { all, entries, gitlabEnvironment, synthGitlab, TEST_CERTIFICATE, type Json } from './__fixtures__/synth';
import { allows } from '../../gitlab-config/src/__fixtures__/iam-eval';
import { BILL_OF_MATERIALS_FILE, type BillOfMaterials } from './bill-of-materials';
import { reservedBlock } from './node-placement';
import { BACKUP_TAG } from './data-volumes';
import { OBJECT_STORAGE_TYPES } from './object-storage';
import { ReferenceArchitectureStack } from './reference-architecture-stack';
import { HA_ROLES } from './sizes';

const MANAGED = { database: 'managed', redis: 'managed', praefectDatabase: 'managed' };
const linux3k = synthGitlab({ size: '3k' });
const managed3k = synthGitlab({ size: '3k', components: MANAGED, protectData: false });

/** Zone of each instance, through its subnet. */
function zonesByRole(resources: Json): Record<string, string[]> {
  const subnets = new Map(entries(resources, 'aws_subnet').map(([key, s]) => [`\${aws_subnet.${key}.id}`, s.availability_zone as string]));
  const out: Record<string, string[]> = {};
  for (const i of all(resources, 'aws_instance')) (out[i.tags.GitLabRole] ??= []).push(subnets.get(i.subnet_id)!);
  return out;
}

describe('placement', () => {
  it('3k: spans 3 zones and no two nodes of an HA role share one', () => {
    expect(linux3k.stack.network.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    const zones = zonesByRole(linux3k.resources);
    for (const role of HA_ROLES.filter((r) => r !== 'redisCache')) {
      expect([role, new Set(zones[role]).size]).toEqual([role, zones[role].length]);
      expect(zones[role].length).toBe(3);
    }
    expect(new Set(zones.rails).size).toBe(3);
    // Below 10k the cache lives in the one Redis cluster.
    expect(zones.redisCache).toBeUndefined();
  });

  it('10k: both Redis clusters spread one node per zone, each node with its own data volume', () => {
    const tenK = synthGitlab({ size: '10k' });
    const zones = zonesByRole(tenK.resources);
    for (const role of HA_ROLES) expect([role, [...new Set(zones[role])].sort()]).toEqual([role, ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']]);
    const volumes = all(tenK.resources, 'aws_ebs_volume').filter((v) => v.tags.GitLabRole === 'redisCache');
    expect(volumes).toHaveLength(3);
    // The cache nodes' Sentinel and Redis ports are open to Rails and Sidekiq only (plus the cluster itself).
    const sgs = entries(tenK.resources, 'aws_security_group').find(([, g]) => /redis-cache/.test(g.name))!;
    const rules = all(tenK.resources, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === `\${aws_security_group.${sgs[0]}.id}`);
    expect([...new Set(rules.map((r) => r.from_port as number))].sort((a, b) => a - b)).toEqual([6379, 9100, 9121, 26379]);
  });

  it('10k with components.redis "managed": two ElastiCache replication groups, the cache one an LRU', () => {
    const tenK = synthGitlab({ size: '10k', components: MANAGED, protectData: false });
    const groups = all(tenK.resources, 'aws_elasticache_replication_group');
    expect(groups.map((g) => [g.tags.GitLabRole, g.node_type, g.num_cache_clusters, g.automatic_failover_enabled, g.transit_encryption_enabled]).sort()).toEqual([
      ['redis', 'cache.r6g.xlarge', 3, true, true],
      ['redisCache', 'cache.r6g.xlarge', 3, true, true],
    ]);
    const policies = all(tenK.resources, 'aws_elasticache_parameter_group').map((p) => p.parameter[0].value).sort();
    expect(policies).toEqual(['allkeys-lru', 'noeviction']);
    expect(all(tenK.resources, 'aws_instance').some((i) => /^redis/.test(i.tags.GitLabRole))).toBe(false);
    expect(all(tenK.resources, 'aws_route53_record').map((r) => r.name)).toEqual(expect.arrayContaining(['redis.gl.gitlab.internal', 'redis-cache.gl.gitlab.internal']));
  });

  it('2k and poc: 2 zones; poc with one NAT gateway, 2k with one per zone', () => {
    const twoK = synthGitlab({ size: '2k' });
    const poc = synthGitlab({ size: 'poc' });
    expect(twoK.stack.network.availabilityZones).toHaveLength(2);
    expect(new Set(zonesByRole(twoK.resources).rails)).toEqual(new Set(['eu-west-1a', 'eu-west-1b']));
    expect(all(twoK.resources, 'aws_nat_gateway')).toHaveLength(2);
    expect(all(poc.resources, 'aws_nat_gateway')).toHaveLength(1);
  });

  it('gives every node a fixed, unique address in its subnet\'s reserved block, and a private DNS name', () => {
    const { stack, resources } = linux3k;
    const ips = stack.layout.nodes.map((n) => n.privateIp);
    expect(new Set(ips).size).toBe(ips.length);
    const reserved = all(resources, 'aws_ec2_subnet_cidr_reservation').map((r) => r.cidr_block);
    expect(reserved).toEqual(stack.network.privateSubnets.map((s) => reservedBlock(s.cidr!)));
    expect(reserved[0]).toBe('10.30.143.192/26');
    const gitaly1 = stack.layout.nodes.find((n) => n.name === 'gitaly-1')!;
    expect(gitaly1).toMatchObject({ hostname: 'gitaly-1.gl.gitlab.internal', availabilityZone: 'eu-west-1a' });
    expect(gitaly1.privateIp!.startsWith('10.30.143.')).toBe(true);
    const records = all(resources, 'aws_route53_record').filter((r) => r.type === 'A' && r.records);
    expect(records.map((r) => r.records[0]).sort()).toEqual([...ips].sort());
    // Same input, same addresses.
    expect(synthGitlab({ size: '3k' }).stack.layout.nodes).toEqual(stack.layout.nodes);
  });

  it('in an existing VPC, uses its subnets and names nodes by DNS only', () => {
    const existing = {
      vpcId: 'vpc-0123456789abcdef0',
      privateSubnets: [
        { id: 'subnet-0123456789abcdef0', availabilityZone: 'eu-west-1a' },
        { id: 'subnet-0123456789abcdef1', availabilityZone: 'eu-west-1b' },
      ],
      publicSubnets: [{ id: 'subnet-0123456789abcdef2', availabilityZone: 'eu-west-1a' }, { id: 'subnet-0123456789abcdef3', availabilityZone: 'eu-west-1b' }],
    };
    // The GitLab configuration needs fixed addresses: without them the default wiring stops with the fix.
    expect(() => synthGitlab({ size: '2k' }, { existing })).toThrow(/network\.existing: GitLab's configuration at boot needs a fixed private address per node/);
    const { stack, resources } = synthGitlab({ size: '2k' }, { existing }, { userData: () => undefined });
    expect(resources.aws_vpc).toBeUndefined();
    expect(all(resources, 'aws_instance').map((i) => i.subnet_id).sort()).toEqual(expect.arrayContaining(['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1']));
    expect(stack.layout.nodes.every((n) => n.privateIp === undefined)).toBe(true);
    expect(all(resources, 'aws_instance').every((i) => i.private_ip === undefined)).toBe(true);
  });
});

describe('nodes', () => {
  const instances = all(linux3k.resources, 'aws_instance');

  it('have no public address, IMDSv2, encrypted gp3 roots and an AMI resolved from SSM at launch', () => {
    expect(instances).toHaveLength(25);
    for (const i of instances) {
      expect(i.associate_public_ip_address).toBe(false);
      expect(i.metadata_options.http_tokens).toBe('required');
      expect(i.root_block_device).toMatchObject({ encrypted: true, volume_type: 'gp3' });
      expect(i.key_name).toBeUndefined();
    }
    for (const t of all(linux3k.resources, 'aws_launch_template')) {
      expect(t.image_id).toBe('resolve:ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id');
      expect(t.metadata_options.http_tokens).toBe('required');
    }
    expect(linux3k.resources.aws_autoscaling_group).toBeUndefined();
    expect(all(linux3k.resources, 'aws_subnet').every((s) => s.map_public_ip_on_launch !== true)).toBe(true);
  });

  it('pick the arm64 AMI for Graviton types', () => {
    const { resources } = synthGitlab({ size: '2k', instances: { gitaly: { instanceType: 'm7g.xlarge' } } });
    const images = all(resources, 'aws_launch_template').map((t) => t.image_id as string);
    expect(images.filter((i) => i.includes('arm64'))).toHaveLength(1);
  });

  it('get only the permissions their role needs: object storage for Rails and Sidekiq alone', () => {
    const policies = all(linux3k.resources, 'aws_iam_role_policy').filter((p) => p.name === 'object-storage');
    expect(policies).toHaveLength(2);
    const roles = entries(linux3k.resources, 'aws_iam_role').map(([, r]) => r.name as string);
    const withS3 = policies.map((p) => p.role as string);
    expect(withS3.every((ref) => /iam_(rails|sidekiq)-role/.test(ref))).toBe(true);
    // Session Manager without AmazonSSMManagedInstanceCore, whose ssm:GetParameter on "*" would let any node read any role's secrets.
    expect(all(linux3k.resources, 'aws_iam_role_policy_attachment').filter((a) => a.policy_arn.endsWith('AmazonSSMManagedInstanceCore'))).toEqual([]);
    const session = all(linux3k.resources, 'aws_iam_role_policy').filter((p) => p.name === 'session-manager');
    expect(session).toHaveLength(10);
    for (const p of session) {
      const doc = JSON.parse(p.policy);
      expect(allows(doc, { action: 'ssmmessages:OpenDataChannel', resource: '*' })).toBe(true);
      expect(allows(doc, { action: 'ssm:UpdateInstanceInformation', resource: 'arn:aws:ec2:eu-west-1:222222222222:instance/i-1' })).toBe(true);
      for (const action of ['ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'secretsmanager:GetSecretValue', 'kms:Decrypt']) {
        expect([action, allows(doc, { action, resource: 'arn:aws:ssm:eu-west-1:222222222222:parameter/gitlab-aws/gl/gitlab/redis-password' })]).toEqual([action, false]);
      }
    }
    expect(roles).toContain('gl-gitlab-gitaly-node');
    for (const p of policies) expect(JSON.stringify(p.policy)).not.toContain('"s3:*"');
  });

  it('call the user-data hook per node with the topology', () => {
    const { resources } = synthGitlab({ size: '3k' }, {}, { userData: (node, layout) => (node.role === 'praefect' ? `#cloud-config\n# ${node.name} -> ${layout.endpoints.praefectDatabase!.host}\n` : undefined) });
    const withUserData = all(resources, 'aws_instance').filter((i) => i.user_data);
    expect(withUserData.map((i) => i.user_data)).toEqual([1, 2, 3].map((n) => `#cloud-config\n# praefect-${n} -> praefect-postgres-1.gl.gitlab.internal\n`));
  });
});

describe('components', () => {
  it('Linux package 3k: Gitaly Cluster behind an internal NLB for Praefect and PgBouncer, no managed services', () => {
    const { resources, stack } = linux3k;
    expect(resources.aws_db_instance).toBeUndefined();
    expect(resources.aws_elasticache_replication_group).toBeUndefined();
    const internal = all(resources, 'aws_lb').find((l) => l.internal === true)!;
    expect(internal.load_balancer_type).toBe('network');
    expect(all(resources, 'aws_lb_listener').map((l) => l.port).filter((p) => [2305, 3305, 6432].includes(p)).sort()).toEqual([3305, 6432]);
    expect(stack.layout.endpoints).toEqual({
      database: { host: 'pgbouncer.gl.gitlab.internal', port: 6432 },
      redis: { host: 'redis-1.gl.gitlab.internal', port: 6379 },
      praefect: { host: 'praefect.gl.gitlab.internal', port: 3305 },
      praefectDatabase: { host: 'praefect-postgres-1.gl.gitlab.internal', port: 5432 },
    });
  });

  it('managed 3k: RDS Multi-AZ DB instances (not Aurora) and ElastiCache with replicas, failover and an eviction policy', () => {
    const { resources, stack } = managed3k;
    const dbs = all(resources, 'aws_db_instance');
    expect(dbs).toHaveLength(2);
    for (const db of dbs) {
      expect(db).toMatchObject({ engine: 'postgres', multi_az: true, storage_encrypted: true, manage_master_user_password: true, publicly_accessible: false, skip_final_snapshot: false, backup_retention_period: 14 });
      expect(db.password).toBeUndefined();
    }
    expect(resources.aws_rds_cluster).toBeUndefined();
    const [redis] = all(resources, 'aws_elasticache_replication_group');
    expect(redis).toMatchObject({ num_cache_clusters: 3, automatic_failover_enabled: true, multi_az_enabled: true, transit_encryption_enabled: true, at_rest_encryption_enabled: 'true' });
    expect(redis.num_node_groups).toBeUndefined(); // not cluster mode
    expect(redis.preferred_cache_cluster_azs).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(all(resources, 'aws_elasticache_parameter_group')[0].parameter).toEqual([{ name: 'maxmemory-policy', value: 'noeviction' }]);
    const roles = new Set(all(resources, 'aws_instance').map((i) => i.tags.GitLabRole));
    // Consul serves only Patroni and the Sentinels, which RDS and ElastiCache replace.
    expect([...roles].sort()).toEqual(['gitaly', 'monitoring', 'praefect', 'rails', 'sidekiq']);
    expect(stack.layout.endpoints.database).toEqual({ host: 'postgres.gl.gitlab.internal', port: 5432 });
    const listeners = all(resources, 'aws_lb_listener').map((l) => l.port);
    expect(listeners).toContain(3305);
    expect(listeners).not.toContain(2305);
    expect(listeners).not.toContain(6432);
  });

  it('managed 2k: a single-AZ RDS instance and one Redis node without failover', () => {
    const { resources } = synthGitlab({ size: '2k', components: { database: 'managed', redis: 'managed' } });
    expect(all(resources, 'aws_db_instance').map((d) => d.multi_az)).toEqual([false]);
    expect(all(resources, 'aws_elasticache_replication_group')[0]).toMatchObject({ num_cache_clusters: 1, automatic_failover_enabled: false });
  });
});

describe('object storage and load balancers', () => {
  it('creates every bucket private, KMS-encrypted, TLS-only, with lifecycle rules; versioned where data loss matters', () => {
    const { resources } = linux3k;
    expect(all(resources, 'aws_s3_bucket')).toHaveLength(OBJECT_STORAGE_TYPES.length);
    // No registry bucket: the container registry is not enabled.
    expect(all(resources, 'aws_s3_bucket').map((b) => b.bucket)).not.toContainEqual(expect.stringContaining('registry'));
    expect(OBJECT_STORAGE_TYPES).toHaveLength(9);
    expect(all(resources, 'aws_s3_bucket_public_access_block').every((b) => b.block_public_acls && b.block_public_policy && b.ignore_public_acls && b.restrict_public_buckets)).toBe(true);
    expect(all(resources, 'aws_s3_bucket_server_side_encryption_configuration').every((e) => e.rule[0].apply_server_side_encryption_by_default.sse_algorithm === 'aws:kms')).toBe(true);
    expect(all(resources, 'aws_s3_bucket_policy').every((p) => p.policy.includes('aws:SecureTransport'))).toBe(true);
    expect(all(resources, 'aws_s3_bucket_lifecycle_configuration')).toHaveLength(OBJECT_STORAGE_TYPES.length);
    const versioned = all(resources, 'aws_s3_bucket_versioning');
    expect(versioned.length).toBeGreaterThanOrEqual(7);
    expect(linux3k.stack.layout.buckets.backups).toBe('gl-backups-222222222222');
  });

  it('NLB: TLS ends at 443 with the certificate and goes on as HTTP to port 80, never passed through; with a hosted zone a certificate is requested and validated', () => {
    const plain = all(linux3k.resources, 'aws_lb_listener').filter((l) => l.port === 443);
    expect(plain.map((l) => [l.protocol, l.certificate_arn])).toEqual([['TLS', TEST_CERTIFICATE]]);
    const ports = all(linux3k.resources, 'aws_lb_target_group').filter((t) => /web|git-ssh/.test(t.name)).map((t) => t.port).sort();
    expect(ports).toEqual([22, 80]);
    // Both web listeners share the plain TCP group on Rails' port 80 (hybrid's re-encryption is not here).
    const [webName, web] = entries(linux3k.resources, 'aws_lb_target_group').find(([, t]) => t.port === 80)!;
    expect([web.protocol, web.health_check.port]).toEqual(['TCP', '80']);
    const toWeb = all(linux3k.resources, 'aws_lb_listener').filter((l) => l.default_action[0].target_group_arn === `\${aws_lb_target_group.${webName}.arn}`);
    expect(toWeb.map((l) => [l.port, l.protocol]).sort()).toEqual([[443, 'TLS'], [80, 'TCP']]);
    const { resources } = synthGitlab({ size: '3k', domain: { hostedZoneId: 'Z0123456789ABCDEFGHIJ' } });
    const tls = all(resources, 'aws_lb_listener').find((l) => l.port === 443)!;
    expect(tls).toMatchObject({ protocol: 'TLS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    expect(all(resources, 'aws_acm_certificate')[0]).toMatchObject({ domain_name: 'gitlab.example.com', validation_method: 'DNS' });
    expect(all(resources, 'aws_route53_record').find((r) => r.name === 'gitlab.example.com')!.alias.evaluate_target_health).toBe(true);
    for (const tg of all(resources, 'aws_lb_target_group').filter((t) => t.health_check.protocol === 'HTTP')) expect(tg.health_check.path).toBe('/-/readiness');
  });

  it('ALB: HTTPS with least outstanding requests, 80 redirected, invalid headers dropped, and an NLB for Git SSH', () => {
    const { resources } = synthGitlab({ size: '2k', externalLoadBalancer: 'alb', domain: { certificateArn: 'arn:aws:acm:eu-west-1:222222222222:certificate/0b0e4f5c-1a2b-4c3d-8e9f-0123456789ab' } });
    const lbs = all(resources, 'aws_lb');
    expect(lbs.filter((l) => !l.internal).map((l) => l.load_balancer_type).sort()).toEqual(['application', 'network']);
    // Two Rails nodes: an internal NLB carries the Rails internal API that Gitaly calls.
    expect(lbs.filter((l) => l.internal).map((l) => l.load_balancer_type)).toEqual(['network']);
    expect(lbs.find((l) => l.load_balancer_type === 'application')!.drop_invalid_header_fields).toBe(true);
    expect(all(resources, 'aws_lb_target_group').find((t) => t.protocol === 'HTTP')!.load_balancing_algorithm_type).toBe('least_outstanding_requests');
    expect(all(resources, 'aws_lb_target_group').filter((t) => t.protocol === 'HTTPS' || t.protocol === 'TLS')).toEqual([]);
    const redirect = all(resources, 'aws_lb_listener').find((l) => l.port === 80)!;
    expect(redirect.default_action[0]).toMatchObject({ type: 'redirect', redirect: { protocol: 'HTTPS', status_code: 'HTTP_301' } });
    expect(all(resources, 'aws_lb_listener').find((l) => l.port === 22)!.protocol).toBe('TCP');
  });
});

describe('data protection', () => {
  const lifecycleOf = (r: Json) => r.lifecycle?.prevent_destroy === true;

  it('protected environments: prevent_destroy on every stateful resource, deletion and termination protection', () => {
    const { resources } = synthGitlab({ size: '3k', components: MANAGED });
    for (const type of ['aws_ebs_volume', 'aws_db_instance', 'aws_elasticache_replication_group', 'aws_s3_bucket', 'aws_kms_key', 'aws_backup_vault']) {
      const list = all(resources, type);
      expect([type, list.length > 0, list.every(lifecycleOf)]).toEqual([type, true, true]);
    }
    expect(all(resources, 'aws_db_instance').every((d) => d.deletion_protection === true)).toBe(true);
    const gitaly = all(resources, 'aws_instance').filter((i) => i.tags.GitLabRole === 'gitaly');
    expect(gitaly.every((i) => i.disable_api_termination === true)).toBe(true);
    expect(all(resources, 'aws_ebs_volume').every((v) => v.final_snapshot === true)).toBe(true);
  });

  it('throw-away environments (protectData false): nothing blocks a destroy, but RDS still leaves a final snapshot', () => {
    const { resources } = managed3k;
    expect(Object.values(resources).flatMap((byName) => Object.values(byName as Json)).some(lifecycleOf)).toBe(false);
    expect(all(resources, 'aws_db_instance').every((d) => d.deletion_protection === false && d.skip_final_snapshot === false)).toBe(true);
  });

  it('snapshots only what snapshots may back up: a standalone Gitaly, never Gitaly Cluster', () => {
    const { resources } = synthGitlab({ size: '3k', backups: { retentionDays: 30 } });
    const [selection] = all(resources, 'aws_backup_selection');
    expect(selection.selection_tag).toEqual([{ type: 'STRINGEQUALS', key: BACKUP_TAG, value: 'gl' }]);
    expect(all(resources, 'aws_backup_plan')[0].rule[0]).toMatchObject({ schedule: 'cron(0 3 * * ? *)', lifecycle: { delete_after: 30 } });
    // Gitaly Cluster does not support snapshot backups: GitLab's backup covers it (server-side).
    expect(all(resources, 'aws_ebs_volume').filter((v) => v.tags[BACKUP_TAG] === 'gl')).toEqual([]);
    const twoK = synthGitlab({ size: '2k' });
    expect(all(twoK.resources, 'aws_ebs_volume').filter((v) => v.tags[BACKUP_TAG] === 'gl').map((v) => v.tags.GitLabRole)).toEqual(['gitaly']);
  });
});

describe('bill of materials', () => {
  it('is written beside the stacks at synth with role, count, type, vCPU, memory and storage', () => {
    const app = Testing.app();
    new ReferenceArchitectureStack(app, { environment: gitlabEnvironment({ size: '3k', components: { database: 'managed' } }) });
    app.synth();
    const bom = JSON.parse(readFileSync(join(app.outdir, BILL_OF_MATERIALS_FILE), 'utf8')) as BillOfMaterials;
    expect(bom).toMatchObject({ environment: 'gl', size: '3k', users: 3000, targets: { api: 60 }, availabilityZones: 3 });
    const line = (role: string) => bom.lines.find((l) => l.role === role);
    expect(line('rails')).toEqual({ role: 'rails', service: 'ec2', count: 3, instanceType: 'c5.2xlarge', vCpu: 8, memoryGiB: 16, storageGiB: 50 });
    expect(line('gitaly')).toMatchObject({ count: 3, storageGiB: 550, dataIops: 8000 });
    expect(line('postgres')).toMatchObject({ service: 'rds', instanceType: 'db.m5.large', multiAz: true, count: 1 });
    expect(line('pgbouncer')).toBeUndefined();
    expect(line('internalLb')).toMatchObject({ service: 'nlb' });
    expect(bom.objectStorageBuckets).toHaveLength(9);
    // RDS replaces Consul too (Sentinel runs on the Redis nodes): 3 redis + 3 gitaly + 3 praefect + 1 praefect db + 2 sidekiq + 3 rails + 1 monitoring + RDS primary and standby.
    expect(line('consul')).toBeUndefined();
    expect(bom.totals.nodes).toBe(18);
  });
});
