import { HYBRID_CAPABLE_SIZES } from '@gitlab-aws/core';
import { HYBRID_SIZES } from './node-pools';
import { HYBRID_PODS } from './pod-resources';

const cpu = (q: string) => (q.endsWith('m') ? Number(q.slice(0, -1)) / 1000 : Number(q));
const gb = (q: string) => Number(q.replace(/G$/, ''));

describe("GitLab's Cloud Native Hybrid tables", () => {
  it('cover exactly the sizes core lets choose the hybrid deployment', () => {
    expect(Object.keys(HYBRID_SIZES).sort()).toEqual([...HYBRID_CAPABLE_SIZES].sort());
    expect(Object.keys(HYBRID_PODS).sort()).toEqual([...HYBRID_CAPABLE_SIZES].sort());
  });

  // GitLab sizes the pools from the pods (e.g. 50K: 77 webservice pods x 4 vCPU = 308 vCPU on 11 x c5.9xlarge).
  it.each([...HYBRID_CAPABLE_SIZES])("%s: the page's pods fit their pool's CPU and memory at the table's floor", (size) => {
    const pools = HYBRID_SIZES[size]!.pools;
    const pods = HYBRID_PODS[size]!;
    for (const [component, pool] of [['webservice', pools.webservice], ['sidekiq', pools.sidekiq]] as const) {
      const p = pods[component];
      expect({ component, cpuFits: p.pods * cpu(p.requests.cpu) <= pool.count * pool.vCpu, memoryFits: p.pods * gb(p.requests.memory) <= pool.count * pool.memoryGiB }).toEqual({ component, cpuFits: true, memoryFits: true });
    }
  });

  it('gives the larger sizes the page numbers: 5K 9/8 pods up to 50K 77 webservice pods on 11 nodes', () => {
    expect([HYBRID_PODS['5k']!.webservice.pods, HYBRID_PODS['5k']!.sidekiq.pods]).toEqual([9, 8]);
    expect([HYBRID_PODS['10k']!.webservice.pods, HYBRID_PODS['25k']!.webservice.pods, HYBRID_PODS['50k']!.webservice.pods]).toEqual([20, 35, 77]);
    expect(HYBRID_SIZES['50k']!.pools.webservice).toMatchObject({ count: 11, instanceType: 'c5.9xlarge' });
    for (const size of ['5k', '10k', '25k', '50k'] as const) expect(HYBRID_SIZES[size]!.source).toMatch(/at commit [0-9a-f]{40}$/);
  });
});
