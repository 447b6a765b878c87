import { BUILT_SIZES, GITLAB_SIZES, hasRedisCache, isHaSize, type GitLabSize } from '@gitlab-aws/core';
import { gitlabEnvironment } from './__fixtures__/synth';
import { planArchitecture } from './architecture-plan';
import { HA_ROLES, QUORUM_ROLES, SIZES } from './sizes';

// The validation rules (odd quorums, Gitaly Cluster replication, one node per zone, HA database
// for Praefect) are written once for any HA size: these tests hold every size to them.

const problems = (gitlab: Record<string, unknown>) => planArchitecture(gitlabEnvironment(gitlab)).problems.map((p) => `${p.field}: ${p.message}`);
const HA_BUILT = BUILT_SIZES.filter(isHaSize);

describe.each(GITLAB_SIZES.map((s) => [s] as const))("GitLab's table for %s", (size: GitLabSize) => {
  const spec = SIZES[size];

  it('is HA exactly when core builds it with the HA layout, in 3 zones with a NAT gateway each', () => {
    expect(spec.ha).toBe(isHaSize(size));
    if (spec.ha) expect([spec.availabilityZones, spec.natGateways]).toEqual([3, 'per-az']);
  });

  it('keeps odd quorums, 3 Gitaly replicas and one node per zone in every HA role (Redis cache too)', () => {
    if (!spec.ha) return expect(spec.roles.praefect).toBeUndefined();
    for (const role of [...QUORUM_ROLES, 'redis', 'redisCache'] as const) {
      const r = spec.roles[role];
      if (role === 'redisCache' && !r) continue;
      expect([role, r!.count % 2, r!.count >= 3]).toEqual([role, 1, true]);
    }
    expect(spec.roles.gitaly!.count).toBeGreaterThanOrEqual(3);
    for (const role of HA_ROLES.filter((r) => spec.roles[r])) expect([role, spec.roles[role]!.count <= spec.availabilityZones]).toEqual([role, true]);
    expect(spec.roles.rails!.count).toBeGreaterThanOrEqual(2);
  });
});

describe.each(HA_BUILT.map((s) => [s] as const))('validation of %s', (size) => {
  it("plans GitLab's table with no problems (Praefect database node allowed for the test)", () => {
    expect(problems({ size })).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['an even Consul count', { instances: { consul: { count: 2 } } }, 'gitlab.instances.consul.count: is 2: consul needs an odd count of at least 3 in SIZE to keep a quorum'],
    ['an even Redis count', { instances: { redis: { count: 4 } } }, 'gitlab.instances.redis.count: is 4: Redis (with a Sentinel on each node) needs an odd count of at least 3 in SIZE'],
    ['one Redis node', { instances: { redis: { count: 1 } } }, 'gitlab.instances.redis.count: is 1: Redis (with a Sentinel on each node) needs an odd count of at least 3 in SIZE'],
    ['one Praefect', { instances: { praefect: { count: 1 } } }, 'gitlab.instances.praefect.count: is 1: praefect needs an odd count of at least 3 in SIZE'],
    ['2 Gitaly nodes', { instances: { gitaly: { count: 2 } } }, 'gitlab.instances.gitaly.count: is 2: Gitaly Cluster replicates every repository 3 times in SIZE'],
    ['5 Praefects in 3 zones', { instances: { praefect: { count: 5 } } }, 'gitlab.instances.praefect.count: is 5: SIZE spreads praefect one node per availability zone and has 3'],
    ['one PgBouncer', { instances: { pgbouncer: { count: 1 } } }, 'gitlab.instances.pgbouncer.count: is 1: pgbouncer must be redundant in SIZE'],
    ['a single-node Praefect database without the test flag', { allowSingleNodePraefectDatabase: false }, 'GitLab requires a highly available database for Praefect in SIZE'],
  ])('refuses %s', (_what, gitlab, expected) => {
    expect(problems({ size, ...gitlab })).toContainEqual(expect.stringContaining(expected.replace('SIZE', size)));
  });

  it('holds the Redis cache cluster to the same quorum where the size has one, and refuses it elsewhere', () => {
    const found = problems({ size, instances: { redisCache: { count: 2 } } });
    if (hasRedisCache(size)) {
      expect(found).toEqual(['gitlab.instances.redisCache.count: is 2: the Redis cache (with a Sentinel on each node) needs an odd count of at least 3 in ' + size + ' to keep a quorum: use 3']);
      expect(problems({ size, instances: { redisCache: { count: 5 } } })).toEqual([`gitlab.instances.redisCache.count: is 5: ${size} spreads redisCache one node per availability zone and has 3: use at most 3`]);
    } else expect(found).toEqual([`gitlab.instances.redisCache: the ${size} size has no redisCache nodes: remove it`]);
  });

  it("refuses a type below the size's spec for Gitaly", () => {
    const gitaly = SIZES[size].roles.gitaly!;
    expect(problems({ size, instances: { gitaly: { instanceType: 'm5.large' } } })).toContainEqual(
      expect.stringContaining(`below the ${size} spec for gitaly (${gitaly.vCpu} vCPU, ${gitaly.memoryGiB} GiB)`),
    );
  });
});
