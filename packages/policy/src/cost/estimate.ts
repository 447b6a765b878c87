import { blocks, bool, isObject, num, strings, ResourceIndex, type TerraformJson, type TfResource } from '../terraform-json';
import { PRICE_TABLE, regionPrices, type PriceTable } from './price-table';

/** One priced line: a resource (or group of resources) and its monthly cost. */
export interface CostItem {
  readonly address: string;
  readonly path: string;
  /** e.g. "EC2", "EBS", "RDS". */
  readonly service: string;
  /** What was priced, e.g. "2 x c5.2xlarge". */
  readonly description: string;
  readonly monthly: number;
  /** How the number came about when it rests on an assumption or a choice (capacity, usage). */
  readonly basis?: string;
}

export interface StackCost {
  readonly stack: string;
  /** The stack's region (from its AWS provider). */
  readonly region?: string;
  /** Region whose prices were used. */
  readonly priceRegion: string;
  readonly items: CostItem[];
  /** Billable-looking resources the table cannot price (named, never silently zero). */
  readonly unpriced: { address: string; type: string; reason: string }[];
  readonly monthly: number;
}

/** Resource types that cost nothing themselves (or are billed through another priced resource). */
const FREE = [
  /^aws_(vpc|subnet|route|route_table|route_table_association|internet_gateway|egress_only_internet_gateway|main_route_table_association)$/,
  /^aws_(default_)?(security_group|network_acl|route_table|vpc_dhcp_options)/,
  /^aws_vpc_security_group_(ingress|egress)_rule$/,
  /^aws_iam_/,
  /^aws_s3_(bucket_.+|account_public_access_block)$/,
  /^aws_(launch_template|flow_log|key_pair|placement_group|eip_association|volume_attachment|vpc_endpoint_route_table_association)$/,
  /^aws_lb_(listener|listener_rule|target_group|target_group_attachment|listener_certificate)$/,
  /^aws_autoscaling_(lifecycle_hook|policy|schedule|notification|attachment|traffic_source_attachment)$/,
  /^aws_(kms_alias|ebs_encryption_by_default|ebs_default_kms_key|ebs_snapshot_block_public_access|ec2_image_block_public_access|ec2_instance_metadata_defaults|accessanalyzer_analyzer)$/,
  /^aws_(db_subnet_group|db_parameter_group|db_option_group|rds_cluster_parameter_group|elasticache_subnet_group|elasticache_parameter_group|elasticache_user|elasticache_user_group)$/,
  /^aws_(amplify_branch|amplify_domain_association|amplify_webhook|amplify_backend_environment)$/,
  /^aws_(cloudwatch_log_resource_policy|cloudwatch_log_subscription_filter|cloudwatch_log_metric_filter|acm_certificate|acm_certificate_validation|route53_record|lambda_permission|sns_topic_subscription|sns_topic_policy|sqs_queue_policy)$/,
  /^aws_(iam_openid_connect_provider|ssm_document|ssm_association|secretsmanager_secret_version|secretsmanager_secret_policy|ecr_lifecycle_policy|ecr_repository_policy|eks_addon|eks_access_entry|eks_access_policy_association)$/,
];

const REF = (v: unknown) => (typeof v === 'string' ? v : '');

function count(r: TfResource): { n: number; note?: string } {
  const c = r.values.count;
  if (c === undefined) return r.values.for_each !== undefined ? { n: 1, note: 'for_each: priced once' } : { n: 1 };
  const n = num(c);
  return n === undefined ? { n: 1, note: 'count is an expression: priced once' } : { n };
}

const money = (n: number) => Math.round(n * 100) / 100;

function regionOf(json: TerraformJson): string | undefined {
  const aws = json.provider?.aws;
  const list = Array.isArray(aws) ? aws : aws ? [aws] : [];
  const main = list.find((p) => isObject(p) && p.alias === undefined) ?? list[0];
  return isObject(main) && typeof main.region === 'string' ? main.region : undefined;
}

