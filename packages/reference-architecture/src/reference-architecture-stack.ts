import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Lazy, type TerraformResource } from 'cdktf';
import type { HybridCluster } from '@gitlab-aws/cloud-native-hybrid';
import type { Construct } from 'constructs';
import { Ec2SubnetCidrReservation } from '@cdktf/provider-aws/lib/ec2-subnet-cidr-reservation';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { EnvironmentStack, EnvironmentValidationError, Network, partitionOf, type EnvironmentConfig } from '@gitlab-aws/core';
import {
  assertConnectionsAllowed,
  connections,
  defineTopology,
  iamNeeds,
  iamPolicyDocument,
  renderUserData,
  type GitLabTopology,
  type ManagedEndpoints,
} from '@gitlab-aws/gitlab-config';
import { allowedRules } from './allowed-rules';
import { environmentFileOf, planArchitecture, webRole, type ArchitecturePlan } from './architecture-plan';
import { Backups } from './backups';
import { BILL_OF_MATERIALS_FILE, billOfMaterials, type BillOfMaterials } from './bill-of-materials';
import { EncryptionKey } from './encryption-key';
import { gitlabTopologyInput, internalLoadBalancerHost, nodeRoleOf } from './gitlab-topology';
import { ExternalLoadBalancer, InternalLoadBalancer, type LoadBalancerTarget } from './load-balancers';
import { unservedTargets } from './load-balancer-check';
import { ManagedServices } from './managed-services';
import { NodeIam, OBJECT_STORAGE_ROLES } from './node-iam';
import { placeNodes, reservedBlock, type NodePlan } from './node-placement';
import { Nodes } from './nodes';
import { BACKUP_TAG, DataVolumes, snapshotBackedUpRoles } from './data-volumes';
import { ObjectStorage } from './object-storage';
import { PORTS, portMatrix, type PortMatrix } from './port-matrix';
import { SecurityGroups } from './security-groups';
import { serviceEndpoints, type NodeLayout } from './node-layout';
import { gzipUserData } from './user-data';
import { chartEndpointParameters, gitlabChartProps, hybridClusterName, hybridCompute } from './hybrid-compute';
import type { GitLabChartStackProps } from '@gitlab-aws/cloud-native-hybrid';

export interface ReferenceArchitectureStackProps {
  /** The validated environment; its `gitlab` and `network` sections say what to build. */
  readonly environment: EnvironmentConfig;
  /**
   * Cloud-init user data per node, built from the topology, instead of the GitLab configuration.
   * Default: every node gets @gitlab-aws/gitlab-config's document for its role (gzipped), its
   * instance role what that configuration needs, and synth checks the security groups allow
   * every flow the configuration makes.
   */
  readonly userData?: (node: NodePlan, layout: NodeLayout) => string | undefined;
}

/**
 * A GitLab reference architecture (poc, 2k or 3k) in one stack: network, KMS key, object storage,
 * security groups per role, node roles, EC2 nodes, managed services, load balancers, private DNS
 * and backups. Problems in the environment's gitlab section stop it before anything is built.
 * Synth also writes the bill of materials (cdktf.out/bill-of-materials.json).
 */
export class ReferenceArchitectureStack extends EnvironmentStack {
  readonly plan: ArchitecturePlan;
  readonly matrix: PortMatrix;
  /** The infrastructure's own view: nodes, addresses, service names, buckets, port matrix. */
  readonly layout: NodeLayout;
  readonly billOfMaterials: BillOfMaterials;
  readonly network: Network;
  readonly securityGroups: SecurityGroups;
  readonly nodeIam: NodeIam;
  readonly nodes: Nodes;
  /**
   * The GitLab topology every node's configuration is rendered from (environment file ->
   * architecture plan -> topology -> per-role gitlab.rb); undefined when a custom userData is given.
   */
  readonly topology?: GitLabTopology;
  /** The EKS cluster running Rails, Sidekiq and monitoring from the Helm chart (deployment "cloud-native-hybrid"). */
  readonly hybrid?: HybridCluster;

