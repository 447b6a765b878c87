import { tfStack } from '../__fixtures__/stack';
import { architectureDiagram, architectureMarkdown } from './architecture';

const ref = (a: string, attr = 'id') => `\${${a}.${attr}}`;
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });

const hub = tfStack(
  {
    'aws_iam_openid_connect_provider.gitlab': { url: 'https://gitlab.com', client_id_list: ['https://gitlab.com'] },
    'aws_iam_role.pipeline': {
      name: 'gitlab-ci-deploy',
      assume_role_policy: policy({
        Effect: 'Allow',
        Principal: { Federated: ref('aws_iam_openid_connect_provider.gitlab', 'arn') },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { 'gitlab.com:sub': 'project_path:g/p:ref_type:branch:ref:main' } },
      }),
    },
    'aws_iam_role_policy.assume': { role: ref('aws_iam_role.pipeline', 'name'), policy: policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ['arn:aws:iam::222222222222:role/spoke-deploy'] }) },
    'aws_s3_bucket.state': { bucket: 'tfstate' },
  },
  { environment: 'devops', account: '111111111111' },
);

const subnet = (i: number, tier: string, az: string) => ({ vpc_id: ref('aws_vpc.main'), cidr_block: `10.0.${i}.0/24`, availability_zone: az, tags: { Tier: tier } });
const spoke = tfStack(
  {
    'aws_vpc.main': { cidr_block: '10.0.0.0/16' },
    'aws_subnet.public_a': subnet(0, 'public', 'eu-west-1a'),
    'aws_subnet.public_b': subnet(1, 'public', 'eu-west-1b'),
    'aws_subnet.private_a': subnet(8, 'private', 'eu-west-1a'),
    'aws_subnet.private_b': subnet(9, 'private', 'eu-west-1b'),
    'aws_nat_gateway.a': { subnet_id: ref('aws_subnet.public_a') },
    'aws_instance.gitaly_0': { instance_type: 'm5.xlarge', subnet_id: ref('aws_subnet.private_a'), tags: { Role: 'gitaly' } },
    'aws_instance.gitaly_1': { instance_type: 'm5.xlarge', subnet_id: ref('aws_subnet.private_b'), tags: { Role: 'gitaly' } },
    'aws_launch_template.rails': { instance_type: 'c5.2xlarge' },
    'aws_autoscaling_group.rails': {
      name: 'rails',
      min_size: 2,
      max_size: 4,
      desired_capacity: 2,
      launch_template: { id: ref('aws_launch_template.rails') },
      vpc_zone_identifier: [ref('aws_subnet.private_a'), ref('aws_subnet.private_b')],
      target_group_arns: [ref('aws_lb_target_group.rails', 'arn')],
    },
    'aws_lb.external': { internal: false, load_balancer_type: 'application', subnets: [ref('aws_subnet.public_a'), ref('aws_subnet.public_b')] },
    'aws_lb_target_group.rails': { port: 80, protocol: 'HTTP' },
    'aws_lb_listener.https': { load_balancer_arn: ref('aws_lb.external', 'arn'), port: 443, protocol: 'HTTPS', default_action: [{ type: 'forward', target_group_arn: ref('aws_lb_target_group.rails', 'arn') }] },
    'aws_lb_listener.http': { load_balancer_arn: ref('aws_lb.external', 'arn'), port: 80, protocol: 'HTTP', default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS' } }] },
    'aws_db_instance.db': { engine: 'postgres', instance_class: 'db.m5.large', multi_az: true },
    'aws_elasticache_replication_group.redis': { engine: 'redis', node_type: 'cache.m5.large', num_cache_clusters: 3 },
    'aws_s3_bucket.artifacts': { bucket: 'gl-artifacts' },
    'aws_s3_bucket.lfs': { bucket: 'gl-lfs' },
    'aws_iam_role.deploy': {
      name: 'spoke-deploy',
      assume_role_policy: policy({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/gitlab-ci-deploy' }, Action: 'sts:AssumeRole' }),
    },
    'aws_iam_role.node': { name: 'gitaly-node', assume_role_policy: policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }) },
  },
  { environment: 'prod', account: '222222222222' },
);

describe('architecture diagram', () => {
  const text = architectureDiagram('prod', [{ name: 'prod-gitlab', json: spoke }]);
  const lines = text.split('\n').map((l) => l.trim());

  it('draws the account, the VPC and one box per availability zone with its subnets', () => {
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toContain('subgraph acct_222222222222["AWS account 222222222222 · prod · eu-west-1"]');
    expect(lines).toContain('subgraph vpc_prod_gitlab_main["VPC 10.0.0.0/16"]');
    expect(lines.filter((l) => /^subgraph az_.*\["eu-west-1[ab]"\]$/.test(l))).toHaveLength(2);
    expect(text).toContain('["public 10.0.0.0/24"]');
    expect(text).toContain('["private 10.0.9.0/24"]');
    expect(text).toContain('["NAT gateway"]');
  });

  it('shows node roles with counts and zones, load balancers with ports, and where traffic goes', () => {
    expect(text).toContain('nodes_prod_gitlab_gitaly["gitaly · 2 x m5.xlarge · eu-west-1a, eu-west-1b"]');
    expect(text).toContain('asg_prod_gitlab_rails["rails · ASG 2-4, desired 2 x c5.2xlarge · eu-west-1a, eu-west-1b"]');
    expect(text).toContain('lb_prod_gitlab_external["ALB internet-facing · 80, 443"]');
    expect(lines).toContain('internet -->|"80, 443"| lb_prod_gitlab_external');
    expect(lines).toContain('lb_prod_gitlab_external -->|"80"| asg_prod_gitlab_rails');
  });

  it('shows managed services and buckets', () => {
    expect(text).toContain('db_prod_gitlab_db[("RDS postgres db.m5.large Multi-AZ")]');
    expect(text).toContain('[("ElastiCache redis · 3 x cache.m5.large")]');
    expect(text).toContain('[/"S3 · 2 bucket(s): gl-artifacts, gl-lfs"/]');
  });

  it('draws trust edges from IAM policies, leaving service roles out', () => {
    expect(text).toContain('{{"role gitlab-ci-deploy · account 111111111111"}}');
    expect(lines).toContain('ext_arn_aws_iam__111111111111_role_gitlab_ci_deploy -->|"may assume"| role_222222222222_spoke_deploy');
    expect(text).not.toContain('gitaly-node');
  });

  it('joins hub and spoke roles into one chain when both stacks are drawn', () => {
    const both = architectureDiagram('all', [
      { name: 'devops-identity', json: hub },
      { name: 'prod-gitlab', json: spoke },
    ]);
    expect(both).toContain('oidc_https___gitlab_com{{"GitLab OIDC https://gitlab.com"}}');
    expect(both).toContain('oidc_https___gitlab_com -->|"web identity"| role_111111111111_gitlab_ci_deploy');
    expect(both).toContain('role_111111111111_gitlab_ci_deploy -->|"sts:AssumeRole"| role_222222222222_spoke_deploy');
    expect(both).toContain('role_111111111111_gitlab_ci_deploy -->|"may assume"| role_222222222222_spoke_deploy');
  });

  it('draws an EKS cluster with managed node groups as a box with one node per pool, and one without pools as a node', () => {
    const eks = tfStack({
      'aws_eks_cluster.gl': { name: 'gl-eks', version: '1.35' },
      'aws_eks_node_group.web': { cluster_name: ref('aws_eks_cluster.gl', 'name'), node_group_name: 'webservice', instance_types: ['c5.2xlarge'], scaling_config: { min_size: 3, desired_size: 3, max_size: 6 } },
      'aws_eks_node_group.side': { cluster_name: 'gl-eks', node_group_name: 'sidekiq', instance_types: ['m5.xlarge'], scaling_config: { min_size: 2, max_size: 4 } },
      'aws_eks_cluster.bare': { name: 'other' },
    });
    const drawn = architectureDiagram('prod', [{ name: 'prod-gitlab', json: eks }]);
    const rows = drawn.split('\n').map((l) => l.trim());
    expect(rows).toContain('subgraph eks_prod_gitlab_gl["EKS gl-eks · Kubernetes 1.35"]');
    expect(drawn).toContain('pool_prod_gitlab_web["pool webservice · 3-6, desired 3 x c5.2xlarge"]');
    expect(drawn).toContain('pool_prod_gitlab_side["pool sidekiq · 2-4 x m5.xlarge"]');
    expect(drawn).toContain('eks_prod_gitlab_bare["EKS other"]');
    expect(rows).not.toContain('subgraph eks_prod_gitlab_bare["EKS other"]');
  });

  it("draws a load balancer's target group attached to an EKS node group's Auto Scaling group as an edge to the pool", () => {
    const eks = tfStack({
      'aws_eks_cluster.gl': { name: 'gl-eks', version: '1.35' },
      'aws_eks_node_group.sup': { cluster_name: ref('aws_eks_cluster.gl', 'name'), node_group_name: 'supporting', instance_types: ['m5.large'], scaling_config: { min_size: 2, max_size: 4 } },
      'aws_lb.web': { load_balancer_type: 'network', internal: false },
      'aws_lb_target_group.http': { port: 32080 },
      'aws_lb_listener.https': { load_balancer_arn: ref('aws_lb.web', 'arn'), port: 443, default_action: [{ target_group_arn: ref('aws_lb_target_group.http', 'arn') }] },
      'aws_autoscaling_attachment.http': { lb_target_group_arn: ref('aws_lb_target_group.http', 'arn'), autoscaling_group_name: '${aws_eks_node_group.sup.resources[0].autoscaling_groups[0].name}' },
    });
    const drawn = architectureDiagram('prod', [{ name: 'prod-gitlab', json: eks }]);
    expect(drawn).toContain('lb_prod_gitlab_web -->|"32080"| pool_prod_gitlab_sup');
  });

  it('is a Markdown page with a mermaid block', () => {
    const md = architectureMarkdown('prod', [{ name: 'prod-gitlab', json: spoke }]);
    expect(md).toMatch(/^# Architecture: prod\n/);
    expect(md).toContain('```mermaid\nflowchart LR\n');
    expect(md.trimEnd().endsWith('```')).toBe(true);
  });

  it('groups servers by subnet tier, in boxes laid out as rows, so a large topology is not one long column', () => {
    expect(lines).toContain('subgraph tier_vpc_prod_gitlab_main_private["private subnets"]');
    const tierBox = text.slice(text.indexOf('subgraph tier_vpc_prod_gitlab_main_private'));
    const box = tierBox.slice(0, tierBox.search(/\n\s*end\n/));
    expect(box).toContain('direction TB');
    expect(box).toContain('nodes_prod_gitlab_gitaly[');
    expect(box).toContain('asg_prod_gitlab_rails[');
    // The public load balancer sits in the public tier, not beside the servers.
    expect(box).not.toContain('lb_prod_gitlab_external');
    expect(lines.filter((l) => l.startsWith('subgraph az_')).length).toBe(2);
  });

  it('draws "deploys" to the deploy role and "plans (read-only)" to the plan role, never "deploys" to the plan role', () => {
    const deploy = 'arn:aws:iam::222222222222:role/gitlab-ci-deploy';
    const plan = 'arn:aws:iam::222222222222:role/gitlab-ci-plan';
    const json = {
      ...spoke,
      provider: { aws: [{ region: 'eu-west-1', allowed_account_ids: ['222222222222'], assume_role: [{ role_arn: `\${var.pipeline_role == "plan" ? "${plan}" : "${deploy}"}` }] }] },
    };
    const out = architectureDiagram('prod', [{ name: 'prod-gitlab', json }]).split('\n').map((l) => l.trim());
    const pipelineEdges = out.filter((l) => l.startsWith('pipeline -.->'));
    expect(pipelineEdges).toEqual([
      'pipeline -.->|"plans prod-gitlab (read-only)"| ext_arn_aws_iam__222222222222_role_gitlab_ci_plan',
      'pipeline -.->|"deploys prod-gitlab"| ext_arn_aws_iam__222222222222_role_gitlab_ci_deploy',
    ]);
  });
});
