import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { partitionOf, type AwsRegion } from '../environment/regions';
import { serviceTrustPolicy } from '../iam/service-trust';
import { enclosingAccountId } from '../stack/enclosing-account';
import type { NetworkConfig } from '../environment/sections/network';
import type { ResourceNames } from '../naming/resource-names';
import { availabilityZoneNames } from './availability-zones';
import { cidrSubnet } from './cidr';

export interface NetworkProps {
  /** The environment's `network` section. */
  readonly config: NetworkConfig;
  readonly region: AwsRegion;
  readonly names: ResourceNames;
  /** Zones to span; overrides the environment's count (a 3K reference architecture needs 3). Default: config.availabilityZones. */
  readonly availabilityZones?: number;
  /** NAT gateways. Default: config.natGateways ("per-az"). */
  readonly natGateways?: NetworkConfig['natGateways'];
  /** Interface endpoints for SSM Session Manager, so nodes need neither SSH nor a public IP. Default: true. */
  readonly ssmEndpoints?: boolean;
  /** VPC flow logs to CloudWatch, kept this many days; 0 turns them off. Default: 90. */
  readonly flowLogRetentionDays?: number;
  /** Account whose flow logs may use the flow-logs role (aws:SourceAccount). Default: the enclosing EnvironmentStack's account. */
  readonly accountId?: string;
}

/** A subnet as the capabilities see it: ID (a token when created here), zone and range. */
export interface NetworkSubnet {
  readonly id: string;
  readonly availabilityZone: string;
  /** Known when the subnet is created here; undefined for an existing VPC's subnets. */
  readonly cidr?: string;
}

/**
 * The VPC a capability places its machines in: public subnets for load balancers and NAT, private
 * subnets for nodes, an S3 gateway endpoint, SSM endpoints, flow logs and a default security group
 * that allows nothing. With `existing` in the environment file, it only describes that VPC.
 * Subnet ranges are computed here (a /20-style split: public 0..n-1, private 8..8+n-1 with 4 new
 * bits), so security rules can name them without a lookup.
 */
export class Network extends Construct {
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly availabilityZones: string[];
  readonly publicSubnets: NetworkSubnet[];
  readonly privateSubnets: NetworkSubnet[];
  /** Security group of the SSM interface endpoints, when created. */
  readonly endpointSecurityGroupId?: string;
  /** The interface endpoints created here (they take addresses in the private subnets). */
  readonly interfaceEndpoints: VpcEndpoint[] = [];
  /** Public addresses of the NAT gateways created here (tokens); empty for an existing VPC or natGateways "none". */
  readonly natPublicIps: string[] = [];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { config, names } = props;
    const count = props.availabilityZones ?? config.availabilityZones;
    this.vpcCidr = config.vpcCidr;

    if (config.existing) {
      const zones = [...new Set(config.existing.privateSubnets.map((s) => s.availabilityZone))];
      if (zones.length < count) {
        throw new Error(`network.existing.privateSubnets: ${count} availability zones are needed, the subnets cover ${zones.length} (${zones.join(', ')}): add subnets in other zones`);
      }
      this.vpcId = config.existing.vpcId;
      this.availabilityZones = zones.slice(0, count);
      this.privateSubnets = config.existing.privateSubnets.map((s) => ({ id: s.id, availabilityZone: s.availabilityZone }));
      this.publicSubnets = config.existing.publicSubnets.map((s) => ({ id: s.id, availabilityZone: s.availabilityZone }));
      return;
    }

