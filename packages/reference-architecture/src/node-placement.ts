import type { GitLabNodeRole } from '@gitlab-aws/core';
import type { ArchitecturePlan, RolePlan } from './architecture-plan';

/** A private subnet nodes can go in: its zone, and its range when known (created here). */
export interface PlacementSubnet {
  readonly availabilityZone: string;
  readonly cidr?: string;
}

/** One EC2 node: where it runs and the names and address other nodes reach it by. */
export interface NodePlan {
  readonly role: GitLabNodeRole;
  /** 1-based within the role. */
  readonly index: number;
  /** "<role>-<index>" in kebab case, e.g. "praefect-postgres-1". */
  readonly name: string;
  /** "<name>.<internalDomain>": a record in the environment's private zone. */
  readonly hostname: string;
  readonly availabilityZone: string;
  /** Index into the private subnets. */
  readonly subnetIndex: number;
  /** Fixed private address from the subnet's reserved block; undefined in an existing VPC (use hostname). */
  readonly privateIp?: string;
}

/** Addresses at the top of each private subnet kept for nodes, so AWS never hands them to other interfaces. */
export const RESERVED_BLOCK_BITS = 6;
/** Offset of the first node address in the reserved block (readability; AWS reserves none here). */
const FIRST_HOST = 4;

export function kebab(role: string): string {
  return role.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function toInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function toIp(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

/** The block reserved for node addresses in a subnet: its last /26. */
export function reservedBlock(subnetCidr: string): string {
  const [ip, bits] = subnetCidr.split('/');
  const size = 2 ** (32 - Number(bits));
  const blockSize = 2 ** RESERVED_BLOCK_BITS;
  if (size < blockSize * 4) throw new Error(`subnet ${subnetCidr} is smaller than /24: GitLab nodes need a /26 reserved in it; use a /20 or larger network.vpcCidr`);
  return `${toIp(toInt(ip) + size - blockSize)}/${32 - RESERVED_BLOCK_BITS}`;
}

/**
 * Spreads each role's nodes round-robin over the zones (node 1 in the first zone, node 2 in the
 * second, ...), so a role with no more nodes than zones never has two in one zone, and numbers the
 * addresses of each subnet's reserved block in node order. Same input, same addresses.
 */
export function placeNodes(plan: Pick<ArchitecturePlan, 'roles' | 'internalDomain'>, subnets: readonly PlacementSubnet[]): NodePlan[] {
  const used = subnets.map(() => 0);
  const capacity = 2 ** RESERVED_BLOCK_BITS - FIRST_HOST - 1;
  const nodes: NodePlan[] = [];
  for (const role of plan.roles.filter((r: RolePlan) => r.deployment === 'ec2')) {
    for (let i = 0; i < role.count; i++) {
      const subnetIndex = i % subnets.length;
      const subnet = subnets[subnetIndex];
      const name = `${kebab(role.role)}-${i + 1}`;
      let privateIp: string | undefined;
      if (subnet.cidr) {
        if (used[subnetIndex] >= capacity) throw new Error(`more than ${capacity} GitLab nodes in ${subnet.availabilityZone}: lower gitlab.instances counts`);
        privateIp = toIp(toInt(reservedBlock(subnet.cidr).split('/')[0]) + FIRST_HOST + used[subnetIndex]++);
      }
      nodes.push({ role: role.role, index: i + 1, name, hostname: `${name}.${plan.internalDomain}`, availabilityZone: subnet.availabilityZone, subnetIndex, ...(privateIp ? { privateIp } : {}) });
    }
  }
  return nodes;
}
