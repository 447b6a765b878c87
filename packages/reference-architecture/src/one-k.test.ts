import { checkEnvironmentText, formatProblem, TEST_SPOKE } from '@gitlab-aws/core';
import { checkConnections, connections } from '@gitlab-aws/gitlab-config';
import { allowedRules } from './allowed-rules';
import { all, entries, gitlabEnvironment, synthGitlab, TEST_CERTIFICATE } from './__fixtures__/synth';
import { planArchitecture, webRole } from './architecture-plan';
import { BACKUP_TAG } from './data-volumes';
import { isAllowed, isOpenToCidr, portMatrix, PORTS } from './port-matrix';

// 1k: GitLab's one all-in-one node behind the same external load balancer as every size.
const plan1k = () => planArchitecture(gitlabEnvironment({ size: '1k' })).plan!;
const problems = (gitlab: Record<string, unknown>) => planArchitecture(gitlabEnvironment({ size: '1k', ...gitlab })).problems.map((p) => `${p.field}: ${p.message}`);

describe('1k plan', () => {
  it('is one allInOne node of the SIZES type with its data volume, no internal load balancer, no Consul', () => {
    const plan = plan1k();
    expect(plan.roles.map((r) => [r.role, r.deployment, r.count, r.instanceType, r.dataVolume?.sizeGiB])).toEqual([['allInOne', 'ec2', 1, 'c5.2xlarge', 500]]);
    expect([plan.internalLoadBalancer, plan.gitalyCluster, plan.consulMembers, plan.hybrid]).toEqual([false, false, [], false]);
    expect(webRole(plan.roles)).toBe('allInOne');
    expect(webRole(planArchitecture(gitlabEnvironment({ size: 'poc' })).plan!.roles)).toBe('rails');
  });

  it('accepts a bigger type and a bigger volume, and refuses a second node, a smaller type and roles 1k has not', () => {
    expect(problems({ instances: { allInOne: { instanceType: 'c5.4xlarge', dataVolumeGiB: 1000 } } })).toEqual([]);
    expect(problems({ instances: { allInOne: { count: 2 } } })).toEqual([
      'gitlab.instances.allInOne.count: is 2: 1k is one all-in-one node (GitLab\'s 1K has no redundancy): use 1, or size "3k" for high availability',
    ]);
    expect(problems({ instances: { allInOne: { instanceType: 'c5.xlarge' } } })).toEqual([
      'gitlab.instances.allInOne.instanceType: "c5.xlarge" has 4 vCPU and 8 GiB, below the 1k spec for allInOne (8 vCPU, 16 GiB): pick a larger type or set "allowBelowSpec": true',
    ]);
    expect(problems({ instances: { rails: { count: 2 } } })).toEqual(['gitlab.instances.rails: the 1k size has no rails nodes: remove it']);
    expect(planArchitecture(gitlabEnvironment({ size: '2k', instances: { allInOne: { count: 1 } } })).problems.map((p) => p.message)).toEqual(['the 2k size has no allInOne nodes: remove it']);
  });

  it('refuses managed components and Cloud Native Hybrid in the environment file, naming file, field and fix', () => {
    const check = (gitlab: Record<string, unknown>) =>
      checkEnvironmentText('environments/dev.json', JSON.stringify({ ...TEST_SPOKE, gitlab: { size: '1k', externalUrl: 'https://gitlab.example.com', ...gitlab } })).problems.map(formatProblem);
    expect(check({ components: { database: 'managed' } })).toEqual([expect.stringMatching(/^environments\/dev\.json: gitlab\.components\.database: is "managed", but size "1k" is one all-in-one node .* use size "2k" for RDS and ElastiCache/)]);
    expect(check({ deployment: 'cloud-native-hybrid', domain: { certificateArn: TEST_CERTIFICATE } })).toEqual([expect.stringMatching(/gitlab\.deployment: size "1k" has no Cloud Native Hybrid table/)]);
  });
});

