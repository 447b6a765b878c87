import { z } from 'zod';
import { cidr } from './primitives';

/** The environment's network plan, shared by every capability that places machines. */
export const networkSection = z.strictObject({
  /** CIDR of the VPC the environment creates; /16 to /24. */
  vpcCidr: cidr.refine((c) => {
    const bits = Number(c.split('/')[1]);
    return bits >= 16 && bits <= 24;
  }, { error: 'expected a VPC block between /16 and /24 (AWS limits)' }),
  /** Number of availability zones to spread over. Default: 2. */
  availabilityZones: z.number().int().min(2, { error: 'expected 2 or 3' }).max(3, { error: 'expected 2 or 3' }).default(2),
  /** Networks allowed to reach public entry points (load balancers). Default: none. */
  allowedIngressCidrs: z.array(cidr).default([]),
});
