import { messagesOf, ref, type Values } from '../__fixtures__/findings';
import { externalLoadBalancerGroups } from './network';
import { ResourceIndex } from '../terraform-json';
import { tfStack } from '../__fixtures__/stack';

const world = (port: number, to = port, extra: Values = {}) => ({ protocol: 'tcp', from_port: port, to_port: to, cidr_blocks: ['0.0.0.0/0'], description: 'clients', ...extra });
const lbGroup = (ingress: object[]) => ({
  'aws_security_group.lb': { ingress },
  'aws_lb.external': { internal: false, security_groups: [ref('aws_security_group.lb')] },
});

describe('external load balancer groups', () => {
  it('are the groups of load balancers that are not internal (aws_lb, aws_alb, aws_elb)', () => {
    const index = new ResourceIndex(
      tfStack({
        'aws_security_group.a': {},
        'aws_security_group.b': {},
        'aws_security_group.c': {},
        'aws_security_group.d': {},
        'aws_lb.a': { security_groups: [ref('aws_security_group.a')] },
        'aws_alb.b': { internal: 'false', security_groups: [ref('aws_security_group.b')] },
        'aws_elb.c': { internal: false, security_groups: [ref('aws_security_group.c')] },
        'aws_lb.d': { internal: 'true', security_groups: [ref('aws_security_group.d')] },
      }),
    );
    expect([...externalLoadBalancerGroups(index)].sort()).toEqual(['aws_security_group.a', 'aws_security_group.b', 'aws_security_group.c']);
  });
});

describe('GLA-SG-001: internet ingress', () => {
  it('lets an internet-facing load balancer open 80, 443 and 22 one port at a time', () => {
    expect(messagesOf('GLA-SG-001', lbGroup([world(80), world(443), world(22)]))).toEqual([]);
  });

  it('refuses a port range on the load balancer, even one covering only allowed ports', () => {
    expect(messagesOf('GLA-SG-001', lbGroup([world(80, 443)]))).toEqual([
      'security group aws_security_group.lb opens tcp port 80-443 to 0.0.0.0/0 (a load balancer may open only 80, 443 and 22)',
    ]);
  });

  it('reads IPv6 sources and rule resources, and names the group when it is known', () => {
    const rules = {
      'aws_security_group.app': {},
      'aws_security_group_rule.r': { type: 'ingress', security_group_id: ref('aws_security_group.app'), protocol: 'tcp', from_port: 8080, to_port: 8080, ipv6_cidr_blocks: ['::/0'], description: 'x' },
      'aws_vpc_security_group_ingress_rule.v': { security_group_id: ref('aws_security_group.app'), ip_protocol: 'tcp', from_port: 5432, to_port: 5432, cidr_ipv6: '::/0', description: 'x' },
      'aws_vpc_security_group_ingress_rule.orphan': { security_group_id: 'sg-0123456789abcdef0', ip_protocol: 'udp', from_port: 53, cidr_ipv4: '0.0.0.0/0', description: 'x' },
    };
    expect(messagesOf('GLA-SG-001', rules)).toEqual([
      "security group aws_security_group.app opens tcp port 8080 to ::/0 and is not an internet-facing load balancer's group",
      "security group aws_security_group.app opens tcp port 5432 to ::/0 and is not an internet-facing load balancer's group",
      "aws_vpc_security_group_ingress_rule.orphan opens udp port 53-? to 0.0.0.0/0 and is not an internet-facing load balancer's group",
    ]);
  });

  it('names the rule resource when it points at something other than a security group', () => {
    const rules = {
      'aws_vpc.main': {},
      'aws_security_group_rule.r': { type: 'ingress', security_group_id: '${aws_vpc.main.default_security_group_id}', protocol: 'tcp', from_port: 8080, to_port: 8080, cidr_blocks: ['0.0.0.0/0'], description: 'x' },
    };
    expect(messagesOf('GLA-SG-001', rules)).toEqual(["aws_security_group_rule.r opens tcp port 8080 to 0.0.0.0/0 and is not an internet-facing load balancer's group"]);
  });

  it('ignores egress rules and private sources', () => {
    const rules = {
      'aws_security_group_rule.out': { type: 'egress', protocol: 'tcp', from_port: 443, to_port: 443, cidr_blocks: ['0.0.0.0/0'], description: 'x' },
      'aws_security_group.app': { egress: [world(443)], ingress: [world(8080, 8080, { cidr_blocks: ['10.0.0.0/8'] })] },
    };
    expect(messagesOf('GLA-SG-001', rules)).toEqual([]);
  });

  it('leaves all-traffic rules to GLA-SG-002', () => {
    expect(messagesOf('GLA-SG-001', { 'aws_security_group.app': { ingress: [world(0, 65535)] } })).toEqual([]);
  });
});