/** Monthly cost of one stack's AWS resources at on-demand list prices. */
export function estimateStack(stack: string, json: TerraformJson, table: PriceTable = PRICE_TABLE): StackCost {
  const index = new ResourceIndex(json);
  const region = regionOf(json);
  const { prices: p, region: priceRegion, fallback } = regionPrices(table, region ?? 'us-east-1');
  const H = table.hoursPerMonth;
  const a = table.assumptions;
  const items: CostItem[] = [];
  const unpriced: StackCost['unpriced'] = [];
  const add = (r: TfResource, service: string, description: string, monthly: number, basis?: string) =>
    items.push({ address: r.address, path: r.path, service, description, monthly: money(monthly), ...(basis ? { basis } : {}) });
  const missing = (r: TfResource, reason: string) => unpriced.push({ address: r.address, type: r.type, reason });

  const ebsMonthly = (type: string, gb: number, iops?: number, throughput?: number): number | undefined => {
    const e = p.ebs[type];
    if (!e) return undefined;
    let m = gb * e.gbMonth;
    if (iops !== undefined && e.iopsMonth) m += Math.max(0, iops - (e.freeIops ?? 0)) * e.iopsMonth;
    if (throughput !== undefined && e.throughputMbpsMonth) m += Math.max(0, throughput - (e.freeThroughputMbps ?? 0)) * e.throughputMbpsMonth;
    return m;
  };
  /** Volumes of an instance or a launch template, per machine. */
  const volumes = (owner: TfResource, blocksOf: { size?: unknown; type?: unknown; iops?: unknown; throughput?: unknown }[], rootDeclared: boolean) => {
    let m = 0;
    const parts: string[] = [];
    const all = rootDeclared ? blocksOf : [{ size: a.rootVolumeGb, type: a.rootVolumeType }, ...blocksOf];
    for (const v of all) {
      const type = typeof v.type === 'string' ? v.type : 'gp3';
      const gb = num(v.size) ?? a.rootVolumeGb;
      const cost = ebsMonthly(type, gb, num(v.iops), num(v.throughput));
      if (cost === undefined) missing(owner, `EBS volume type "${type}" is not in the price table`);
      else m += cost;
      parts.push(`${gb} GB ${type}${num(v.iops) ? ` ${num(v.iops)} IOPS` : ''}`);
    }
    return { monthly: m, text: parts.join(' + '), assumedRoot: !rootDeclared };
  };
  const ec2 = (r: TfResource, type: unknown): number | undefined => {
    if (typeof type !== 'string') {
      missing(r, 'instance type is not a literal');
      return undefined;
    }
    const hourly = p.ec2[type];
    if (hourly === undefined) missing(r, `instance type ${type} is not in the price table`);
    return hourly;
  };

  for (const r of index.all) {
    if (r.mode !== 'resource' || !r.type.startsWith('aws_')) continue;
    const v = r.values;
    const { n, note } = count(r);
    switch (r.type) {
      case 'aws_instance': {
        const hourly = ec2(r, v.instance_type);
        const root = blocks(v.root_block_device)[0];
        const vol = volumes(
          r,
          [
            ...(root ? [{ size: root.volume_size, type: root.volume_type, iops: root.iops, throughput: root.throughput }] : []),
            ...blocks(v.ebs_block_device).map((d) => ({ size: d.volume_size, type: d.volume_type, iops: d.iops, throughput: d.throughput })),
          ],
          root !== undefined,
        );
        if (hourly !== undefined) add(r, 'EC2', `${n} x ${String(v.instance_type)}`, n * hourly * H, note);
        add(r, 'EBS', `${n} x (${vol.text})`, n * vol.monthly, vol.assumedRoot ? `root volume not declared: assumed ${a.rootVolumeGb} GB ${a.rootVolumeType}` : undefined);
        break;
      }
      case 'aws_autoscaling_group': {
        const spec = blocks(v.launch_template)[0] ?? blocks(blocks(blocks(v.mixed_instances_policy)[0]?.launch_template)[0]?.launch_template_specification)[0];
        const lt = spec ? index.referenced(spec.id ?? spec.launch_template_id ?? spec.name ?? spec.launch_template_name).find((x) => x.type === 'aws_launch_template') : undefined;
        const override = blocks(blocks(blocks(v.mixed_instances_policy)[0]?.launch_template)[0]?.override)[0];
        const type = lt?.values.instance_type ?? override?.instance_type;
        const desired = num(v.desired_capacity);
        const min = num(v.min_size) ?? 0;
        const max = num(v.max_size);
        const machines = desired ?? min;
        const basis = `priced at ${desired !== undefined ? `desired capacity ${desired}` : `min capacity ${min}`} (min ${min}, max ${max ?? '?'}), all on-demand`;
        if (!lt) {
          missing(r, 'launch template not found in the stack');
          break;
        }
        const hourly = ec2(r, type);
        const mappings = blocks(lt.values.block_device_mappings).map((m) => blocks(m.ebs)[0] ?? {});
        const vol = volumes(r, mappings.map((e) => ({ size: e.volume_size, type: e.volume_type, iops: e.iops, throughput: e.throughput })), mappings.length > 0);
        const perMachine = (hourly ?? 0) * H + vol.monthly;
        const ceiling = max !== undefined && max > machines ? `; at max ${max}: ${money(max * perMachine)}/month` : '';
        if (hourly !== undefined) add(r, 'EC2', `${machines} x ${String(type)} (autoscaling)`, machines * hourly * H, `${basis}${ceiling}`);
        add(r, 'EBS', `${machines} x (${vol.text})`, machines * vol.monthly, vol.assumedRoot ? `${basis}; root volume assumed ${a.rootVolumeGb} GB ${a.rootVolumeType}` : basis);
        break;
      }
      case 'aws_eks_node_group': {
        // Managed node group: its instance type, and volumes from its launch template when it has one.
        const spec = blocks(v.launch_template)[0];
        const lt = spec ? index.referenced(spec.id ?? spec.name).find((x) => x.type === 'aws_launch_template') : undefined;
        const type = strings(v.instance_types)[0] ?? lt?.values.instance_type;
        const scaling = blocks(v.scaling_config)[0] ?? {};
        const desired = num(scaling.desired_size);
        const min = num(scaling.min_size) ?? 0;
        const max = num(scaling.max_size);
        const machines = desired ?? min;
        const basis = `EKS node group priced at ${desired !== undefined ? `desired size ${desired}` : `min size ${min}`} (min ${min}, max ${max ?? '?'}), all on-demand`;
        const hourly = ec2(r, type);
        const mappings = lt ? blocks(lt.values.block_device_mappings).map((m) => blocks(m.ebs)[0] ?? {}) : [];
        const vol = volumes(r, mappings.map((e) => ({ size: e.volume_size, type: e.volume_type, iops: e.iops, throughput: e.throughput })), mappings.length > 0);
        const perMachine = (hourly ?? 0) * H + vol.monthly;
        const ceiling = max !== undefined && max > machines ? `; at max ${max}: ${money(max * perMachine)}/month` : '';
        if (hourly !== undefined) add(r, 'EC2', `${machines} x ${String(type)} (EKS nodes)`, machines * hourly * H, `${basis}${ceiling}`);
        add(r, 'EBS', `${machines} x (${vol.text})`, machines * vol.monthly, vol.assumedRoot ? `${basis}; root volume assumed ${a.rootVolumeGb} GB ${a.rootVolumeType}` : basis);
        break;
      }
      case 'aws_ebs_volume': {
        const type = typeof v.type === 'string' ? v.type : 'gp3';
        const cost = ebsMonthly(type, num(v.size) ?? 0, num(v.iops), num(v.throughput));
        if (cost === undefined) missing(r, `EBS volume type "${type}" is not in the price table`);
        else add(r, 'EBS', `${n} x ${num(v.size) ?? '?'} GB ${type}${num(v.iops) ? ` ${num(v.iops)} IOPS` : ''}`, n * cost, note);
        break;
      }
      case 'aws_db_instance': {
        const cls = String(v.instance_class);
        const hourly = p.rds[cls];
        const azs = bool(v.multi_az) ? 2 : 1;
        if (hourly === undefined) {
          missing(r, `instance class ${cls} is not in the price table`);
          break;
        }
        const gb = num(v.allocated_storage) ?? 20;
        const io = v.storage_type === 'io1' || v.storage_type === 'io2';
        const storage = gb * (io ? p.rdsStorage.io1GbMonth : p.rdsStorage.gbMonth) + (io ? (num(v.iops) ?? 0) * p.rdsStorage.iopsMonth : 0);
        add(r, 'RDS', `${n} x ${cls}${azs === 2 ? ' Multi-AZ' : ''}, ${gb} GB`, n * azs * (hourly * H + storage), note);
        break;
      }
      case 'aws_elasticache_replication_group':
      case 'aws_elasticache_cluster': {
        if (r.type === 'aws_elasticache_cluster' && v.replication_group_id !== undefined) break; // priced with its group
        const node = String(v.node_type);
        const hourly = p.elasticache[node];
        const nodes =
          r.type === 'aws_elasticache_cluster'
            ? (num(v.num_cache_nodes) ?? 1)
            : (num(v.num_cache_clusters) ?? (num(v.num_node_groups) ?? 1) * ((num(v.replicas_per_node_group) ?? 0) + 1));
        if (hourly === undefined) missing(r, `node type ${node} is not in the price table`);
        else add(r, 'ElastiCache', `${nodes} x ${node}`, nodes * hourly * H);
        break;
      }
      case 'aws_nat_gateway':
        if (v.connectivity_type === 'private') add(r, 'VPC', `${n} x private NAT gateway`, n * p.natGatewayHour * H);
        else add(r, 'VPC', `${n} x NAT gateway`, n * (p.natGatewayHour * H + a.natGbPerGatewayMonth * p.natGatewayGb), `${a.natGbPerGatewayMonth} GB/month processed per gateway assumed`);
        break;
      case 'aws_eip':
        add(r, 'VPC', `${n} x public IPv4 address`, n * p.publicIpv4Hour * H, note);
        break;
      case 'aws_lb':
      case 'aws_alb':
      case 'aws_elb': {
        const kind = r.type === 'aws_elb' ? 'classic' : String(v.load_balancer_type ?? 'application');
        const hourly = kind === 'network' ? p.nlbHour + a.lcuPerLoadBalancer * p.nlcuHour : kind === 'classic' ? p.clbHour : p.albHour + a.lcuPerLoadBalancer * p.lcuHour;
        if (kind === 'gateway') missing(r, 'gateway load balancers are not in the price table');
        else add(r, 'ELB', `${n} x ${kind} load balancer`, n * hourly * H, kind === 'classic' ? undefined : `${a.lcuPerLoadBalancer} capacity unit(s) per hour assumed`);
        break;
      }
      case 'aws_vpc_endpoint': {
        if ((v.vpc_endpoint_type ?? 'Gateway') !== 'Interface') break; // gateway endpoints (S3, DynamoDB) are free
        const azs = Math.max(1, strings(v.subnet_ids).length);
        add(
          r,
          'VPC',
          `interface endpoint ${REF(v.service_name).split('.').pop()} in ${azs} AZ(s)`,
          n * (azs * p.interfaceEndpointHourPerAz * H + a.endpointGbPerEndpointMonth * p.interfaceEndpointGb),
          `${a.endpointGbPerEndpointMonth} GB/month processed assumed`,
        );
        break;
      }
      case 'aws_s3_bucket':
        add(r, 'S3', `${n} x bucket`, n * a.s3GbPerBucket * p.s3StandardGbMonth, `${a.s3GbPerBucket} GB Standard storage assumed; requests and transfer not included`);
        break;
      case 'aws_cloudwatch_log_group':
        add(r, 'CloudWatch', `${n} x log group`, n * a.logGbPerGroupMonth * (p.logsIngestGb + p.logsStorageGbMonth), `${a.logGbPerGroupMonth} GB/month ingested assumed`);
        break;
      case 'aws_kms_key':
        add(r, 'KMS', `${n} x customer-managed key`, n * p.kmsKeyMonth, 'requests not included');
        break;
      case 'aws_secretsmanager_secret':
        add(r, 'Secrets Manager', `${n} x secret`, n * p.secretMonth);
        break;
      case 'aws_ssm_parameter':
        if (v.tier === 'Advanced') add(r, 'SSM', `${n} x advanced parameter`, n * p.ssmAdvancedParameterMonth);
        break;
      case 'aws_eks_cluster':
        add(r, 'EKS', 'EKS control plane', p.eksClusterHour * H);
        break;
      case 'aws_route53_zone':
        add(r, 'Route 53', 'hosted zone', p.route53ZoneMonth, 'queries not included');
        break;
      case 'aws_cloudwatch_metric_alarm':
        add(r, 'CloudWatch', `${n} x alarm`, n * p.cloudwatchAlarmMonth);
        break;
      case 'aws_amplify_app':
        add(
          r,
          'Amplify',
          'Amplify Hosting app',
          a.amplifyBuildMinutesMonth * p.amplifyBuildMinute + a.amplifyServedGbMonth * p.amplifyServedGb,
          `${a.amplifyBuildMinutesMonth} build minutes and ${a.amplifyServedGbMonth} GB served per month assumed`,
        );
        break;
      default:
        if (!FREE.some((re) => re.test(r.type))) missing(r, `no price rule for ${r.type}`);
    }
  }
  const notes = fallback ? [{ address: '-', type: '-', reason: `no prices for ${region}: ${priceRegion} prices used` }] : [];
  return {
    stack,
    ...(region ? { region } : {}),
    priceRegion,
    items,
    unpriced: [...notes, ...unpriced],
    monthly: money(items.reduce((s, i) => s + i.monthly, 0)),
  };
}

