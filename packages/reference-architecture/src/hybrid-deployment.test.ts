import { all, gitlabEnvironment, synthGitlab, type Json } from './__fixtures__/synth';
import { planArchitecture } from './architecture-plan';
import { portMatrix } from './port-matrix';
import { chartSecretParameters } from './hybrid-compute';
import { generatedSecrets } from '@gitlab-aws/gitlab-config';

const HYBRID_3K = { size: '3k', deployment: 'cloud-native-hybrid', components: { praefectDatabase: 'managed' } };

describe('gitlab.deployment "cloud-native-hybrid": the plan', () => {
  it('drops the Rails, Sidekiq and monitoring roles and keeps every stateful role', () => {
    const { plan, problems } = planArchitecture(gitlabEnvironment(HYBRID_3K));
    expect(problems).toEqual([]);
    expect(plan!.hybrid).toBe(true);
    expect(plan!.roles.map((r) => r.role).sort()).toEqual(['consul', 'gitaly', 'pgbouncer', 'postgres', 'praefect', 'praefectPostgres', 'redis']);
    // Praefect and PgBouncer still sit behind the internal load balancer.
    expect(plan!.internalLoadBalancer).toBe(true);
    const twoK = planArchitecture(gitlabEnvironment({ size: '2k', deployment: 'cloud-native-hybrid' })).plan!;
    expect(twoK.roles.map((r) => r.role).sort()).toEqual(['gitaly', 'postgres', 'redis']);
    expect(twoK.internalLoadBalancer).toBe(false);
  });

  it('refuses instance overrides of the roles the cluster runs, and a missing certificate ARN', () => {
    const { problems } = planArchitecture(gitlabEnvironment({ ...HYBRID_3K, instances: { rails: { count: 4 } }, domain: { hostedZoneId: 'Z0123456789ABCDEFGHIJ' } }));
    const text = problems.map((p) => `${p.field}: ${p.message}`);
    expect(text).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^gitlab\.instances\.rails: deployment "cloud-native-hybrid" runs rails on the EKS cluster's node pools .*: remove it$/),
        expect.stringMatching(/^gitlab\.domain\.certificateArn: is required with deployment "cloud-native-hybrid"/),
      ]),
    );
  });

  it('leaves a Linux-package deployment alone', () => {
    const { plan } = planArchitecture(gitlabEnvironment({ size: '3k', deployment: 'linux-package', components: { praefectDatabase: 'managed' } }));
    expect(plan!.hybrid).toBe(false);
    expect(plan!.roles.map((r) => r.role)).toEqual(expect.arrayContaining(['rails', 'sidekiq', 'monitoring']));
  });
});

describe('gitlab.deployment "cloud-native-hybrid": the port matrix', () => {
  const fromCluster = (gitlab: Record<string, unknown>) =>
    portMatrix(planArchitecture(gitlabEnvironment(gitlab)).plan!)
      .rules.filter((r) => r.from === 'kubernetes')
      .map((r) => `${r.to}:${r.port}`)
      .sort();

  it('lets the cluster reach exactly the ports the chart uses', () => {
    expect(fromCluster({ size: '2k', deployment: 'cloud-native-hybrid' })).toEqual(['gitaly:9999', 'postgres:5432', 'redis:6379']);
    expect(fromCluster(HYBRID_3K)).toEqual(['internalLb:3305', 'internalLb:6432', 'postgres:6432', 'redis:26379', 'redis:6379']);
    expect(fromCluster({ size: '3k', deployment: 'cloud-native-hybrid', components: { praefectDatabase: 'managed', database: 'managed', redis: 'managed' } })).toEqual(['internalLb:3305', 'postgres:5432', 'redis:6379']);
  });

  it('opens nothing to Rails or an external load balancer, and RDS to Gitaly only for the login it creates', () => {
    const rules = portMatrix(planArchitecture(gitlabEnvironment({ size: '2k', deployment: 'cloud-native-hybrid', components: { database: 'managed' } })).plan!).rules;
    expect(rules.filter((r) => r.to === 'rails' || r.to === 'externalLb' || r.from === 'externalLb')).toEqual([]);
    expect(rules.filter((r) => r.from === 'gitaly' && r.to === 'postgres').map((r) => r.port)).toEqual([5432]);
    const selfManaged = portMatrix(planArchitecture(gitlabEnvironment({ size: '2k', deployment: 'cloud-native-hybrid' })).plan!).rules;
    expect(selfManaged.filter((r) => r.from === 'gitaly' && r.to === 'postgres')).toEqual([]);
  });
});

