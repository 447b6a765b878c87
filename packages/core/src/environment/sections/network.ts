import { z } from 'zod';
import { cidr } from './primitives';

const subnetRef = z.strictObject({
  /** Subnet ID, e.g. "subnet-0123456789abcdef0". */
  id: z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: 'expected a subnet ID such as "subnet-0123456789abcdef0"' }),
  /** Its availability zone, e.g. "eu-west-1a" (known here so nodes can be spread without lookups). */
  availabilityZone: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, { error: 'expected an availability zone name such as "eu-west-1a"' }),
});

/** A VPC the environment does not own: its IDs are given, nothing is created or looked up. */
const existingVpc = z.strictObject({
  vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, { error: 'expected a VPC ID such as "vpc-0123456789abcdef0"' }),
  privateSubnets: z.array(subnetRef).min(2, { error: 'expected at least 2 private subnets in different availability zones' }),
  publicSubnets: z.array(subnetRef).default([]),
});

/** The environment's network plan, shared by every capability that places machines. */
export const networkSection = z.strictObject({
  /** CIDR of the VPC (created, or the existing one's); /16 to /24. */
  vpcCidr: cidr.refine(
    (c) => {
      const bits = Number(c.split('/')[1]);
      return bits >= 16 && bits <= 24;
    },
    { error: 'expected a VPC block between /16 and /24 (AWS limits)' },
  ),
  /** Number of availability zones to spread over. Default: 2. */
  availabilityZones: z.number().int().min(2, { error: 'expected 2 or 3' }).max(3, { error: 'expected 2 or 3' }).default(2),
  /** Availability-zone names to use. Default: the region's first zones (known per region, no lookup). */
  availabilityZoneNames: z
    .array(z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, { error: 'expected an availability zone name such as "eu-west-1a"' }))
    .optional(),
  /** NAT gateways for private subnets: one per zone (resilient), one in all (cheaper), or none. Default: "per-az". */
  natGateways: z.enum(['per-az', 'single', 'none'], { error: 'expected "per-az", "single" or "none"' }).default('per-az'),
  /** Networks allowed to reach public entry points (load balancers). Default: none. */
  allowedIngressCidrs: z.array(cidr).default([]),
  /** Use this VPC instead of creating one. Default: a new VPC. */
  existing: existingVpc.optional(),
});

export type NetworkConfig = z.output<typeof networkSection>;
