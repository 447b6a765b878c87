import { tfStack } from '../__fixtures__/stack';
import { estimateStack } from './estimate';
import { PRICE_TABLE, type PriceTable } from './price-table';

const eu = PRICE_TABLE.regions['eu-west-1'];
const H = PRICE_TABLE.hoursPerMonth;
const A = PRICE_TABLE.assumptions;
const round = (n: number) => Math.round(n * 100) / 100;

describe('price table', () => {
  it('states its label, source and date, and prices eu-west-1 and us-east-1', () => {
    expect(PRICE_TABLE.label).toBe('estimate');
    expect(PRICE_TABLE.source.length).toBeGreaterThan(20);
    expect(PRICE_TABLE.date).toMatch(/^\d{4}-\d{2}/);
    expect(PRICE_TABLE.hoursPerMonth).toBe(730);
    for (const region of ['eu-west-1', 'us-east-1']) {
      const r = PRICE_TABLE.regions[region];
      // Every size the reference architectures use has a price.
      for (const type of ['c5.large', 'c5.2xlarge', 'c5n.xlarge', 'm5.large', 'm5.xlarge']) expect(r.ec2[type]).toBeGreaterThan(0);
      expect(r.rds['db.m5.large']).toBeGreaterThan(0);
      expect(r.elasticache['cache.m5.large']).toBeGreaterThan(0);
      expect(r.ebs.gp3.gbMonth).toBeGreaterThan(0);
    }
  });
});