  constructor(scope: Construct, props: ReferenceArchitectureStackProps) {
    super(scope, { environment: props.environment, component: 'gitlab' });
    const env = props.environment;
    const { plan, problems } = planArchitecture(env);
    if (!plan) throw new EnvironmentValidationError(problems);
    if (plan.hybrid && props.userData) throw new Error(`${plan.environment}: a custom userData cannot be used with deployment "cloud-native-hybrid": the chart's secrets and the cluster's rules come from the rendered GitLab topology`);
    this.plan = plan;
    const { config, size } = plan;
    const names = this.names;
    const partition = partitionOf(env.region);
    const protect = config.protectData ?? env.guardrails.production;

    const networkConfig = env.network!;
    this.network = new Network(this, 'network', {
      config: networkConfig,
      region: env.region,
      names,
      availabilityZones: size.availabilityZones,
      natGateways: size.natGateways === 'single' && networkConfig.natGateways === 'per-az' ? 'single' : networkConfig.natGateways,
    });
    const zones = this.network.availabilityZones;
    const privateSubnets = zones.map((z) => this.network.privateSubnets.find((s) => s.availabilityZone === z)!);
    const privateSubnetIds = privateSubnets.map((s) => s.id);

    // Node addresses come from a block AWS never hands out on its own (load balancers, endpoints, RDS).
    const reservations = privateSubnets.filter((s) => s.cidr).map((s, i) => new Ec2SubnetCidrReservation(this, `node-addresses-${i}`, { subnetId: s.id, cidrBlock: reservedBlock(s.cidr!), reservationType: 'explicit', description: 'GitLab node addresses' }));
    const afterReservations = (...resources: TerraformResource[]) => {
      if (reservations.length) for (const r of resources) r.dependsOn = [...(r.dependsOn ?? []), ...reservations.map((x) => `${x.terraformResourceType}.${x.friendlyUniqueId}`)];
    };
    afterReservations(...this.network.interfaceEndpoints);

    const nodes = placeNodes(plan, privateSubnets);
    // Hybrid: Gitaly reaches the internal API at the external URL through NAT, so the external load balancer admits the NAT gateways.
    if (plan.hybrid && this.network.natPublicIps.length === 0) {
      throw new Error(
        `${environmentFileOf(env)}: network: deployment "cloud-native-hybrid" needs NAT gateways whose addresses are known: Gitaly calls the internal API at ${config.externalUrl} through them, and the load balancer admits only those besides gitlab.allowedCidrs; set network.natGateways to "per-az" or "single" (an existing VPC cannot carry GitLab's configured nodes yet either)`,
      );
    }
    this.matrix = portMatrix(plan, plan.hybrid ? { natCidrs: this.network.natPublicIps.map((ip) => `${ip}/32`) } : {});
    const kms = new EncryptionKey(this, 'kms', { names, accountId: env.accountId, partition, protect });
    const key = kms.key;
    const storage = new ObjectStorage(this, 'object-storage', { names, accountId: env.accountId, kmsKeyArn: key.arn, protect });
    this.layout = { plan, nodes, matrix: this.matrix, region: env.region, buckets: storage.bucketNames, endpoints: serviceEndpoints(plan) };

    const zone = new Route53Zone(this, 'internal-zone', { name: plan.internalDomain, comment: `GitLab nodes and endpoints of ${env.name}`, vpc: [{ vpcId: this.network.vpcId }] });
    // Hybrid: the cluster's security group calls the stateful roles; the cluster is built once the topology exists, below.
    const clusterSecurityGroup = Lazy.stringValue({ produce: () => this.hybrid!.eks.nodeSecurityGroupId });
    this.securityGroups = new SecurityGroups(this, 'security-groups', {
      matrix: this.matrix,
      roles: plan.roles,
      vpcId: this.network.vpcId,
      vpcCidr: this.network.vpcCidr,
      names,
      ...(plan.hybrid ? { externalGroupIds: { kubernetes: clusterSecurityGroup } } : {}),
    });
    const sgIds = (role: Parameters<SecurityGroups['groupIdsOf']>[1]) => this.securityGroups.groupIdsOf(this.matrix, role);
    const ec2Roles = plan.roles.filter((r) => r.deployment === 'ec2').map((r) => r.role);
    this.nodeIam = new NodeIam(this, 'iam', { roles: ec2Roles, names, partition, bucketArns: storage.bucketArns, kmsKeyArn: key.arn, permissionsBoundaryArn: config.permissionsBoundaryArn });
    const managed = new ManagedServices(this, 'managed', {
      roles: plan.roles,
      subnetIds: privateSubnetIds,
      availabilityZones: zones,
      securityGroupIds: sgIds,
      kmsKeyArn: key.arn,
      names,
      ha: size.ha,
      backupRetentionDays: config.backups.retentionDays,
      protect,
    });

    const dataVolumes = new DataVolumes(this, 'data-volumes', { roles: plan.roles, nodes, kmsKeyArn: key.arn, names, protect, backedUpRoles: snapshotBackedUpRoles(plan.gitalyCluster) });

    // The GitLab configuration of every node, from this plan: addresses, endpoints, buckets, secrets, data volumes.
    if (!props.userData) {
      this.topology = defineTopology(
        gitlabTopologyInput({
          environment: env,
          plan,
          nodes,
          vpcCidr: this.network.vpcCidr,
          buckets: storage.bucketNames,
          managed: managedEndpoints(managed),
          kmsKeyId: kms.aliasName,
          backups: { cron: crontabOf(config.backups.schedule), keepDays: config.backups.retentionDays },
          healthCheckCidrs: this.network.publicSubnets.flatMap((s) => (s.cidr ? [s.cidr] : [])),
          dataVolumeIds: Object.fromEntries(Object.entries(dataVolumes.volumes).map(([node, v]) => [node, v.id])),
        }),
      );
      // The security groups must let through every flow the rendered configuration makes.
      try {
        assertConnectionsAllowed(connections(this.topology), allowedRules(this.matrix, plan.roles));
      } catch (e) {
        throw new Error(`${this.stackId}: the port matrix (src/port-matrix.ts) and the GitLab configuration disagree: ${(e as Error).message}`);
      }
    }
    const gitlab = this.topology;
    if (gitlab && plan.hybrid) {
      this.hybrid = hybridCompute(this, 'hybrid', { environment: env, plan, topology: gitlab, names, partition, privateSubnetIds, buckets: storage.bucketNames, kmsKeyArn: key.arn, protect });
      chartEndpointParameters(this, gitlab, { postgresHost: managed.databases.postgres?.address, redisHost: managed.redis?.primaryEndpointAddress, redisCacheHost: managed.redisCache?.primaryEndpointAddress });
    }
    this.nodes = new Nodes(this, 'nodes', {
      roles: plan.roles,
      nodes,
      subnetIds: privateSubnetIds,
      securityGroupIds: sgIds,
      instanceProfileArn: (role) => this.nodeIam.profiles[role]!.arn,
      ami: config.ami,
      kmsKeyArn: key.arn,
      zoneId: zone.zoneId,
      names,
      protect,
      dataVolumes: dataVolumes.volumes,
      userData: props.userData ? (node) => props.userData!(node, this.layout) : undefined,
      userDataBase64: gitlab ? (node) => gzipUserData(renderUserData(gitlab, node.name), node.name) : undefined,
    });
    afterReservations(...Object.values(this.nodes.instances));
    if (gitlab) {
      for (const needs of iamNeeds(gitlab)) {
        const role = plan.roles.find((r) => nodeRoleOf(r.role) === needs.role)!.role;
        const seed = nodes.find((n) => n.role === role)!;
        // Rails' and Sidekiq's object storage stays in their own policy; Gitaly's backups bucket comes with this one.
        this.nodeIam.addPolicy(role, 'gitlab-boot', iamPolicyDocument({ ...needs, buckets: OBJECT_STORAGE_ROLES.includes(role) ? [] : needs.buckets }, { accountId: env.accountId, region: env.region, partition, kmsKeyArn: key.arn, seedInstanceArn: this.nodes.instances[seed.name].arn }));
      }
    }

    const cname = (recordId: string, host: string, target: string) => new Route53Record(this, recordId, { zoneId: zone.zoneId, name: host, type: 'CNAME', ttl: 30, records: [target] });
    for (const [role, db] of Object.entries(managed.databases)) {
      afterReservations(db);
      cname(`${role}-dns`, role === 'postgres' ? `postgres.${plan.internalDomain}` : `praefect-postgres.${plan.internalDomain}`, db.address);
    }
    if (managed.redis) {
      afterReservations(managed.redis);
      cname('redis-dns', `redis.${plan.internalDomain}`, managed.redis.primaryEndpointAddress);
    }
    if (managed.redisCache) {
      afterReservations(managed.redisCache);
      cname('redis-cache-dns', `redis-cache.${plan.internalDomain}`, managed.redisCache.primaryEndpointAddress);
    }

    const instancesOf = (role: string) => Object.fromEntries(nodes.filter((n) => n.role === role).map((n) => [n.name, this.nodes.instances[n.name].id]));
    const targets: LoadBalancerTarget[] = [];
    // Hybrid: the same load balancer, in front of the chart NGINX's NodePorts on the supporting pool (where NGINX runs).
    const supporting = this.hybrid?.nodeGroups.groups.supporting;
    const external = new ExternalLoadBalancer(this, 'external-lb', {
      config,
      names,
      vpcId: this.network.vpcId,
      publicSubnetIds: this.network.publicSubnets.map((s) => s.id),
      securityGroupId: this.securityGroups.group('externalLb').id,
      backend: supporting ? { kubernetesNodeGroups: { supporting: supporting.resources.get(0).autoscalingGroups.get(0).name } } : { rails: instancesOf(webRole(plan.roles)), role: webRole(plan.roles) },
    });
    afterReservations(external.loadBalancer, external.sshLoadBalancer);
    targets.push(...external.targets);

    if (plan.internalLoadBalancer) {
      const backends = [
        ...(plan.hybrid ? [] : [{ name: 'rails-api', role: 'rails' as const, port: 80, targets: instancesOf('rails') }]),
        // Praefect's TLS port: the load balancer passes TLS through to Praefect, whose certificate names it.
        ...(plan.gitalyCluster ? [{ name: 'praefect', role: 'praefect' as const, port: PORTS.praefectTls, targets: instancesOf('praefect') }] : []),
        ...(plan.roles.some((r) => r.role === 'pgbouncer') ? [{ name: 'pgbouncer', role: 'pgbouncer' as const, port: 6432, targets: instancesOf('pgbouncer') }] : []),
      ];
      const internal = new InternalLoadBalancer(this, 'internal-lb', { names, vpcId: this.network.vpcId, privateSubnetIds, securityGroupId: this.securityGroups.group('internalLb').id, backends });
      afterReservations(internal.loadBalancer);
      targets.push(...internal.targets);
      // One name for the whole internal load balancer: the GitLab configuration reaches Praefect and PgBouncer by it.
      new Route53Record(this, 'internal-lb-dns', { zoneId: zone.zoneId, name: internalLoadBalancerHost(plan), type: 'A', alias: { name: internal.loadBalancer.dnsName, zoneId: internal.loadBalancer.zoneId, evaluateTargetHealth: false } });
      for (const b of backends) {
        new Route53Record(this, `${b.name}-dns`, { zoneId: zone.zoneId, name: `${b.name}.${plan.internalDomain}`, type: 'A', alias: { name: internal.loadBalancer.dnsName, zoneId: internal.loadBalancer.zoneId, evaluateTargetHealth: true } });
      }
    }

    // Every load balancer target must be a port the rendered configuration serves.
    if (gitlab) {
      const unserved = unservedTargets(targets, gitlab);
      if (unserved.length) throw new Error(`${this.stackId}: load balancers forward to ports no GitLab role listens on:\n${unserved.map((u) => `  - ${u}`).join('\n')}`);
    }

    new Backups(this, 'backups', { names, partition, kmsKeyArn: key.arn, tagKey: BACKUP_TAG, retentionDays: config.backups.retentionDays, schedule: config.backups.schedule, protect });

    this.billOfMaterials = billOfMaterials(plan, Object.values(storage.bucketNames));
    // Written beside the stacks at synth, for the load tests and the cost estimate (not a Terraform file).
    const inner = this.synthesizer;
    this.synthesizer = {
      synthesize: (session) => {
        inner.synthesize(session);
        mkdirSync(session.outdir, { recursive: true });
        writeFileSync(join(session.outdir, BILL_OF_MATERIALS_FILE), `${JSON.stringify(this.billOfMaterials, null, 2)}\n`);
      },
    };
  }
}

