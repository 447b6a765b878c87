import { DEFAULT_NODE_ROOT_GIB, hybridSize } from '@gitlab-aws/cloud-native-hybrid';
import type { ArchitecturePlan } from './architecture-plan';
import { ROOT_VOLUME_GIB } from './sizes';

/** One line of the bill of materials. */
export interface BillOfMaterialsLine {
  /** A GitLab role ("rails"), a load balancer ("externalLb", "internalLb"), an EKS node pool ("pool:webservice") or the EKS control plane ("eksControlPlane"). */
  readonly role: string;
  /** Nodes; for an EKS pool GitLab's count, the autoscaler's floor. */
  readonly count: number;
  /** "ec2", "rds" (Multi-AZ when `multiAz`), "elasticache", "nlb", "alb", "eks-nodes" (a managed node group) or "eks" (the control plane). */
  readonly service: 'ec2' | 'rds' | 'elasticache' | 'nlb' | 'alb' | 'eks-nodes' | 'eks';
  readonly instanceType: string;
  readonly vCpu: number;
  readonly memoryGiB: number;
  /** Storage per node, GiB (root + data for EC2, allocated storage for RDS). */
  readonly storageGiB: number;
  /** Provisioned IOPS of the data volume, if any. */
  readonly dataIops?: number;
  readonly multiAz?: boolean;
}

/** What an environment runs, for the load tests (targets) and the cost estimate (lines). */
export interface BillOfMaterials {
  readonly schemaVersion: 1;
  readonly environment: string;
  readonly size: string;
  readonly users: number;
  readonly targets: ArchitecturePlan['size']['targets'];
  readonly externalUrl: string;
  readonly availabilityZones: number;
  readonly components: ArchitecturePlan['config']['components'];
  readonly lines: readonly BillOfMaterialsLine[];
  readonly objectStorageBuckets: readonly string[];
  readonly totals: { readonly nodes: number; readonly vCpu: number; readonly memoryGiB: number };
}

/** The file synth writes next to the stacks: cdktf.out/bill-of-materials.json. */
export const BILL_OF_MATERIALS_FILE = 'bill-of-materials.json';

export function billOfMaterials(plan: ArchitecturePlan, buckets: readonly string[]): BillOfMaterials {
  const lines: BillOfMaterialsLine[] = plan.roles.map((r) => {
    const base = { role: r.role, instanceType: r.instanceType, vCpu: r.spec.vCpu, memoryGiB: r.spec.memoryGiB };
    if (r.deployment === 'rds') return { ...base, service: 'rds', count: 1, storageGiB: r.dataVolume?.sizeGiB ?? 0, multiAz: plan.size.ha };
    if (r.deployment === 'elasticache') return { ...base, service: 'elasticache', count: r.count, storageGiB: 0, multiAz: r.count > 1 };
    return { ...base, service: 'ec2', count: r.count, storageGiB: ROOT_VOLUME_GIB + (r.dataVolume?.sizeGiB ?? 0), ...(r.dataVolume ? { dataIops: r.dataVolume.iops } : {}) };
  });
  const lb = (role: string, service: 'nlb' | 'alb'): BillOfMaterialsLine => ({ role, count: 1, service, instanceType: service, vCpu: 0, memoryGiB: 0, storageGiB: 0 });
  if (plan.hybrid) {
    // Rails, Sidekiq and the supporting services run on GitLab's hybrid node pools, behind the same external load balancer.
    lines.push({ role: 'eksControlPlane', count: 1, service: 'eks', instanceType: 'eks', vCpu: 0, memoryGiB: 0, storageGiB: 0 });
    for (const [pool, spec] of Object.entries(hybridSize(plan.config.size).pools)) {
      lines.push({ role: `pool:${pool}`, count: spec.count, service: 'eks-nodes', instanceType: spec.instanceType, vCpu: spec.vCpu, memoryGiB: spec.memoryGiB, storageGiB: DEFAULT_NODE_ROOT_GIB });
    }
  }
  lines.push(lb('externalLb', plan.config.externalLoadBalancer));
  if (plan.config.externalLoadBalancer === 'alb') lines.push(lb('externalSshLb', 'nlb'));
  if (plan.internalLoadBalancer) lines.push(lb('internalLb', 'nlb'));
  const compute = lines.filter((l) => l.service !== 'nlb' && l.service !== 'alb' && l.service !== 'eks');
  const nodes = (l: BillOfMaterialsLine) => (l.service === 'rds' && l.multiAz ? 2 : l.count);
  return {
    schemaVersion: 1,
    environment: plan.environment,
    size: plan.size.size,
    users: plan.size.users,
    targets: plan.size.targets,
    externalUrl: plan.config.externalUrl,
    availabilityZones: plan.size.availabilityZones,
    components: plan.config.components,
    lines,
    objectStorageBuckets: buckets,
    totals: {
      nodes: compute.reduce((n, l) => n + nodes(l), 0),
      vCpu: compute.reduce((n, l) => n + nodes(l) * l.vCpu, 0),
      memoryGiB: compute.reduce((n, l) => n + nodes(l) * l.memoryGiB, 0),
    },
  };
}