describe('cost estimate', () => {
  const rails = (n: number) => ({ instance_type: 'c5.2xlarge', count: n, root_block_device: { volume_size: 100, volume_type: 'gp3', encrypted: true } });

  it('prices EC2 by type and count, and EBS by type, size and IOPS', () => {
    const cost = estimateStack(
      's',
      tfStack({
        'aws_instance.rails': rails(2),
        'aws_ebs_volume.gitaly': { size: 500, type: 'gp3', iops: 8000, throughput: 250 },
        'aws_ebs_volume.old': { size: 100, type: 'io1', iops: 1000 },
      }),
    );
    const item = (address: string, service: string) => cost.items.find((i) => i.address === address && i.service === service)!;
    expect(item('aws_instance.rails', 'EC2')).toMatchObject({ description: '2 x c5.2xlarge', monthly: round(2 * eu.ec2['c5.2xlarge'] * H) });
    expect(item('aws_instance.rails', 'EBS').monthly).toBe(round(2 * 100 * eu.ebs.gp3.gbMonth));
    // gp3: 3,000 IOPS and 125 MB/s are included in the GB price.
    expect(item('aws_ebs_volume.gitaly', 'EBS').monthly).toBe(round(500 * eu.ebs.gp3.gbMonth + 5000 * eu.ebs.gp3.iopsMonth! + 125 * eu.ebs.gp3.throughputMbpsMonth!));
    expect(item('aws_ebs_volume.old', 'EBS').monthly).toBe(round(100 * eu.ebs.io1.gbMonth + 1000 * eu.ebs.io1.iopsMonth!));
    expect(cost.priceRegion).toBe('eu-west-1');
    expect(cost.monthly).toBe(round(cost.items.reduce((n, i) => n + i.monthly, 0)));
  });

  it('prices an autoscaling group at desired, else min capacity, and says so', () => {
    const lt = { instance_type: 'm5.xlarge', block_device_mappings: [{ device_name: '/dev/xvda', ebs: { volume_size: 50, volume_type: 'gp3', encrypted: true } }] };
    const at = (asg: object) =>
      estimateStack('s', tfStack({ 'aws_launch_template.w': lt, 'aws_autoscaling_group.w': { launch_template: { id: '${aws_launch_template.w.id}' }, ...asg } })).items;
    const desired = at({ min_size: 1, max_size: 5, desired_capacity: 3 });
    expect(desired[0]).toMatchObject({ service: 'EC2', description: '3 x m5.xlarge (autoscaling)', monthly: round(3 * eu.ec2['m5.xlarge'] * H) });
    expect(desired[0].basis).toContain('priced at desired capacity 3 (min 1, max 5), all on-demand');
    expect(desired[0].basis).toContain(`at max 5: ${round(5 * (eu.ec2['m5.xlarge'] * H + 50 * eu.ebs.gp3.gbMonth))}/month`);
    const scaleToZero = at({ min_size: 0, max_size: 10 });
    expect(scaleToZero[0]).toMatchObject({ description: '0 x m5.xlarge (autoscaling)', monthly: 0 });
    expect(scaleToZero[0].basis).toContain('priced at min capacity 0');
  });

  it('prices an EKS node group at desired, else min size, with its launch template volumes, and the control plane by the hour', () => {
    const lt = { block_device_mappings: [{ device_name: '/dev/xvda', ebs: { volume_size: 100, volume_type: 'gp3', encrypted: true } }] };
    const items = (group: object) =>
      estimateStack('s', tfStack({ 'aws_eks_cluster.c': { name: 'c' }, 'aws_launch_template.n': lt, 'aws_eks_node_group.web': { instance_types: ['c5.2xlarge'], launch_template: { id: '${aws_launch_template.n.id}', version: '1' }, ...group } })).items;
    const desired = items({ scaling_config: { min_size: 3, desired_size: 3, max_size: 6 } });
    expect(desired.find((i) => i.service === 'EKS')).toMatchObject({ description: 'EKS control plane', monthly: round(eu.eksClusterHour * H) });
    expect(desired.find((i) => i.service === 'EC2')).toMatchObject({ description: '3 x c5.2xlarge (EKS nodes)', monthly: round(3 * eu.ec2['c5.2xlarge'] * H) });
    expect(desired.find((i) => i.service === 'EBS')).toMatchObject({ description: '3 x (100 GB gp3)', monthly: round(3 * 100 * eu.ebs.gp3.gbMonth) });
    expect(desired.find((i) => i.service === 'EC2')!.basis).toContain(`at max 6: ${round(6 * (eu.ec2['c5.2xlarge'] * H + 100 * eu.ebs.gp3.gbMonth))}/month`);
    const atMin = items({ scaling_config: { min_size: 2, max_size: 4 } }).find((i) => i.service === 'EC2')!;
    expect(atMin).toMatchObject({ description: '2 x c5.2xlarge (EKS nodes)' });
    expect(atMin.basis).toContain('priced at min size 2 (min 2, max 4)');
    // Without a launch template the root volume is an assumption, said so.
    const bare = estimateStack('s', tfStack({ 'aws_eks_node_group.web': { instance_types: ['m5.large'], scaling_config: { min_size: 1, desired_size: 1, max_size: 1 } } })).items;
    expect(bare.find((i) => i.service === 'EBS')!.basis).toContain('root volume assumed');
  });

  it('prices managed services, networking and usage items from stated assumptions', () => {
    const cost = estimateStack(
      's',
      tfStack({
        'aws_db_instance.db': { instance_class: 'db.m5.large', multi_az: true, allocated_storage: 100 },
        'aws_elasticache_replication_group.redis': { node_type: 'cache.m5.large', num_cache_clusters: 3 },
        'aws_nat_gateway.a': { subnet_id: 'x' },
        'aws_eip.a': { domain: 'vpc' },
        'aws_lb.external': { load_balancer_type: 'application' },
        'aws_lb.praefect': { load_balancer_type: 'network', internal: true },
        'aws_vpc_endpoint.ssm': { vpc_endpoint_type: 'Interface', service_name: 'com.amazonaws.eu-west-1.ssm', subnet_ids: ['a', 'b', 'c'] },
        'aws_vpc_endpoint.s3': { vpc_endpoint_type: 'Gateway', service_name: 'com.amazonaws.eu-west-1.s3' },
        'aws_s3_bucket.artifacts': { bucket: 'artifacts' },
        'aws_cloudwatch_log_group.flow': { retention_in_days: 90 },
        'aws_security_group.x': {},
        'aws_iam_role.r': {},
      }),
    );
    const monthly = (address: string) => cost.items.find((i) => i.address === address)?.monthly;
    expect(monthly('aws_db_instance.db')).toBe(round(2 * (eu.rds['db.m5.large'] * H + 100 * eu.rdsStorage.gbMonth)));
    expect(monthly('aws_elasticache_replication_group.redis')).toBe(round(3 * eu.elasticache['cache.m5.large'] * H));
    expect(monthly('aws_nat_gateway.a')).toBe(round(eu.natGatewayHour * H + A.natGbPerGatewayMonth * eu.natGatewayGb));
    expect(monthly('aws_eip.a')).toBe(round(eu.publicIpv4Hour * H));
    expect(monthly('aws_lb.external')).toBe(round((eu.albHour + A.lcuPerLoadBalancer * eu.lcuHour) * H));
    expect(monthly('aws_lb.praefect')).toBe(round((eu.nlbHour + A.lcuPerLoadBalancer * eu.nlcuHour) * H));
    expect(monthly('aws_vpc_endpoint.ssm')).toBe(round(3 * eu.interfaceEndpointHourPerAz * H + A.endpointGbPerEndpointMonth * eu.interfaceEndpointGb));
    expect(monthly('aws_vpc_endpoint.s3')).toBeUndefined();
    expect(monthly('aws_s3_bucket.artifacts')).toBe(round(A.s3GbPerBucket * eu.s3StandardGbMonth));
    expect(cost.items.find((i) => i.address === 'aws_s3_bucket.artifacts')!.basis).toContain(`${A.s3GbPerBucket} GB Standard storage assumed`);
    expect(monthly('aws_cloudwatch_log_group.flow')).toBe(round(A.logGbPerGroupMonth * (eu.logsIngestGb + eu.logsStorageGbMonth)));
    // Free resources are neither priced nor reported as unpriced.
    expect(cost.unpriced).toEqual([]);
  });

  it('names what it cannot price instead of counting it as free', () => {
    const cost = estimateStack('s', tfStack({ 'aws_instance.x': { instance_type: 'x9.mega' }, 'aws_msk_cluster.k': {} }));
    expect(cost.unpriced).toEqual([
      { address: 'aws_instance.x', type: 'aws_instance', reason: 'instance type x9.mega is not in the price table' },
      { address: 'aws_msk_cluster.k', type: 'aws_msk_cluster', reason: 'no price rule for aws_msk_cluster' },
    ]);
  });

  it('uses another region\'s prices when the table lacks the stack\'s region, and says so', () => {
    const cost = estimateStack('s', tfStack({ 'aws_instance.rails': rails(1) }, { region: 'ap-south-1' }));
    expect(cost.priceRegion).toBe('us-east-1');
    expect(cost.unpriced[0].reason).toBe('no prices for ap-south-1: us-east-1 prices used');
    expect(cost.items[0].monthly).toBe(round(PRICE_TABLE.regions['us-east-1'].ec2['c5.2xlarge'] * H));
  });

  it('takes its numbers from the table it is given', () => {
    const doubled: PriceTable = { ...PRICE_TABLE, regions: { 'eu-west-1': { ...eu, ec2: { 'c5.2xlarge': 2 * eu.ec2['c5.2xlarge'] } } } };
    expect(estimateStack('s', tfStack({ 'aws_instance.rails': rails(1) }), doubled).items[0].monthly).toBe(round(2 * eu.ec2['c5.2xlarge'] * H));
  });
});