describe('1k port matrix', () => {
  const m = portMatrix(plan1k());

  it('opens only 80 and 22 on the node, from the external load balancer, and 443/80/22 on the load balancer from the users', () => {
    expect(m.rules.map((r) => [r.to, typeof r.from === 'string' ? r.from : r.from.cidrs.join(','), r.port])).toEqual([
      ['externalLb', '203.0.113.0/24', PORTS.https],
      ['externalLb', '203.0.113.0/24', PORTS.http],
      ['externalLb', '203.0.113.0/24', PORTS.gitSsh],
      ['allInOne', 'externalLb', PORTS.http],
      ['allInOne', 'externalLb', PORTS.gitSsh],
    ]);
    expect(m.groups).toEqual(['allInOne', 'externalLb']);
    expect(isAllowed(m, 'externalLb', 'allInOne', PORTS.http)).toBe(true);
    expect(isAllowed(m, 'externalLb', 'allInOne', PORTS.https)).toBe(false);
    expect(isOpenToCidr(m, 'allInOne', PORTS.gitSsh, '203.0.113.0/24')).toBe(false);
  });
});

describe('1k stack', () => {
  const { resources, stack } = synthGitlab({ size: '1k' });

  it("cross-checks: the configuration's flows are exactly the security groups' (beside a node reaching itself)", () => {
    const topology = stack.topology!;
    expect(topology.nodes.map((n) => [n.role, n.name, n.dataVolumeId !== undefined])).toEqual([['all-in-one', 'all-in-one-1', true]]);
    const disagreements = checkConnections(connections(topology), allowedRules(stack.matrix, stack.plan.roles));
    expect(disagreements.map((d) => `${d.kind} ${d.fromRole}->${d.toRole}`)).toEqual(['not-needed all-in-one->all-in-one', 'not-needed all-in-one->all-in-one']);
  });

  it('builds exactly one c5.2xlarge node, its encrypted gp3 volume in the AWS Backup selection, and no internal load balancer', () => {
    const nodes = all(resources, 'aws_instance');
    expect(nodes.map((i) => [i.tags.GitLabRole, i.instance_type])).toEqual([['allInOne', 'c5.2xlarge']]);
    const volumes = all(resources, 'aws_ebs_volume');
    expect(volumes.map((v) => [v.tags.GitLabRole, v.type, v.encrypted, v.size, v.iops, v.tags[BACKUP_TAG]])).toEqual([['allInOne', 'gp3', true, 500, 8000, 'gl']]);
    expect(all(resources, 'aws_backup_selection')).toHaveLength(1);
    expect(all(resources, 'aws_lb').map((lb) => lb.internal)).toEqual([false]);
  });

  it('registers the node behind the external load balancer, and its security group admits only the load balancer', () => {
    const [[nodeId]] = entries(resources, 'aws_instance');
    const attachments = all(resources, 'aws_lb_target_group_attachment');
    expect(attachments.length).toBeGreaterThan(0);
    for (const a of attachments) expect(a.target_id).toBe(`\${aws_instance.${nodeId}.id}`);
    const [sgId] = entries(resources, 'aws_security_group').find(([, g]) => /all-in-one/.test(g.name))!;
    const ingress = all(resources, 'aws_vpc_security_group_ingress_rule').filter((r) => r.security_group_id === `\${aws_security_group.${sgId}.id}`);
    expect(ingress.map((r) => r.from_port).sort((a, b) => a - b)).toEqual([PORTS.gitSsh, PORTS.http]);
    for (const r of ingress) expect(r.referenced_security_group_id).toMatch(/external-lb/);
  });

  it('gives the node object storage (like Rails and Sidekiq), its boot policy and Session Manager', () => {
    const policies = all(resources, 'aws_iam_role_policy').filter((p) => /all-in-one-role/.test(p.role)).map((p) => p.name);
    expect(policies.sort()).toEqual(['gitlab-boot', 'object-storage', 'session-manager']);
    const boot = JSON.parse(all(resources, 'aws_iam_role_policy').find((p) => p.name === 'gitlab-boot')!.policy);
    expect(JSON.stringify(boot)).toContain('initial-root-password');
    expect(JSON.stringify(boot)).toContain('gitlab-secrets-json');
  });
});
