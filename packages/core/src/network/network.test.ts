import { Testing } from 'cdktf';
import { EnvironmentStack } from '../stack/environment-stack';
import { TEST_SPOKE, testEnvironment } from '../testing/environments';
import { availabilityZoneNames } from './availability-zones';
import { cidrContains, cidrSubnet } from './cidr';
import { Network, type NetworkProps } from './network';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function synth(network: Record<string, unknown>, props: Partial<NetworkProps> = {}): { json: Json; net: Network } {
  const env = testEnvironment(TEST_SPOKE, { network });
  const stack = new EnvironmentStack(Testing.app(), { environment: env, component: 'net' });
  const net = new Network(stack, 'network', { config: env.network!, region: env.region, names: stack.names, ...props });
  return { json: JSON.parse(Testing.synth(stack)).resource, net };
}

const all = (json: Json, type: string): Json[] => Object.values(json[type] ?? {});

describe('cidr helpers', () => {
  it('splits like terraform cidrsubnet', () => {
    expect(cidrSubnet('10.20.0.0/16', 4, 0)).toBe('10.20.0.0/20');
    expect(cidrSubnet('10.20.0.0/16', 4, 9)).toBe('10.20.144.0/20');
    expect(cidrSubnet('10.20.0.0/24', 4, 15)).toBe('10.20.0.240/28');
    expect(() => cidrSubnet('10.20.0.0/16', 4, 16)).toThrow('has no subnet number 16');
    expect(() => cidrSubnet('10.20.0.0/26', 4, 0)).toThrow('AWS subnets are at most /28');
  });

  it('tells containment', () => {
    expect(cidrContains('10.20.0.0/16', '10.20.144.0/20')).toBe(true);
    expect(cidrContains('10.20.0.0/16', '10.21.0.0/20')).toBe(false);
    expect(cidrContains('10.20.0.0/20', '10.20.0.0/16')).toBe(false);
  });
});

describe('availability zones', () => {
  it('knows regions whose letters are unusual, and accepts names from the file', () => {
    expect(availabilityZoneNames('eu-west-1', 3)).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(availabilityZoneNames('ap-northeast-1', 2)).toEqual(['ap-northeast-1a', 'ap-northeast-1c']);
    expect(() => availabilityZoneNames('us-west-1', 3)).toThrow('set network.availabilityZoneNames in the environment file');
    expect(() => availabilityZoneNames('eu-west-1', 2, ['us-east-1a', 'us-east-1b'])).toThrow('not in region eu-west-1');
  });
});

describe('Network', () => {
  it('spans the zones with public and private subnets of computed ranges', () => {
    const { json, net } = synth({ vpcCidr: '10.20.0.0/16', availabilityZones: 3 });
    expect(net.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
    expect(net.privateSubnets.map((s) => s.cidr)).toEqual(['10.20.128.0/20', '10.20.144.0/20', '10.20.160.0/20']);
    const subnets = all(json, 'aws_subnet');
    expect(subnets).toHaveLength(6);
    expect(subnets.every((s) => s.map_public_ip_on_launch !== true)).toBe(true);
  });

  it('puts a NAT gateway in each zone, or one, or none', () => {
    expect(all(synth({ vpcCidr: '10.20.0.0/16' }).json, 'aws_nat_gateway')).toHaveLength(2);
    expect(all(synth({ vpcCidr: '10.20.0.0/16', natGateways: 'single' }).json, 'aws_nat_gateway')).toHaveLength(1);
    const none = synth({ vpcCidr: '10.20.0.0/16' }, { natGateways: 'none' }).json;
    expect(none.aws_nat_gateway).toBeUndefined();
    expect(all(none, 'aws_route').map((r) => r.gateway_id ?? r.nat_gateway_id)).toHaveLength(1);
  });

  it("exposes each NAT gateway's public address, and none without NAT gateways", () => {
    const { net } = synth({ vpcCidr: '10.20.0.0/16' });
    expect(net.natPublicIps).toHaveLength(2);
    expect(synth({ vpcCidr: '10.20.0.0/16' }, { natGateways: 'none' }).net.natPublicIps).toEqual([]);
  });

  it('adds the S3 gateway and SSM interface endpoints, reachable only from the VPC on 443', () => {
    const { json } = synth({ vpcCidr: '10.20.0.0/16' });
    const endpoints = all(json, 'aws_vpc_endpoint');
    expect(endpoints.map((e) => e.service_name).sort()).toEqual([
      'com.amazonaws.eu-west-1.ec2messages',
      'com.amazonaws.eu-west-1.s3',
      'com.amazonaws.eu-west-1.ssm',
      'com.amazonaws.eu-west-1.ssmmessages',
    ]);
    const sg = all(json, 'aws_security_group')[0];
    expect(sg.ingress).toEqual([expect.objectContaining({ from_port: 443, to_port: 443, cidr_blocks: ['10.20.0.0/16'] })]);
  });

  it('locks the default security group and logs flows', () => {
    const { json } = synth({ vpcCidr: '10.20.0.0/16' });
    expect(all(json, 'aws_default_security_group')[0].ingress).toBeUndefined();
    expect(all(json, 'aws_flow_log')[0]).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
    expect(all(json, 'aws_cloudwatch_log_group')[0].retention_in_days).toBe(90);
    expect(synth({ vpcCidr: '10.20.0.0/16' }, { flowLogRetentionDays: 0 }).json.aws_flow_log).toBeUndefined();
  });

  it('describes an existing VPC without creating anything', () => {
    const { json, net } = synth({
      vpcCidr: '10.50.0.0/16',
      existing: {
        vpcId: 'vpc-0123456789abcdef0',
        privateSubnets: [
          { id: 'subnet-0000000000000000a', availabilityZone: 'eu-west-1a' },
          { id: 'subnet-0000000000000000b', availabilityZone: 'eu-west-1b' },
        ],
      },
    });
    expect(json).toBeUndefined();
    expect(net.vpcId).toBe('vpc-0123456789abcdef0');
    expect(net.natPublicIps).toEqual([]);
    expect(net.privateSubnets.map((s) => s.availabilityZone)).toEqual(['eu-west-1a', 'eu-west-1b']);
  });

  it('rejects an existing VPC whose subnets cover too few zones', () => {
    expect(() =>
      synth(
        {
          vpcCidr: '10.50.0.0/16',
          existing: {
            vpcId: 'vpc-0123456789abcdef0',
            privateSubnets: [
              { id: 'subnet-0000000000000000a', availabilityZone: 'eu-west-1a' },
              { id: 'subnet-0000000000000000b', availabilityZone: 'eu-west-1a' },
            ],
          },
        },
        { availabilityZones: 3 },
      ),
    ).toThrow('network.existing.privateSubnets: 3 availability zones are needed, the subnets cover 1 (eu-west-1a): add subnets in other zones');
  });
});
