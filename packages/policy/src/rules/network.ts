import { blocks, bool, num, strings, type JsonObject, type ResourceIndex, type TfResource } from '../terraform-json';
import { perResource, type Rule, type Violation } from './rule';

const WORLD = ['0.0.0.0/0', '::/0'];
/** Ports an internet-facing load balancer may open to the world: HTTP (redirect), HTTPS and Git over SSH. */
export const PUBLIC_LB_PORTS = [80, 443, 22];

/** One ingress permission, wherever it was declared. */
interface Ingress {
  /** The resource that declares it (a security group or a rule resource). */
  readonly declaredBy: TfResource;
  /** The security group it belongs to, when known. */
  readonly group?: TfResource;
  readonly protocol: string;
  readonly from?: number;
  readonly to?: number;
  readonly sources: string[];
  readonly description?: string;
}

function ingressOf(index: ResourceIndex): Ingress[] {
  const out: Ingress[] = [];
  const groupOf = (v: unknown) => index.referenced(v).find((g) => g.type === 'aws_security_group');
  for (const g of index.ofType('aws_security_group')) {
    for (const b of blocks(g.values.ingress)) out.push(fromBlock(g, g, b));
  }
  for (const r of index.ofType('aws_security_group_rule')) {
    if (r.values.type === 'ingress') out.push(fromBlock(r, groupOf(r.values.security_group_id), r.values));
  }
  for (const r of index.ofType('aws_vpc_security_group_ingress_rule')) {
    out.push({
      declaredBy: r,
      group: groupOf(r.values.security_group_id),
      protocol: String(r.values.ip_protocol ?? '-1'),
      from: num(r.values.from_port),
      to: num(r.values.to_port),
      sources: [...strings(r.values.cidr_ipv4), ...strings(r.values.cidr_ipv6)],
      ...(typeof r.values.description === 'string' ? { description: r.values.description } : {}),
    });
  }
  return out;
}

function fromBlock(declaredBy: TfResource, group: TfResource | undefined, b: JsonObject): Ingress {
  return {
    declaredBy,
    ...(group ? { group } : {}),
    protocol: String(b.protocol ?? '-1'),
    from: num(b.from_port),
    to: num(b.to_port),
    sources: [...strings(b.cidr_blocks), ...strings(b.ipv6_cidr_blocks)],
    ...(typeof b.description === 'string' ? { description: b.description } : {}),
  };
}

const allTraffic = (i: Ingress) => i.protocol === '-1' || i.protocol === 'all' || (i.from === 0 && i.to === 65535);
const ports = (i: Ingress) => (i.from === i.to ? String(i.from) : `${i.from ?? '?'}-${i.to ?? '?'}`);

/** Security groups attached to an internet-facing load balancer. */
export function externalLoadBalancerGroups(index: ResourceIndex): Set<string> {
  const out = new Set<string>();
  for (const lb of index.ofType('aws_lb', 'aws_alb', 'aws_elb')) {
    if (bool(lb.values.internal) === true) continue;
    for (const g of index.referenced(lb.values.security_groups)) out.add(g.address);
  }
  return out;
}

export const networkRules: Rule[] = [
  {
    id: 'GLA-SG-001',
    severity: 'high',
    title: 'Only the external load balancer accepts the internet, on 80/443/22',
    checkov: ['CKV_AWS_24', 'CKV_AWS_25'],
    trivy: ['AWS-0107'],
    fix: 'Limit the source to the VPC, a security group or known CIDRs; only an internet-facing load balancer may open 80, 443 and 22 to 0.0.0.0/0.',
    check: ({ index }) => {
      const lbGroups = externalLoadBalancerGroups(index);
      const out: Violation[] = [];
      for (const i of ingressOf(index)) {
        const world = i.sources.filter((s) => WORLD.includes(s));
        if (!world.length || allTraffic(i)) continue;
        const onLb = i.group !== undefined && lbGroups.has(i.group.address);
        if (onLb && i.from === i.to && i.from !== undefined && PUBLIC_LB_PORTS.includes(i.from)) continue;
        const where = i.group ? `security group ${i.group.address}` : `${i.declaredBy.address}`;
        out.push({
          resource: i.declaredBy,
          message: `${where} opens ${i.protocol} port ${ports(i)} to ${world.join(', ')}${onLb ? ' (a load balancer may open only 80, 443 and 22)' : ' and is not an internet-facing load balancer\'s group'}`,
        });
      }
      return out;
    },
  },
  {
    id: 'GLA-SG-002',
    severity: 'critical',
    title: 'No security group opens every port to the internet',
    checkov: ['CKV_AWS_277'],
    trivy: ['AWS-0107'],
    fix: 'Replace the all-traffic rule by the ports the service needs, from the sources that need them.',
    check: ({ index }) =>
      ingressOf(index)
        .filter((i) => allTraffic(i) && i.sources.some((s) => WORLD.includes(s)))
        .map((i) => ({ resource: i.declaredBy, message: `${i.group?.address ?? i.declaredBy.address} allows all traffic from the internet` })),
  },
  {
    id: 'GLA-SG-003',
    severity: 'low',
    title: 'Security group rules say what they are for',
    checkov: ['CKV_AWS_23'],
    trivy: ['AWS-0124'],
    fix: 'Give every ingress rule a description naming the client and the service.',
    check: ({ index }) =>
      ingressOf(index)
        .filter((i) => !i.description?.trim())
        .map((i) => ({ resource: i.declaredBy, message: `${i.declaredBy.address}: an ingress rule (port ${ports(i)}) has no description` })),
  },
  {
    id: 'GLA-VPC-002',
    severity: 'medium',
    title: 'The default security group allows nothing',
    checkov: ['CKV2_AWS_12'],
    trivy: [],
    fix: 'Declare aws_default_security_group with no ingress and no egress blocks.',
    check: perResource(['aws_default_security_group'], (r) =>
      blocks(r.values.ingress).length || blocks(r.values.egress).length ? `aws_default_security_group ${r.address} allows traffic` : undefined,
    ),
  },
  {
    id: 'GLA-VPC-003',
    severity: 'medium',
    title: 'VPCs have flow logs',
    checkov: ['CKV2_AWS_11'],
    trivy: ['AWS-0178'],
    fix: 'Add an aws_flow_log for the VPC (the core Network construct does this by default).',
    check: perResource(['aws_vpc'], (r, { index }) =>
      index.pointingAt(r, ['aws_flow_log'], 'vpc_id').length ? undefined : `aws_vpc ${r.address} has no flow log`,
    ),
  },
];