    this.availabilityZones = availabilityZoneNames(props.region, count, config.availabilityZoneNames);
    const vpc = new Vpc(this, 'vpc', { cidrBlock: config.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: names.name('vpc') } });
    this.vpcId = vpc.id;

    // Nothing may use the default security group.
    new DefaultSecurityGroup(this, 'default-sg', { vpcId: vpc.id });

    const igw = new InternetGateway(this, 'igw', { vpcId: vpc.id, tags: { Name: names.name('igw') } });
    const publicRt = new RouteTable(this, 'public-rt', { vpcId: vpc.id, tags: { Name: names.name('public') } });
    new Route(this, 'public-default', { routeTableId: publicRt.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });

    const publicSubnets = this.availabilityZones.map((az, i) => {
      const cidr = cidrSubnet(config.vpcCidr, 4, i);
      const subnet = new Subnet(this, `public-${i}`, {
        vpcId: vpc.id,
        cidrBlock: cidr,
        availabilityZone: az,
        mapPublicIpOnLaunch: false,
        tags: { Name: names.name(`public-${az}`), Tier: 'public' },
      });
      new RouteTableAssociation(this, `public-${i}-rta`, { subnetId: subnet.id, routeTableId: publicRt.id });
      return { id: subnet.id, availabilityZone: az, cidr };
    });
    this.publicSubnets = publicSubnets;

    const natMode = props.natGateways ?? config.natGateways;
    const nats =
      natMode === 'none'
        ? []
        : publicSubnets.slice(0, natMode === 'single' ? 1 : publicSubnets.length).map((s, i) => {
            const eip = new Eip(this, `nat-eip-${i}`, { domain: 'vpc', tags: { Name: names.name(`nat-${s.availabilityZone}`) } });
            this.natPublicIps.push(eip.publicIp);
            return new NatGateway(this, `nat-${i}`, { allocationId: eip.id, subnetId: s.id, tags: { Name: names.name(`nat-${s.availabilityZone}`) }, dependsOn: [igw] });
          });

    const privateRts: RouteTable[] = [];
    this.privateSubnets = this.availabilityZones.map((az, i) => {
      const cidr = cidrSubnet(config.vpcCidr, 4, 8 + i);
      const subnet = new Subnet(this, `private-${i}`, { vpcId: vpc.id, cidrBlock: cidr, availabilityZone: az, tags: { Name: names.name(`private-${az}`), Tier: 'private' } });
      const rt = new RouteTable(this, `private-${i}-rt`, { vpcId: vpc.id, tags: { Name: names.name(`private-${az}`) } });
      if (nats.length) new Route(this, `private-${i}-default`, { routeTableId: rt.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nats[Math.min(i, nats.length - 1)].id });
      new RouteTableAssociation(this, `private-${i}-rta`, { subnetId: subnet.id, routeTableId: rt.id });
      privateRts.push(rt);
      return { id: subnet.id, availabilityZone: az, cidr };
    });

    // S3 traffic (object storage, runner cache, package installs) stays off the NAT gateways.
    new VpcEndpoint(this, 's3-endpoint', {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: [publicRt.id, ...privateRts.map((r) => r.id)],
      tags: { Name: names.name('s3') },
    });

    if (props.ssmEndpoints ?? true) {
      const sg = new SecurityGroup(this, 'endpoints-sg', {
        name: names.name('endpoints', 'securityGroup'),
        description: 'HTTPS from the VPC to its interface endpoints',
        vpcId: vpc.id,
        ingress: [{ description: 'HTTPS from the VPC', protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: [config.vpcCidr] }],
        tags: { Name: names.name('endpoints') },
      });
      this.endpointSecurityGroupId = sg.id;
      for (const service of ['ssm', 'ssmmessages', 'ec2messages']) {
        this.interfaceEndpoints.push(new VpcEndpoint(this, `${service}-endpoint`, {
          vpcId: vpc.id,
          serviceName: `com.amazonaws.${props.region}.${service}`,
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          subnetIds: this.privateSubnets.map((s) => s.id),
          securityGroupIds: [sg.id],
          tags: { Name: names.name(service) },
        }));
      }
    }

    const retention = props.flowLogRetentionDays ?? 90;
    if (retention > 0) this.addFlowLogs(vpc, names, retention, props.accountId ?? enclosingAccountId(this, 'Network: flow logs need the account for their role\'s aws:SourceAccount condition: pass props.accountId or build the network inside an EnvironmentStack'), props.region);
  }

  private addFlowLogs(vpc: Vpc, names: ResourceNames, retentionInDays: number, account: string, region: AwsRegion): void {
    const group = new CloudwatchLogGroup(this, 'flow-logs', { name: `/vpc/${names.name('flow-logs')}`, retentionInDays });
    const role = new IamRole(this, 'flow-logs-role', {
      name: names.name('flow-logs', 'iamRole'),
      // Only flow logs of this account may use the role (confused-deputy guard, as the VPC docs recommend).
      assumeRolePolicy: serviceTrustPolicy({ service: 'vpc-flow-logs.amazonaws.com', account, sourceArn: `arn:${partitionOf(region)}:ec2:${region}:${account}:vpc-flow-log/*` }),
    });
    new IamRolePolicy(this, 'flow-logs-policy', {
      role: role.id,
      name: 'write-flow-logs',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: [`${group.arn}:*`] },
        ],
      }),
    });
    new FlowLog(this, 'flow-log', { vpcId: vpc.id, trafficType: 'ALL', logDestination: group.arn, logDestinationType: 'cloud-watch-logs', iamRoleArn: role.arn });
  }
}
