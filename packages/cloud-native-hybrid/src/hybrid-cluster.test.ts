import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HYBRID_SIZES, POOL_NAMES } from './node-pools';
import { HybridCluster, type HybridClusterProps } from './hybrid-cluster';
import { CONTROL_PLANE_LOG_TYPES } from './eks-cluster';
import { NODE_ADDONS, WORKLOAD_ADDONS } from './cluster-addons';
import { LOAD_TEST_POOL, POOL_LABEL } from './node-groups';

type Resources = Record<string, Record<string, Record<string, any>>>; // eslint-disable-line @typescript-eslint/no-explicit-any

const BUCKETS = Object.fromEntries(
  ['artifacts', 'lfs', 'uploads', 'packages', 'mr-diffs', 'terraform-state', 'dependency-proxy', 'ci-secure-files', 'backups', 'registry'].map((b) => [b, `acme-${b}`]),
);

function props(overrides: Partial<HybridClusterProps> = {}): HybridClusterProps {
  return {
    name: 'gl3k',
    size: '3k',
    accountId: '111122223333',
    partition: 'aws',
    region: 'eu-west-1',
    subnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
    buckets: BUCKETS,
    secretParameterArns: ['arn:aws:ssm:eu-west-1:111122223333:parameter/gitlab/gl3k/gitlab-shell-token'],
    ...overrides,
  };
}

function synth(p: HybridClusterProps): Resources {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'hybrid');
  new AwsProvider(stack, 'aws', { region: p.region });
  new HybridCluster(stack, 'hybrid', p);
  return JSON.parse(Testing.synth(stack)).resource;
}

const only = <T>(map: Record<string, T> | undefined): T => {
  const values = Object.values(map ?? {});
  expect(values).toHaveLength(1);
  return values[0];
};