describe('gitlab.deployment "cloud-native-hybrid": the stack', () => {
  const twoK = synthGitlab({ size: '2k', deployment: 'cloud-native-hybrid', components: { database: 'managed' } });
  const threeK = synthGitlab(HYBRID_3K);
  const clusterSg = (r: Json) => typeof r.referenced_security_group_id === 'string' && r.referenced_security_group_id.includes('aws_eks_cluster.');

  it('builds the stateful nodes and the EKS cluster, and no Rails, Sidekiq or monitoring node', () => {
    for (const { resources } of [twoK, threeK]) {
      const roles = new Set(all(resources, 'aws_instance').map((i) => i.tags.GitLabRole));
      for (const gone of ['rails', 'sidekiq', 'monitoring']) expect(roles.has(gone)).toBe(false);
      expect(roles.has('gitaly')).toBe(true);
      expect(all(resources, 'aws_eks_cluster')).toHaveLength(1);
      expect(all(resources, 'aws_eks_node_group').length).toBeGreaterThanOrEqual(3);
    }
    expect(new Set(all(threeK.resources, 'aws_instance').map((i) => i.tags.GitLabRole))).toEqual(new Set(['consul', 'gitaly', 'pgbouncer', 'postgres', 'praefect', 'redis']));
  });

  it("admits the cluster's security group on exactly the chart's ports", () => {
    const ports = (resources: Json) => all(resources, 'aws_vpc_security_group_ingress_rule').filter(clusterSg).map((r) => r.from_port).sort((a, b) => a - b);
    expect(ports(twoK.resources)).toEqual([5432, 6379, 9999]);
    expect(ports(threeK.resources)).toEqual([3305, 6379, 6432, 6432, 26379]);
  });

  it('creates no external load balancer (the chart brings its own) and no Rails backend on the internal one', () => {
    expect(all(twoK.resources, 'aws_lb')).toEqual([]);
    const lbs = all(threeK.resources, 'aws_lb');
    expect(lbs.map((l) => l.internal)).toEqual([true]);
    expect(all(threeK.resources, 'aws_lb_target_group').map((t) => t.port).sort()).toEqual([3305, 6432]);
  });

  it("makes the spoke's deploy role cluster admin, and nobody else", () => {
    const entries = all(twoK.resources, 'aws_eks_access_entry');
    expect(entries.map((e) => e.principal_arn)).toEqual(['arn:aws:iam::222222222222:role/gitlab-ci-deploy']);
  });

  it("lets External Secrets read exactly the chart's SSM parameters, the ones the nodes generate", () => {
    const { stack } = threeK;
    const names = chartSecretParameters(stack.topology!);
    expect(names.map((n) => n.split('/').pop()).sort()).toEqual(['gitlab-db-password', 'gitlab-shell-token', 'initial-root-password', 'praefect-external-token', 'redis-password']);
    const generated = generatedSecrets(stack.topology!).map((s) => s.name);
    for (const n of names) expect(generated).toContain(n.split('/').pop());
    const role = Object.entries((threeK.resources.aws_iam_role_policy ?? {}) as Record<string, Json>).find(([key]) => key.includes('external-secrets'));
    const doc = JSON.parse(role![1].policy as string);
    const read = doc.Statement.find((s: Json) => s.Sid === 'ReadChartParameters');
    expect(read.Resource.map((a: string) => a.replace(/^arn:aws:ssm:eu-west-1:222222222222:parameter/, '')).sort()).toEqual([...names].sort());
  });
});

describe('gitlab.deployment "cloud-native-hybrid": the bill of materials', () => {
  it("lists the EKS control plane and GitLab's hybrid node pools instead of Rails, Sidekiq and monitoring, and counts the pools' nodes", () => {
    const { billOfMaterials: bom } = synthGitlab({ size: '2k', deployment: 'cloud-native-hybrid' }).stack;
    const line = (role: string) => bom.lines.find((l) => l.role === role);
    expect(line('eksControlPlane')).toMatchObject({ service: 'eks', count: 1 });
    expect(line('pool:webservice')).toMatchObject({ service: 'eks-nodes', count: 3, instanceType: 'c5.2xlarge', vCpu: 8, memoryGiB: 16 });
    expect(line('pool:sidekiq')).toMatchObject({ service: 'eks-nodes', count: 2, instanceType: 'm5.xlarge' });
    expect(line('pool:supporting')).toMatchObject({ service: 'eks-nodes', count: 2, instanceType: 'm5.large' });
    expect(line('rails')).toBeUndefined();
    expect(line('externalLb')).toMatchObject({ service: 'nlb' });
    // 3 + 2 + 2 pool nodes, plus Gitaly, PostgreSQL and Redis.
    expect(bom.totals.nodes).toBe(7 + 3);
    expect(bom.totals.vCpu).toBe(3 * 8 + 2 * 4 + 2 * 2 + bom.lines.filter((l) => l.service === 'ec2').reduce((n, l) => n + l.count * l.vCpu, 0));
  });
});