describe('GLA-SG-002: all traffic from the internet', () => {
  it.each<[string, object]>([
    ['protocol -1', { protocol: '-1', from_port: 0, to_port: 0 }],
    ['protocol all', { protocol: 'all', from_port: 0, to_port: 0 }],
    ['every TCP port', { protocol: 'tcp', from_port: 0, to_port: 65535 }],
    ['no protocol', { from_port: 0, to_port: 0 }],
  ])('flags %s open to the world', (_label, rule) => {
    expect(messagesOf('GLA-SG-002', { 'aws_security_group.app': { ingress: [{ ...rule, cidr_blocks: ['10.0.0.0/8'], ipv6_cidr_blocks: ['::/0'] }] } })).toEqual([
      'aws_security_group.app allows all traffic from the internet',
    ]);
  });

  it('names the rule resource when its group is unknown', () => {
    expect(messagesOf('GLA-SG-002', { 'aws_vpc_security_group_ingress_rule.r': { security_group_id: 'sg-1', cidr_ipv4: '0.0.0.0/0' } })).toEqual([
      'aws_vpc_security_group_ingress_rule.r allows all traffic from the internet',
    ]);
  });

  it('accepts all traffic from private networks and a partial range from the world', () => {
    expect(messagesOf('GLA-SG-002', { 'aws_security_group.app': { ingress: [{ protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['10.0.0.0/8'] }, world(1, 65535), world(0, 1024)] } })).toEqual([]);
  });
});

describe('GLA-SG-003: described ingress rules', () => {
  it('flags a missing or blank description, with the port range', () => {
    expect(
      messagesOf('GLA-SG-003', { 'aws_security_group.app': { ingress: [world(8000, 8080, { description: '  ' }), world(22, 22, { description: undefined })] } }),
    ).toEqual(['aws_security_group.app: an ingress rule (port 8000-8080) has no description', 'aws_security_group.app: an ingress rule (port 22) has no description']);
    expect(messagesOf('GLA-SG-003', { 'aws_vpc_security_group_ingress_rule.r': { ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '10.0.0.0/8', description: '' } })).toEqual([
      'aws_vpc_security_group_ingress_rule.r: an ingress rule (port 443) has no description',
    ]);
  });

  it('accepts descriptions on every kind of rule', () => {
    expect(messagesOf('GLA-SG-003', { 'aws_vpc_security_group_ingress_rule.r': { ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '10.0.0.0/8', description: 'HTTPS from the VPC' } })).toEqual([]);
  });
});

describe('GLA-VPC-002 and GLA-VPC-003', () => {
  it('flags a default security group with ingress rules', () => {
    expect(messagesOf('GLA-VPC-002', { 'aws_default_security_group.d': { ingress: [{ protocol: '-1', self: true, from_port: 0, to_port: 0 }] } })).toEqual([
      'aws_default_security_group aws_default_security_group.d allows traffic',
    ]);
  });

  it('needs a flow log of this VPC', () => {
    expect(messagesOf('GLA-VPC-003', { 'aws_vpc.a': {}, 'aws_vpc.b': {}, 'aws_flow_log.f': { vpc_id: ref('aws_vpc.b') } })).toEqual(['aws_vpc aws_vpc.a has no flow log']);
  });
});
