import { all, entries, gitlabEnvironment, synthGitlab, type Json } from './__fixtures__/synth';
import { planArchitecture } from './architecture-plan';
import { portMatrix } from './port-matrix';
import { chartSecretParameters } from './hybrid-compute';
import { assertConnectionsAllowed, connections, generatedSecrets } from '@gitlab-aws/gitlab-config';
import { allowedRules } from './allowed-rules';
import { unservedTargets } from './load-balancer-check';
import { chartStackProps } from './reference-architecture-stack';

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

  it('refuses instance overrides of the roles the cluster runs, and a load balancer without a certificate', () => {
    const { problems } = planArchitecture(gitlabEnvironment({ ...HYBRID_3K, instances: { rails: { count: 4 } }, domain: undefined }));
    const text = problems.map((p) => `${p.field}: ${p.message}`);
    expect(text).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^gitlab\.instances\.rails: deployment "cloud-native-hybrid" runs rails on the EKS cluster's node pools .*: remove it$/),
        expect.stringMatching(/^gitlab\.domain: TLS ends at the external load balancer \(NLB\) with an ACM certificate/),
      ]),
    );
    // A hosted zone alone will do, as in the Linux-package path: the stack requests and validates the certificate.
    expect(planArchitecture(gitlabEnvironment({ ...HYBRID_3K, domain: { hostedZoneId: 'Z0123456789ABCDEFGHIJ' } })).problems).toEqual([]);
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

  it('fails the synth-time cross-check when the NodePort rules are missing from the matrix', () => {
    const { stack } = synthGitlab({ size: '2k', deployment: 'cloud-native-hybrid' });
    const full = allowedRules(stack.matrix, stack.plan.roles);
    expect(() => assertConnectionsAllowed(connections(stack.topology!), full)).not.toThrow();
    for (const port of [32022, 32443, 32080]) {
      const without = full.filter((r) => !(r.fromRole === 'external-lb' && r.toRole === 'kubernetes' && r.port === port));
      expect(() => assertConnectionsAllowed(connections(stack.topology!), without)).toThrow(new RegExp(`external-lb -> kubernetes tcp/${port}`));
    }
  });

  it('lets users reach the external load balancer from the allowed CIDRs, the NAT gateways only on 443, and the nodes only from it', () => {
    const rules = portMatrix(planArchitecture(gitlabEnvironment({ size: '2k', deployment: 'cloud-native-hybrid', components: { database: 'managed' } })).plan!, { natCidrs: ['198.51.100.7/32'] }).rules;
    const cidrRules = rules.filter((r) => r.to === 'externalLb').map((r) => `${typeof r.from === 'string' ? r.from : r.from.cidrs.join(',')}->${r.port}`);
    expect(cidrRules.sort()).toEqual(['198.51.100.7/32->443', '203.0.113.0/24->22', '203.0.113.0/24->443', '203.0.113.0/24->80']);
    // On the cluster's security group: the chart NGINX's HTTP, HTTPS and SSH NodePorts, from the load balancer's group and nothing else.
    expect(rules.filter((r) => r.to === 'kubernetes').map((r) => `${String(r.from)}->${r.port}`)).toEqual(['externalLb->32080', 'externalLb->32443', 'externalLb->32022']);
    expect(rules.filter((r) => r.to === 'rails' || r.from === 'externalLb').map((r) => r.to)).toEqual(['kubernetes', 'kubernetes', 'kubernetes']);
    expect(rules.filter((r) => r.from === 'gitaly' && r.to === 'postgres').map((r) => r.port)).toEqual([5432]);
    const selfManaged = portMatrix(planArchitecture(gitlabEnvironment({ size: '2k', deployment: 'cloud-native-hybrid' })).plan!).rules;
    expect(selfManaged.filter((r) => r.from === 'gitaly' && r.to === 'postgres')).toEqual([]);
    // Without NAT addresses, no CIDR rule but the users'.
    expect(selfManaged.filter((r) => typeof r.from === 'object').every((r) => typeof r.from === 'object' && r.from.cidrs.join() === '203.0.113.0/24')).toBe(true);
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

  it("puts the environment's NLB in front of the chart NGINX's NodePorts on the supporting pool's Auto Scaling group", () => {
    const { resources } = twoK;
    const lbs = all(resources, 'aws_lb');
    expect(lbs.map((l) => [l.internal, l.load_balancer_type])).toEqual([[false, 'network']]);
    expect(lbs[0].security_groups).toEqual([expect.stringContaining('aws_security_group.security-groups_external-lb')]);
    const groups = entries(resources, 'aws_lb_target_group');
    // Web traffic to the HTTPS NodePort over TLS (NGINX's certificate, which the NLB does not validate);
    // every group's health check is ingress-nginx's /healthz over plain HTTP on the HTTP NodePort.
    expect(groups.map(([, g]) => [g.port, g.protocol, g.target_type, g.health_check.protocol, g.health_check.port, g.health_check.path]).sort()).toEqual([
      [32022, 'TCP', 'instance', 'HTTP', '32080', '/healthz'],
      [32080, 'TCP', 'instance', 'HTTP', '32080', '/healthz'],
      [32443, 'TLS', 'instance', 'HTTP', '32080', '/healthz'],
    ]);
    // Every target group is attached to the supporting node group's Auto Scaling group, and no instance is registered by ID.
    const attachments = all(resources, 'aws_autoscaling_attachment');
    expect(attachments).toHaveLength(3);
    for (const a of attachments) expect(a.autoscaling_group_name).toMatch(/^\$\{aws_eks_node_group\.hybrid_pools_supporting_[A-F0-9]+\.resources\[0\]\.autoscaling_groups\[0\]\.name\}$/);
    expect(new Set(attachments.map((a) => a.lb_target_group_arn))).toEqual(new Set(groups.map(([name]) => `\${aws_lb_target_group.${name}.arn}`)));
    expect(resources.aws_lb_target_group_attachment).toBeUndefined();
    // Listeners: TLS on 443 with the certificate, re-encrypted to the HTTPS NodePort; plain 80 to the
    // HTTP NodePort (NGINX redirects to https); 22 to the SSH NodePort.
    const tg = (arn: string) => groups.find(([name]) => arn.includes(`aws_lb_target_group.${name}.`))![1];
    const listeners = all(resources, 'aws_lb_listener').map((l) => {
      const target = tg(l.default_action[0].target_group_arn);
      return [l.port, l.protocol, target.protocol, target.port, l.certificate_arn ?? null];
    });
    expect(listeners.sort((a, b) => a[0] - b[0])).toEqual([
      [22, 'TCP', 'TCP', 32022, null],
      [80, 'TCP', 'TCP', 32080, null],
      [443, 'TLS', 'TLS', 32443, 'arn:aws:acm:eu-west-1:222222222222:certificate/0b0e4f5c-1a2b-4c3d-8e9f-0123456789ab'],
    ]);
  });

  it('admits the allowed CIDRs and the NAT gateways (443 only) on the NLB, and the NodePorts from the NLB only', () => {
    const rules = all(twoK.resources, 'aws_vpc_security_group_ingress_rule');
    const onLb = rules.filter((r) => String(r.security_group_id).includes('security-groups_external-lb'));
    // cdktf's unique suffixes left out: the NAT rules name each NAT gateway's Elastic IP.
    const plain = (x: string) => x.replace(/_[0-9A-F]{8}\b/g, '');
    expect(onLb.map((r) => plain(`${r.cidr_ipv4}:${r.from_port}`)).sort()).toEqual([
      '${aws_eip.network_nat-eip-0.public_ip}/32:443',
      '${aws_eip.network_nat-eip-1.public_ip}/32:443',
      '203.0.113.0/24:22',
      '203.0.113.0/24:443',
      '203.0.113.0/24:80',
    ]);
    const onNodes = rules.filter((r) => String(r.security_group_id).includes('aws_eks_cluster.'));
    expect(onNodes.map((r) => [r.from_port, r.to_port, r.cidr_ipv4 ?? null, r.referenced_security_group_id]).sort()).toEqual([
      [32022, 32022, null, expect.stringContaining('aws_security_group.security-groups_external-lb')],
      [32080, 32080, null, expect.stringContaining('aws_security_group.security-groups_external-lb')],
      [32443, 32443, null, expect.stringContaining('aws_security_group.security-groups_external-lb')],
    ]);
  });

  it('points the external name at the NLB in the hosted zone, with a certificate requested there, as the Linux-package path does', () => {
    const { resources } = synthGitlab({ size: '2k', deployment: 'cloud-native-hybrid', domain: { hostedZoneId: 'Z0123456789ABCDEFGHIJ' } });
    const alias = all(resources, 'aws_route53_record').find((r) => r.name === 'gitlab.example.com');
    expect(alias).toMatchObject({ zone_id: 'Z0123456789ABCDEFGHIJ', type: 'A', alias: { name: expect.stringContaining('aws_lb.external-lb_web') } });
    expect(all(resources, 'aws_acm_certificate').map((c) => c.domain_name)).toEqual(['gitlab.example.com']);
  });

  it('with an ALB: HTTPS re-encrypted to the HTTPS NodePort, Git SSH on an NLB of its own, whose name the chart puts in clone URLs', () => {
    const { stack, resources } = synthGitlab({ size: '2k', deployment: 'cloud-native-hybrid', externalLoadBalancer: 'alb' });
    expect(all(resources, 'aws_lb').map((l) => l.load_balancer_type).sort()).toEqual(['application', 'network']);
    const groups = entries(resources, 'aws_lb_target_group');
    expect(groups.map(([, g]) => [g.port, g.protocol, g.health_check.protocol, g.health_check.port, g.health_check.path]).sort()).toEqual([
      [32022, 'TCP', 'HTTP', '32080', '/healthz'],
      [32443, 'HTTPS', 'HTTP', '32080', '/healthz'],
    ]);
    // The HTTPS listener forwards to the HTTPS NodePort; port 80 is redirected by the ALB itself.
    const https = all(resources, 'aws_lb_listener').find((l) => l.protocol === 'HTTPS')!;
    const [webName] = groups.find(([, g]) => g.port === 32443)!;
    expect(https.default_action[0].target_group_arn).toBe(`\${aws_lb_target_group.${webName}.arn}`);
    expect(chartStackProps(stack).chart.sshHost).toBe('ssh.gitlab.example.com');
    expect(chartStackProps(twoK.stack).chart.sshHost).toBeUndefined();
    expect(stack.billOfMaterials.lines.filter((l) => l.service === 'alb' || l.service === 'nlb').map((l) => `${l.role}:${l.service}`)).toEqual(['externalLb:alb', 'externalSshLb:nlb']);
  });

  it("checks at synth that the load balancer forwards only to the chart NGINX's NodePorts", () => {
    const t = twoK.stack.topology!;
    const target = (port: number) => [{ loadBalancer: 'external-lb' as const, name: 'web-http', role: 'kubernetes' as const, port }];
    for (const port of [32080, 32443, 32022]) expect(unservedTargets(target(port), t)).toEqual([]);
    expect(unservedTargets(target(80), t)).toEqual(['external-lb target group "web-http" forwards to kubernetes:80, where the GitLab configuration listens on nothing (kubernetes serves 32080, 32443, 32022)']);
    expect(unservedTargets(target(443), t)).toHaveLength(1);
  });

  it('keeps Praefect and PgBouncer on the internal load balancer, with no Rails backend', () => {
    const lbs = all(threeK.resources, 'aws_lb');
    expect(lbs.map((l) => l.internal).sort()).toEqual([false, true]);
    // Below the NodePort range: the internal load balancer's groups.
    const internal = all(threeK.resources, 'aws_lb_target_group').filter((t) => t.port < 30000);
    expect(internal.map((t) => t.port).sort()).toEqual([3305, 6432]);
  });

  it('refuses a hybrid environment without NAT gateways (the load balancer could not admit Gitaly)', () => {
    expect(() => synthGitlab({ size: '2k', deployment: 'cloud-native-hybrid' }, { natGateways: 'none' })).toThrow(
      /^environments\/gl\.json: network: deployment "cloud-native-hybrid" needs NAT gateways whose addresses are known: Gitaly calls the internal API at https:\/\/gitlab\.example\.com through them.*set network\.natGateways to "per-az" or "single"/,
    );
  });

  it('adds the tainted, idle load-test pool only when the environment file turns it on', () => {
    const pools = (resources: Json) => all(resources, 'aws_eks_node_group').map((g) => g.node_group_name).sort();
    expect(pools(twoK.resources)).toEqual(['sidekiq', 'supporting', 'webservice']);
    const off = synthGitlab({ size: '2k', deployment: 'cloud-native-hybrid', kubernetes: { loadTestPool: { enabled: false, maxNodes: 8 } } });
    expect(pools(off.resources)).toEqual(['sidekiq', 'supporting', 'webservice']);
    const on = synthGitlab({ size: '2k', deployment: 'cloud-native-hybrid', kubernetes: { loadTestPool: { enabled: true, instanceType: 'c6i.2xlarge', maxNodes: 8 } } });
    const loadTest = all(on.resources, 'aws_eks_node_group').find((g) => g.node_group_name === 'load-test')!;
    expect(loadTest).toMatchObject({ instance_types: ['c6i.2xlarge'], scaling_config: { min_size: 0, desired_size: 0, max_size: 8 }, taint: [{ key: 'gitlab.com/node-pool', value: 'load-test', effect: 'NO_SCHEDULE' }] });
    // Users' traffic never goes to it: the load balancer's target groups stay on the supporting pool.
    expect(all(on.resources, 'aws_autoscaling_attachment').every((a) => String(a.autoscaling_group_name).includes('hybrid_pools_supporting'))).toBe(true);
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