/**
 * The props of the Kubernetes-side stack (GitLabChartStack) of a Cloud Native Hybrid environment,
 * from this stack's topology and cluster. Throws for a Linux-package environment.
 */
export function chartStackProps(stack: ReferenceArchitectureStack): GitLabChartStackProps {
  if (!stack.hybrid || !stack.topology) throw new Error(`${stack.stackId}: the GitLab chart stack is for gitlab.deployment "cloud-native-hybrid" only`);
  return gitlabChartProps({ environment: stack.environment, plan: stack.plan, topology: stack.topology, clusterName: hybridClusterName(stack.names), buckets: stack.layout.buckets });
}

/** An AWS cron expression ("cron(0 3 * * ? *)") as a crontab schedule ("0 3 * * *"). */
export function crontabOf(awsCron: string): string {
  const fields = /^cron\((.+)\)$/.exec(awsCron)?.[1].trim().split(/\s+/);
  if (!fields || fields.length !== 6) throw new Error(`gitlab.backups.schedule: "${awsCron}" is not an AWS cron expression of 6 fields such as "cron(0 3 * * ? *)"`);
  // AWS numbers weekdays 1-7 from Sunday, crontab 0-6: only daily schedules translate one to one.
  if (!['?', '*'].includes(fields[4])) throw new Error(`gitlab.backups.schedule: "${awsCron}" names days of the week; GitLab's backup runs daily: use "?" there`);
  return fields.slice(0, 5).map((f) => (f === '?' ? '*' : f)).join(' ');
}

/** RDS and ElastiCache as the GitLab configuration reaches them (real endpoints: TLS names match). */
function managedEndpoints(managed: ManagedServices): ManagedEndpoints {
  const db = (role: 'postgres' | 'praefectPostgres') => {
    const instance = managed.databases[role];
    return instance ? { host: instance.address, port: 5432, masterSecretArn: instance.masterUserSecret.get(0).secretArn } : undefined;
  };
  const postgres = db('postgres');
  const praefectPostgres = db('praefectPostgres');
  return {
    ...(postgres ? { postgres } : {}),
    ...(praefectPostgres ? { praefectPostgres } : {}),
    ...(managed.redis ? { redis: { host: managed.redis.primaryEndpointAddress, port: 6379, tls: true } } : {}),
    ...(managed.redisCache ? { redisCache: { host: managed.redisCache.primaryEndpointAddress, port: 6379, tls: true } } : {}),
  };
}
