import { all, synthGitlab } from './__fixtures__/synth';
import { instanceSpec } from './instance-types';
import { hasRedisCache, targetRates } from '@gitlab-aws/core';
import { planArchitecture } from './architecture-plan';
import { gitlabEnvironment } from './__fixtures__/synth';
import { SIZES } from './sizes';

// GitLab's published tables (node count x AWS type), written out here independently of sizes.ts.
// Load balancers are AWS NLBs/ALBs here, so the HAProxy rows are not EC2 nodes.
const GITLAB_TABLES: Record<string, Record<string, [number, string]>> = {
  // 1K: one node runs every service (1k_users: "8 vCPU, 16 GB memory", AWS c5.2xlarge).
  '1k': { allInOne: [1, 'c5.2xlarge'] },
  '2k': { postgres: [1, 'm5.large'], redis: [1, 'm5.large'], gitaly: [1, 'm5.xlarge'], sidekiq: [1, 'm5.xlarge'], rails: [2, 'c5.2xlarge'], monitoring: [1, 'c5.large'] },
  '3k': {
    consul: [3, 'c5.large'],
    postgres: [3, 'm5.large'],
    pgbouncer: [3, 'c5.large'],
    redis: [3, 'm5.large'],
    gitaly: [3, 'm5.xlarge'],
    praefect: [3, 'c5.large'],
    praefectPostgres: [1, 'c5.large'],
    sidekiq: [2, 'm5.xlarge'],
    rails: [3, 'c5.2xlarge'],
    monitoring: [1, 'c5.large'],
  },
  // 5K: 3K's components on bigger machines (5k_users.md at docs commit 49b8c896).
  '5k': {
    consul: [3, 'c5.large'],
    postgres: [3, 'm5.xlarge'],
    pgbouncer: [3, 'c5.large'],
    redis: [3, 'm5.large'],
    gitaly: [3, 'm5.2xlarge'],
    praefect: [3, 'c5.large'],
    praefectPostgres: [1, 'c5.large'],
    sidekiq: [2, 'm5.xlarge'],
    rails: [3, 'c5.4xlarge'],
    monitoring: [1, 'c5.large'],
  },
  // 10K-50K: Redis split into a persistent (redis) and a cache (redisCache) cluster of 3 nodes each.
  '10k': {
    consul: [3, 'c5.large'],
    postgres: [3, 'm5.2xlarge'],
    pgbouncer: [3, 'c5.large'],
    redis: [3, 'm5.xlarge'],
    redisCache: [3, 'm5.xlarge'],
    gitaly: [3, 'm5.4xlarge'],
    praefect: [3, 'c5.large'],
    praefectPostgres: [1, 'c5.large'],
    sidekiq: [4, 'm5.xlarge'],
    rails: [3, 'c5.9xlarge'],
    monitoring: [1, 'c5.xlarge'],
  },
  '25k': {
    consul: [3, 'c5.large'],
    postgres: [3, 'm5.4xlarge'],
    pgbouncer: [3, 'c5.large'],
    redis: [3, 'm5.xlarge'],
    redisCache: [3, 'm5.xlarge'],
    gitaly: [3, 'm5.8xlarge'],
    praefect: [3, 'c5.xlarge'],
    praefectPostgres: [1, 'c5.large'],
    sidekiq: [4, 'm5.xlarge'],
    rails: [5, 'c5.9xlarge'],
    monitoring: [1, 'c5.xlarge'],
  },
  '50k': {
    consul: [3, 'c5.large'],
    postgres: [3, 'm5.8xlarge'],
    pgbouncer: [3, 'c5.large'],
    redis: [3, 'm5.xlarge'],
    redisCache: [3, 'm5.xlarge'],
    gitaly: [3, 'm5.16xlarge'],
    praefect: [3, 'c5.xlarge'],
    praefectPostgres: [1, 'c5.large'],
    sidekiq: [4, 'm5.xlarge'],
    rails: [12, 'c5.9xlarge'],
    monitoring: [1, 'c5.xlarge'],
  },
  // POC: 2K without redundancy; its one Rails node has the CPU of 2K's two.
  poc: { postgres: [1, 'm5.large'], redis: [1, 'm5.large'], gitaly: [1, 'm5.xlarge'], sidekiq: [1, 'm5.xlarge'], rails: [1, 'c5.4xlarge'], monitoring: [1, 'c5.large'] },
};

/** role -> [count, type] of the synthesized EC2 instances. */
function synthesizedNodes(size: string): Record<string, [number, string]> {
  const { resources } = synthGitlab({ size });
  const out: Record<string, [number, string]> = {};
  for (const i of all(resources, 'aws_instance')) {
    const role = i.tags.GitLabRole as string;
    const [n, type] = out[role] ?? [0, i.instance_type];
    expect(i.instance_type).toBe(type);
    out[role] = [n + 1, type];
  }
  return out;
}

describe.each(Object.keys(GITLAB_TABLES))('size %s', (size) => {
  it("synthesizes exactly GitLab's table of nodes, which is the SIZES row", () => {
    const nodes = synthesizedNodes(size);
    expect(nodes).toEqual(GITLAB_TABLES[size]);
    const spec = SIZES[size as keyof typeof SIZES];
    expect(nodes).toEqual(Object.fromEntries(Object.entries(spec.roles).map(([role, r]) => [role, [r.count, r.instanceType]])));
  });

  it("declares vCPU and memory that match each type's spec", () => {
    for (const [role, spec] of Object.entries(SIZES[size as keyof typeof SIZES].roles)) {
      const known = instanceSpec(spec.instanceType);
      expect([role, known?.vCpu, known?.memoryGiB]).toEqual([role, spec.vCpu, spec.memoryGiB]);
      if (spec.managedClass) {
        const managed = instanceSpec(spec.managedClass)!;
        expect(managed.vCpu).toBeGreaterThanOrEqual(spec.vCpu);
        expect(managed.memoryGiB).toBeGreaterThanOrEqual(spec.memoryGiB);
      }
    }
  });
});

