import { Testing } from 'cdktf';
import { EnvironmentValidationError, TEST_SPOKE, testEnvironment } from '@gitlab-aws/core';
import { gitlabEnvironment, TEST_CERTIFICATE } from './__fixtures__/synth';
import { planArchitecture } from './architecture-plan';
import { ReferenceArchitectureStack } from './reference-architecture-stack';

function problems(gitlab: Record<string, unknown>, network: Record<string, unknown> = {}): string[] {
  return planArchitecture(gitlabEnvironment(gitlab, network)).problems.map((p) => `${p.file}: ${p.field}: ${p.message}`);
}

describe('bad overrides are rejected with the field and the fix', () => {
  it.each<[string, Record<string, unknown>, Record<string, unknown>, string]>([
    ['a type below spec', { size: '3k', instances: { rails: { instanceType: 'c5.xlarge' } } }, {},
      'environments/gl.json: gitlab.instances.rails.instanceType: "c5.xlarge" has 4 vCPU and 8 GiB, below the 3k spec for rails (8 vCPU, 16 GiB): pick a larger type or set "allowBelowSpec": true'],
    ['less memory at the same vCPU', { size: '2k', instances: { gitaly: { instanceType: 'c6i.xlarge' } } }, {}, 'gitlab.instances.gitaly.instanceType: "c6i.xlarge" has 4 vCPU and 8 GiB, below the 2k spec for gitaly (4 vCPU, 16 GiB)'],
    ['an unknown type', { size: '2k', instances: { sidekiq: { instanceType: 'x9.huge' } } }, {}, 'gitlab.instances.sidekiq.instanceType: unknown type "x9.huge": use a type of the families c5, c6i'],
    ['an RDS class for a node', { size: '2k', instances: { postgres: { instanceType: 'db.m5.large' } } }, {}, 'gitlab.instances.postgres.instanceType: "db.m5.large" is not an EC2 instance type, which postgres needs as a Linux-package node: use e.g. "m5.large"'],
    ['an EC2 type for RDS', { size: '2k', components: { database: 'managed' }, instances: { postgres: { instanceType: 'm5.large' } } }, {}, 'is not an RDS class, which postgres needs as a managed service: use e.g. "db.m5.large"'],
    ['an even Consul count', { size: '3k', instances: { consul: { count: 2 } } }, {}, 'gitlab.instances.consul.count: is 2: consul needs an odd count of at least 3 in 3k to keep a quorum: use 3'],
    ['an even Redis count (Sentinel quorum on the Redis nodes)', { size: '3k', instances: { redis: { count: 2 } } }, {}, 'gitlab.instances.redis.count: is 2: Redis (with a Sentinel on each node) needs an odd count of at least 3 in 3k to keep a quorum: use 3'],
    ['too few Praefects', { size: '3k', instances: { praefect: { count: 1 } } }, {}, 'gitlab.instances.praefect.count: is 1: praefect needs an odd count of at least 3'],
    ['5 Praefects in 3 zones', { size: '3k', instances: { praefect: { count: 5 } } }, {}, 'gitlab.instances.praefect.count: is 5: 3k spreads praefect one node per availability zone and has 3: use at most 3'],
    ['2 Gitaly nodes in a cluster', { size: '3k', instances: { gitaly: { count: 2 } } }, {}, 'gitlab.instances.gitaly.count: is 2: Gitaly Cluster replicates every repository 3 times in 3k: use 3'],
    ['a single Redis in 3k', { size: '3k', instances: { redis: { count: 1 } } }, {}, 'gitlab.instances.redis.count: is 1: Redis (with a Sentinel on each node) needs an odd count of at least 3 in 3k to keep a quorum: use 3'],
    ['a role the size has not', { size: '2k', instances: { praefect: { count: 3 } } }, {}, 'gitlab.instances.praefect: the 2k size has no praefect nodes: remove it'],
    ['PgBouncer with RDS', { size: '3k', components: { database: 'managed' }, instances: { pgbouncer: { count: 3 } } }, {}, 'gitlab.instances.pgbouncer: RDS replaces PgBouncer when components.database is "managed": remove it'],
    ['a count for RDS', { size: '3k', components: { database: 'managed' }, instances: { postgres: { count: 2 } } }, {}, 'gitlab.instances.postgres.count: does not apply to RDS (the Multi-AZ standby is the redundancy): remove it'],
    ['a data volume where there is none', { size: '2k', instances: { rails: { dataVolumeGiB: 100 } } }, {}, 'gitlab.instances.rails.dataVolumeGiB: rails nodes have no data volume: remove it'],
    ['a Praefect database outside 3k', { size: '2k', components: { praefectDatabase: 'managed' } }, {}, 'gitlab.components.praefectDatabase: the 2k size has no Gitaly Cluster'],
    ['an ALB without a certificate', { size: '2k', externalLoadBalancer: 'alb', domain: undefined }, {}, 'gitlab.domain: TLS ends at the external load balancer (ALB) with an ACM certificate in every size, and none is configured: set gitlab.domain.certificateArn (an ACM certificate for gitlab.example.com) or gitlab.domain.hostedZoneId'],
    ['a POC without a certificate (no TLS pass-through to a port nobody serves)', { size: 'poc', domain: undefined }, {}, 'gitlab.domain: TLS ends at the external load balancer (NLB) with an ACM certificate in every size'],
    ['a single-node Praefect database in 3k (GitLab requires an HA one)', { size: '3k', allowSingleNodePraefectDatabase: false }, {}, 'gitlab.components.praefectDatabase: is "linux-package": one PostgreSQL node for Praefect is a single point of failure for all Git traffic, and GitLab requires a highly available database for Praefect in 3k: use "managed" (RDS Multi-AZ), or for a test environment set gitlab.allowSingleNodePraefectDatabase to true'],
    ['no allowed networks', { size: '2k', allowedCidrs: [] }, {}, 'gitlab.allowedCidrs: no network may reach the external load balancer'],
    ['a VPC too small for reserved node addresses', { size: '2k' }, { vpcCidr: '10.30.0.0/22' }, 'network.vpcCidr: GitLab nodes take fixed addresses from a /26 reserved in each private subnet'],
    ['an existing VPC without public subnets', { size: '2k' }, { existing: { vpcId: 'vpc-0123456789abcdef0', privateSubnets: [{ id: 'subnet-0123456789abcdef0', availabilityZone: 'eu-west-1a' }, { id: 'subnet-0123456789abcdef1', availabilityZone: 'eu-west-1b' }] } }, 'network.existing.publicSubnets: the internet-facing load balancer needs public subnets: list them'],
  ])('%s', (_what, gitlab, network, expected) => {
    const found = problems(gitlab, network);
    expect(found).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  it('refuses unprotected data in a production environment, and accepts it in a throw-away one', () => {
    const env = (production: boolean) =>
      testEnvironment(TEST_SPOKE, {
        name: 'gl',
        network: { vpcCidr: '10.30.0.0/16' },
        gitlab: { size: '2k', externalUrl: 'https://gitlab.example.com', allowedCidrs: ['203.0.113.0/24'], domain: { certificateArn: TEST_CERTIFICATE }, protectData: false },
        guardrails: { production },
      });
    expect(planArchitecture(env(true)).problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'gitlab.protectData: is false in a production environment, whose stateful resources must survive an accidental destroy: remove it, or mark a throw-away environment with "guardrails": { "production": false }',
    ]);
    expect(planArchitecture(env(false)).problems).toEqual([]);
  });

  it('lists every problem at once', () => {
    expect(problems({ size: '3k', instances: { consul: { count: 4 }, rails: { instanceType: 'c5.large' } } })).toHaveLength(2);
  });
});

describe('accepted overrides', () => {
  it('3k with Praefect\'s database on RDS needs no override', () => {
    expect(planArchitecture(gitlabEnvironment({ size: '3k', allowSingleNodePraefectDatabase: false, components: { praefectDatabase: 'managed' } })).problems).toEqual([]);
  });

  it('takes a type below spec when explicitly allowed, and Graviton equivalents', () => {
    const { plan, problems: found } = planArchitecture(
      gitlabEnvironment({ size: '3k', instances: { rails: { instanceType: 'c5.xlarge', allowBelowSpec: true }, gitaly: { instanceType: 'm7g.xlarge' }, consul: { instanceType: 'c7g.large' } } }),
    );
    expect(found).toEqual([]);
    const role = (r: string) => plan!.roles.find((p) => p.role === r)!;
    expect(role('rails').instanceType).toBe('c5.xlarge');
    expect(role('gitaly').spec).toEqual({ vCpu: 4, memoryGiB: 16, arch: 'arm64' });
  });

  it('falls back to network.allowedIngressCidrs for the load balancer', () => {
    const env = gitlabEnvironment({ size: '2k', allowedCidrs: undefined }, { allowedIngressCidrs: ['198.51.100.0/24'] });
    expect(planArchitecture(env).plan!.allowedCidrs).toEqual(['198.51.100.0/24']);
  });
});

describe('the stack', () => {
  it('builds nothing from a bad file and names the file and field', () => {
    const environment = gitlabEnvironment({ size: '3k', instances: { praefect: { count: 2 } } });
    let error: unknown;
    try {
      new ReferenceArchitectureStack(Testing.app(), { environment });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvironmentValidationError);
    expect((error as Error).message).toContain('environments/gl.json: gitlab.instances.praefect.count: is 2');
  });
});