describe('HybridCluster', () => {
  it.each(['2k', '3k', '5k', '10k', '25k', '50k'] as const)('%s: one managed node group per pool of GitLab\'s hybrid table, floor = the table, spread over every subnet', (size) => {
    const r = synth(props({ size }));
    const groups = Object.values(r.aws_eks_node_group);
    expect(groups.map((g) => g.node_group_name).sort()).toEqual([...POOL_NAMES].sort());
    for (const pool of POOL_NAMES) {
      const spec = HYBRID_SIZES[size]!.pools[pool];
      const group = groups.find((g) => g.node_group_name === pool)!;
      expect(group.instance_types).toEqual([spec.instanceType]);
      expect(group.scaling_config).toEqual({ min_size: spec.count, desired_size: spec.count, max_size: spec.count * 2 });
      expect(group.subnet_ids).toEqual(['subnet-a', 'subnet-b', 'subnet-c']);
      expect(group.labels).toEqual({ [POOL_LABEL]: pool });
      expect(group.lifecycle.ignore_changes).toEqual(['scaling_config[0].desired_size']);
    }
  });

  it('honours maxScaleFactor and refuses one outside 1..10', () => {
    const r = synth(props({ maxScaleFactor: 3 }));
    const web = Object.values(r.aws_eks_node_group).find((g) => g.node_group_name === 'webservice')!;
    expect(web.scaling_config.max_size).toBe(HYBRID_SIZES['3k']!.pools.webservice.count * 3);
    expect(synth(props({ maxScaleFactor: 1 })).aws_eks_node_group).toBeDefined();
    expect(() => synth(props({ maxScaleFactor: 0 }))).toThrow(/maxScaleFactor must be an integer from 1 to 10/);
    expect(() => synth(props({ maxScaleFactor: 11 }))).toThrow(/maxScaleFactor/);
  });

  it('nodes require IMDSv2 with a hop limit of 1 and encrypted gp3 root volumes', () => {
    const templates = Object.values(synth(props()).aws_launch_template);
    expect(templates).toHaveLength(3);
    for (const t of templates) {
      expect(t.metadata_options).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1, http_endpoint: 'enabled' });
      expect(t.block_device_mappings[0].ebs).toMatchObject({ encrypted: 'true', volume_type: 'gp3', volume_size: 100 });
    }
  });

  it('the cluster is private by default, encrypts secrets with its own rotating key and keeps every control-plane log', () => {
    const r = synth(props());
    const cluster = only(r.aws_eks_cluster);
    expect(cluster.vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: false });
    expect(cluster.vpc_config.public_access_cidrs).toBeUndefined();
    expect(cluster.encryption_config.resources).toEqual(['secrets']);
    expect(cluster.encryption_config.provider.key_arn).toMatch(/aws_kms_key\.\w+\.arn/);
    expect(cluster.enabled_cluster_log_types).toEqual([...CONTROL_PLANE_LOG_TYPES]);
    expect(cluster.access_config).toEqual({ authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false });
    expect(cluster.bootstrap_self_managed_addons).toBe(false);
    expect(cluster.version).toBe('1.35');
    expect(only(r.aws_kms_key).enable_key_rotation).toBe(true);
    const logs = only(r.aws_cloudwatch_log_group);
    expect(logs.name).toBe('/aws/eks/gl3k/cluster');
    expect(logs.kms_key_id).toMatch(/aws_kms_key/);
    expect(cluster.depends_on.some((d: string) => d.startsWith('aws_cloudwatch_log_group.'))).toBe(true);
  });

  it('protects the secrets key from destroy when asked, and only then', () => {
    expect(only(synth(props({ protect: true })).aws_kms_key).lifecycle).toEqual({ prevent_destroy: true });
    expect(only(synth(props()).aws_kms_key).lifecycle).toBeUndefined();
  });

  it('opens the public endpoint only to the networks listed, and never to the internet', () => {
    const cluster = only(synth(props({ publicAccessCidrs: ['203.0.113.0/24'] })).aws_eks_cluster);
    expect(cluster.vpc_config).toMatchObject({ endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
    expect(() => synth(props({ publicAccessCidrs: ['0.0.0.0/0'] }))).toThrow(/opens the Kubernetes API to the internet/);
  });

  it('rejects one subnet, an old Kubernetes version and a size without a hybrid table, saying what to do', () => {
    expect(() => synth(props({ subnetIds: ['subnet-a'] }))).toThrow(/at least 2 availability zones/);
    expect(() => synth(props({ kubernetesVersion: '1.32' }))).toThrow(/older than 1.33/);
    expect(() => synth(props({ kubernetesVersion: '135' }))).toThrow(/Kubernetes minor version such as "1.35"/);
    expect(synth(props({ kubernetesVersion: '1.33' })).aws_eks_cluster).toBeDefined();
    expect(() => synth(props({ size: 'poc' }))).toThrow(/"poc" has no Cloud Native Hybrid table.*linux-package/);
  });

  it('gives cluster-admin only to the roles listed, through access entries', () => {
    expect(synth(props()).aws_eks_access_entry).toBeUndefined();
    const r = synth(props({ adminRoleArns: ['arn:aws:iam::111122223333:role/deploy'] }));
    expect(only(r.aws_eks_access_entry).principal_arn).toBe('arn:aws:iam::111122223333:role/deploy');
    const association = only(r.aws_eks_access_policy_association);
    expect(association.policy_arn).toBe('arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy');
    expect(association.access_scope).toEqual({ type: 'cluster' });
  });

  it('installs the add-ons as EKS add-ons: node add-ons before the node groups, the others after', () => {
    const r = synth(props());
    const addons = Object.entries(r.aws_eks_addon);
    expect(addons.map(([, a]) => a.addon_name).sort()).toEqual([...NODE_ADDONS, ...WORKLOAD_ADDONS].sort());
    const group = Object.values(r.aws_eks_node_group)[0];
    for (const [key, a] of addons) {
      if ((NODE_ADDONS as readonly string[]).includes(a.addon_name)) expect(group.depends_on).toContain(`aws_eks_addon.${key}`);
      else expect(a.depends_on.filter((d: string) => d.startsWith('aws_eks_node_group.'))).toHaveLength(3);
    }
    const cni = addons.find(([, a]) => a.addon_name === 'vpc-cni')![1];
    expect(cni.pod_identity_association).toEqual([expect.objectContaining({ service_account: 'aws-node' })]);
    const ebs = addons.find(([, a]) => a.addon_name === 'aws-ebs-csi-driver')![1];
    expect(ebs.pod_identity_association).toEqual([expect.objectContaining({ service_account: 'ebs-csi-controller-sa' })]);
  });

  it('the node role can join and pull images, and carries no SSM, CNI or S3 policy', () => {
    const attached = Object.values(synth(props()).aws_iam_role_policy_attachment)
      .filter((a) => String(a.role).includes('node-role'))
      .map((a) => a.policy_arn);
    expect(attached.sort()).toEqual(['arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly', 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy']);
  });

  it('binds one Pod Identity role per AWS-using workload, and none for the registry when it has no bucket', () => {
    const associations = Object.values(synth(props()).aws_eks_pod_identity_association).map((a) => `${a.namespace}/${a.service_account}`);
    expect(associations.sort()).toEqual(['external-secrets/external-secrets', 'gitlab/gitlab-registry', 'gitlab/gitlab-sidekiq', 'gitlab/gitlab-toolbox', 'gitlab/gitlab-webservice', 'kube-system/cluster-autoscaler']);
    const noRegistry = Object.fromEntries(Object.entries(BUCKETS).filter(([type]) => type !== 'registry'));
    const without = Object.values(synth(props({ buckets: noRegistry })).aws_eks_pod_identity_association).map((a) => a.service_account);
    expect(without).not.toContain('gitlab-registry');
    const noBackups = Object.fromEntries(Object.entries(BUCKETS).filter(([type]) => type !== 'backups'));
    expect(() => synth(props({ buckets: noBackups }))).toThrow(/buckets backups are missing for toolbox/);
  });

  it('adds no load-test pool unless asked; asked, a tainted pool of zero nodes the autoscaler can grow', () => {
    const groups = (p: HybridClusterProps) => Object.values(synth(p).aws_eks_node_group);
    expect(groups(props()).map((g) => g.node_group_name)).not.toContain(LOAD_TEST_POOL);
    const pool = groups(props({ loadTestPool: {} })).find((g) => g.node_group_name === LOAD_TEST_POOL)!;
    expect(pool.scaling_config).toEqual({ min_size: 0, desired_size: 0, max_size: 4 });
    expect(pool.instance_types).toEqual(['c5.xlarge']);
    expect(pool.taint).toEqual([{ key: POOL_LABEL, value: LOAD_TEST_POOL, effect: 'NO_SCHEDULE' }]);
    expect(pool.labels).toEqual({ [POOL_LABEL]: LOAD_TEST_POOL });
    for (const g of groups(props({ loadTestPool: {} })).filter((x) => x.node_group_name !== LOAD_TEST_POOL)) expect(g.taint).toBeUndefined();
    const custom = groups(props({ loadTestPool: { instanceType: 'c7g.2xlarge', maxNodes: 10 } })).find((g) => g.node_group_name === LOAD_TEST_POOL)!;
    expect(custom).toMatchObject({ instance_types: ['c7g.2xlarge'], ami_type: 'AL2023_ARM_64_STANDARD', scaling_config: { max_size: 10 } });
    expect(() => synth(props({ loadTestPool: { maxNodes: 0 } }))).toThrow(/loadTestPool.maxNodes must be an integer from 1 to 50/);
    expect(() => synth(props({ loadTestPool: { maxNodes: 51 } }))).toThrow(/loadTestPool.maxNodes/);
  });

  it('runs x86 pools on the x86 AMI', () => {
    for (const g of Object.values(synth(props()).aws_eks_node_group)) expect(g.ami_type).toBe('AL2023_x86_64_STANDARD');
  });
});