it('targets follow the per-1,000-users rule (API 20, Web 2, Git pull 2 RPS) and are the ones the load tests read', () => {
  for (const s of Object.values(SIZES).filter((x) => x.size !== 'poc')) {
    expect(s.targets).toEqual(targetRates(s.size));
    expect(s.targets.api).toBe((s.users / 1000) * 20);
    expect(s.targets.web).toBe((s.users / 1000) * 2);
    expect(s.targets.gitPull).toBe((s.users / 1000) * 2);
  }
});

it('gives Gitaly SSD data volumes with at least 8,000 IOPS in every size (1k: the all-in-one volume that holds the repositories)', () => {
  for (const size of Object.keys(GITLAB_TABLES)) {
    const gitalyRole = size === '1k' ? 'allInOne' : 'gitaly';
    const volumes = all(synthGitlab({ size }).resources, 'aws_ebs_volume').filter((v) => v.tags.GitLabRole === gitalyRole);
    expect(volumes.length).toBe(GITLAB_TABLES[size][gitalyRole][0]);
    for (const v of volumes) expect(v).toMatchObject({ type: 'gp3', encrypted: true, iops: expect.any(Number) });
    expect(Math.min(...volumes.map((v) => v.iops))).toBeGreaterThanOrEqual(8000);
  }
});

// GitLab's 10K-50K tables (Redis split into a cache and a persistent cluster).
const SPLIT_TABLES: Record<string, { rails: [number, string]; gitaly: string; postgres: string; praefect: string; sidekiq: number; monitoring: string }> = {
  '10k': { rails: [3, 'c5.9xlarge'], gitaly: 'm5.4xlarge', postgres: 'm5.2xlarge', praefect: 'c5.large', sidekiq: 4, monitoring: 'c5.xlarge' },
  '25k': { rails: [5, 'c5.9xlarge'], gitaly: 'm5.8xlarge', postgres: 'm5.4xlarge', praefect: 'c5.xlarge', sidekiq: 4, monitoring: 'c5.xlarge' },
  '50k': { rails: [12, 'c5.9xlarge'], gitaly: 'm5.16xlarge', postgres: 'm5.8xlarge', praefect: 'c5.xlarge', sidekiq: 4, monitoring: 'c5.xlarge' },
};

describe.each(Object.keys(SPLIT_TABLES))('size %s', (size) => {
  const spec = SIZES[size as keyof typeof SIZES];

  it("holds GitLab's rows, with a separate 3-node Redis cache cluster beside the persistent one", () => {
    const t = SPLIT_TABLES[size];
    expect([spec.roles.rails?.count, spec.roles.rails?.instanceType]).toEqual(t.rails);
    expect([spec.roles.gitaly?.instanceType, spec.roles.postgres?.instanceType, spec.roles.praefect?.instanceType]).toEqual([t.gitaly, t.postgres, t.praefect]);
    expect([spec.roles.sidekiq?.count, spec.roles.monitoring?.instanceType]).toEqual([t.sidekiq, t.monitoring]);
    expect([spec.roles.redis?.count, spec.roles.redis?.instanceType]).toEqual([3, 'm5.xlarge']);
    expect([spec.roles.redisCache?.count, spec.roles.redisCache?.instanceType, spec.roles.redisCache?.managedClass]).toEqual([3, 'm5.xlarge', 'cache.r6g.xlarge']);
    for (const r of Object.values(spec.roles)) expect(instanceSpec(r.instanceType)).toMatchObject({ vCpu: r.vCpu, memoryGiB: r.memoryGiB });
  });

  it('is planned with both Redis clusters, self-managed or as two ElastiCache groups', () => {
    const env = gitlabEnvironment({ size: size as 'poc' });
    const planned = (components?: Record<string, string>) => {
      const { plan, problems } = planArchitecture({ ...env, gitlab: { ...env.gitlab!, ...(components ? { components: { ...env.gitlab!.components, ...components } } : {}) } });
      expect(problems).toEqual([]);
      return plan!.roles.filter((r) => r.role.startsWith('redis')).map((r) => [r.role, r.deployment, r.count, r.instanceType]);
    };
    expect(planned()).toEqual([
      ['redis', 'ec2', 3, 'm5.xlarge'],
      ['redisCache', 'ec2', 3, 'm5.xlarge'],
    ]);
    expect(planned({ redis: 'managed' })).toEqual([
      ['redis', 'elasticache', 3, 'cache.r6g.xlarge'],
      ['redisCache', 'elasticache', 3, 'cache.r6g.xlarge'],
    ]);
  });
});

it('has a Redis cache row exactly in the sizes core splits Redis for', () => {
  for (const s of Object.values(SIZES)) expect([s.size, !!s.roles.redisCache]).toEqual([s.size, hasRedisCache(s.size)]);
});

it('names the GitLab page and docs commit of every size (1k: the page as served, with the figures read from it)', () => {
  for (const s of Object.values(SIZES).filter((x) => x.size !== '1k')) expect(s.source).toMatch(new RegExp(`reference_architectures/${s.size === 'poc' ? '2k' : s.size}_users \\(gitlab-org/gitlab .* at commit [0-9a-f]{40}\\)`));
  expect(SIZES['1k'].source).toMatch(/reference_architectures\/1k_users \(page as served on docs\.gitlab\.com.*"8 vCPU, 16 GB memory", AWS c5\.2xlarge, target load API 20, Web 2, Git pull 2, Git push 1 RPS\)$/);
});
