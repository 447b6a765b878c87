import { GITLAB_SIZES, UNBUILT_SIZES, type GitLabSize } from '@gitlab-aws/core';
import { PRICE_TABLE, regionPrices, type PriceTable } from '@gitlab-aws/policy';
import { HYBRID_SIZES } from '@gitlab-aws/cloud-native-hybrid';
import { ROOT_VOLUME_GIB, SIZES, type RoleSpec } from '@gitlab-aws/reference-architecture';

/** Roles the Cloud Native Hybrid path runs on EKS instead of nodes. */
const ON_KUBERNETES = new Set(['rails', 'sidekiq', 'monitoring']);

export interface SizeCost {
  readonly size: GitLabSize;
  readonly path: 'linux-package' | 'cloud-native-hybrid';
  /** Monthly estimate in the price table's currency, rounded to the dollar. */
  readonly monthly: number;
  readonly nodes: number;
  /** False for the sizes the project refuses (UNBUILT_SIZES): GitLab's table priced, not a stack. */
  readonly built: boolean;
}

/**
 * Monthly on-demand estimate of GitLab's table for a size, from the guardrails' price table
 * (packages/policy/src/cost/prices.json): every node (EC2 hours, 50 GiB gp3 root volume, its gp3
 * data volume with IOPS and throughput above the free baseline), the NLBs (hours only), one NAT
 * gateway per zone (hours only) and, for hybrid, the EKS control plane. Self-managed components
 * throughout. No traffic, S3, logs or backups: the stack estimate adds those for a built stack.
 */
export function sizeCosts(region = 'us-east-1', table: PriceTable = PRICE_TABLE): SizeCost[] {
  const { prices: p } = regionPrices(table, region);
  const hours = table.hoursPerMonth;
  const gp3 = p.ebs.gp3;
  const ec2 = (type: string) => {
    const hourly = p.ec2[type];
    if (hourly === undefined) throw new Error(`instance type ${type} is not in the price table (packages/policy/src/cost/prices.json): add it`);
    return hourly * hours;
  };
  const disk = (gib: number, iops = 0, mbps = 0) =>
    gib * gp3.gbMonth + Math.max(0, iops - (gp3.freeIops ?? 0)) * (gp3.iopsMonth ?? 0) + Math.max(0, mbps - (gp3.freeThroughputMbps ?? 0)) * (gp3.throughputMbpsMonth ?? 0);
  const node = (r: RoleSpec) => r.count * (ec2(r.instanceType) + disk(ROOT_VOLUME_GIB) + (r.dataVolume ? disk(r.dataVolume.sizeGiB, r.dataVolume.iops, r.dataVolume.throughput) : 0));

  const out: SizeCost[] = [];
  for (const size of GITLAB_SIZES) {
    const spec = SIZES[size];
    const rows = Object.entries(spec.roles) as [string, RoleSpec][];
    const network = (spec.natGateways === 'per-az' ? spec.availabilityZones : 1) * p.natGatewayHour * hours;
    const lbs = (spec.loadBalancers.internal ? 2 : 1) * p.nlbHour * hours;
    const built = !UNBUILT_SIZES[size];
    const total = (list: [string, RoleSpec][]) => list.reduce((n, [, r]) => n + node(r), 0);
    const count = (list: [string, RoleSpec][]) => list.reduce((n, [, r]) => n + r.count, 0);
    out.push({ size, path: 'linux-package', monthly: Math.round(total(rows) + network + lbs), nodes: count(rows), built });
    const hybrid = HYBRID_SIZES[size];
    if (hybrid) {
      const backend = rows.filter(([role]) => !ON_KUBERNETES.has(role));
      const pools = Object.values(hybrid.pools);
      const poolCost = pools.reduce((n, pool) => n + pool.count * (ec2(pool.instanceType) + disk(ROOT_VOLUME_GIB)), 0);
      // 2K hybrid has no internal load balancer in GitLab's table; the ingress NLB replaces the external one.
      const hybridLbs = (spec.loadBalancers.internal ? 2 : 1) * p.nlbHour * hours;
      out.push({
        size,
        path: 'cloud-native-hybrid',
        monthly: Math.round(total(backend) + poolCost + p.eksClusterHour * hours + network + hybridLbs),
        nodes: count(backend) + pools.reduce((n, pool) => n + pool.count, 0),
        built,
      });
    }
  }
  return out;
}

/** The docs table (docs/reference-architectures.md, "Cost per size"). */
export function sizeCostMarkdown(region = 'us-east-1', table: PriceTable = PRICE_TABLE): string {
  const costs = sizeCosts(region, table);
  const cell = (size: GitLabSize, path: SizeCost['path']) => {
    const c = costs.find((x) => x.size === size && x.path === path);
    if (!c) return 'no GitLab table';
    return `$${c.monthly.toLocaleString('en-US')} (${c.nodes} node${c.nodes === 1 ? '' : 's'})${c.built ? '' : ', not built yet'}`;
  };
  const lines = ['| size | Linux package | Cloud Native Hybrid |', '|---|---|---|'];
  for (const size of GITLAB_SIZES) lines.push(`| ${size} | ${cell(size, 'linux-package')} | ${cell(size, 'cloud-native-hybrid')} |`);
  return lines.join('\n');
}
