import { decide } from '@gitlab-aws/core/src/testing/iam-decide';
import { podIdentityTrust } from './pod-identity-role';
import { bucketAccessStatements } from './object-storage-statements';
import { clusterAutoscalerStatements } from './cluster-autoscaler';
import { externalSecretsStatements } from './hybrid-cluster';
import { COMPONENT_BUCKETS } from './chart-components';

const ACCOUNT = '111122223333';
const CLUSTER = `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/gl3k`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/gl3k-webservice`;
// KMS needs its key policy too: the usual one that lets the account's IAM policies decide.
const keyPolicy = (action: string) => (action.startsWith('kms:') ? [{ Effect: 'Allow' as const, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] : undefined);

describe('Pod Identity trust (evaluated by iam-simulate)', () => {
  const trust = podIdentityTrust({ clusterArn: CLUSTER, accountId: ACCOUNT, namespace: 'gitlab', serviceAccount: 'gitlab-webservice' });
  const assume = (context: Record<string, string>, principal = 'pods.eks.amazonaws.com') =>
    decide({ principal, action: 'sts:AssumeRole', resource: ROLE, resourceAccount: ACCOUNT, resourcePolicy: trust, identity: [], context });
  const ok = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': CLUSTER, 'aws:RequestTag/kubernetes-namespace': 'gitlab', 'aws:RequestTag/kubernetes-service-account': 'gitlab-webservice' };

  it('lets the Pod Identity service assume the role for the bound service account of this cluster', async () => {
    expect(await assume(ok)).toBe('Allowed');
  });
  it.each([
    ['another service account', { 'aws:RequestTag/kubernetes-service-account': 'default' }],
    ['another namespace', { 'aws:RequestTag/kubernetes-namespace': 'kube-system' }],
    ['another cluster', { 'aws:SourceArn': `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/other` }],
    ['another account', { 'aws:SourceAccount': '444455556666' }],
  ])('refuses %s', async (_what, change) => {
    expect(await assume({ ...ok, ...change })).not.toBe('Allowed');
  });
  it('refuses any other service principal', async () => {
    expect(await assume(ok, 'ec2.amazonaws.com')).not.toBe('Allowed');
  });
});

describe('object storage per chart component', () => {
  const names = (component: keyof typeof COMPONENT_BUCKETS) => COMPONENT_BUCKETS[component].map((b) => `acme-${b}`);
  const can = (component: keyof typeof COMPONENT_BUCKETS, action: string, resource: string, context: Record<string, string> = {}) =>
    decide({ identity: bucketAccessStatements({ partition: 'aws', region: 'eu-west-1', bucketNames: names(component), kmsKeyArn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k` }), action, resource, context, resourceAccount: ACCOUNT, principal: ROLE, resourcePolicy: keyPolicy(action) });

  it('webservice reads and writes artifacts but cannot touch backups or the registry', async () => {
    expect(await can('webservice', 's3:PutObject', 'arn:aws:s3:::acme-artifacts/a/b')).toBe('Allowed');
    expect(await can('webservice', 's3:ListBucket', 'arn:aws:s3:::acme-artifacts')).toBe('Allowed');
    expect(await can('webservice', 's3:GetObject', 'arn:aws:s3:::acme-backups/x.tar')).not.toBe('Allowed');
    expect(await can('webservice', 's3:GetObject', 'arn:aws:s3:::acme-registry/docker/x')).not.toBe('Allowed');
  });
  it('toolbox reaches the backups bucket; the registry only its own bucket', async () => {
    expect(await can('toolbox', 's3:PutObject', 'arn:aws:s3:::acme-backups/x.tar')).toBe('Allowed');
    expect(await can('registry', 's3:PutObject', 'arn:aws:s3:::acme-registry/docker/x')).toBe('Allowed');
    expect(await can('registry', 's3:GetObject', 'arn:aws:s3:::acme-artifacts/a')).not.toBe('Allowed');
  });
  it('no component may change bucket policies or delete buckets', async () => {
    expect(await can('toolbox', 's3:PutBucketPolicy', 'arn:aws:s3:::acme-backups')).not.toBe('Allowed');
    expect(await can('toolbox', 's3:DeleteBucket', 'arn:aws:s3:::acme-backups')).not.toBe('Allowed');
  });
  it('uses the bucket key only through S3', async () => {
    const key = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/k`;
    expect(await can('sidekiq', 'kms:Decrypt', key, { 'kms:ViaService': 's3.eu-west-1.amazonaws.com' })).toBe('Allowed');
    expect(await can('sidekiq', 'kms:Decrypt', key, { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com' })).not.toBe('Allowed');
  });
  it('refuses an empty bucket list rather than writing a policy with no resource', () => {
    expect(() => bucketAccessStatements({ partition: 'aws', region: 'eu-west-1', bucketNames: [] })).toThrow(/no bucket/);
  });
});

describe('cluster autoscaler', () => {
  const identity = clusterAutoscalerStatements({ clusterName: 'gl3k', accountId: ACCOUNT, partition: 'aws', region: 'eu-west-1' });
  const asg = `arn:aws:autoscaling:eu-west-1:${ACCOUNT}:autoScalingGroup:0b1c-uuid:autoScalingGroupName/eks-webservice-1`;
  const run = (action: string, resource: string, context: Record<string, string> = {}) => decide({ identity, action, resource, context, resourceAccount: ACCOUNT, principal: ROLE, resourcePolicy: keyPolicy(action) });

  it('resizes only groups tagged as owned by this cluster', async () => {
    expect(await run('autoscaling:SetDesiredCapacity', asg, { 'aws:ResourceTag/k8s.io/cluster-autoscaler/gl3k': 'owned' })).toBe('Allowed');
    expect(await run('autoscaling:TerminateInstanceInAutoScalingGroup', asg, { 'aws:ResourceTag/k8s.io/cluster-autoscaler/gl3k': 'owned' })).toBe('Allowed');
    expect(await run('autoscaling:SetDesiredCapacity', asg, { 'aws:ResourceTag/k8s.io/cluster-autoscaler/other': 'owned' })).not.toBe('Allowed');
    expect(await run('autoscaling:SetDesiredCapacity', asg, {})).not.toBe('Allowed');
  });
  it('cannot change launch templates or group settings, and describes only its own node groups', async () => {
    expect(await run('autoscaling:UpdateAutoScalingGroup', asg, { 'aws:ResourceTag/k8s.io/cluster-autoscaler/gl3k': 'owned' })).not.toBe('Allowed');
    expect(await run('ec2:CreateLaunchTemplateVersion', `arn:aws:ec2:eu-west-1:${ACCOUNT}:launch-template/lt-1`)).not.toBe('Allowed');
    expect(await run('eks:DescribeNodegroup', `arn:aws:eks:eu-west-1:${ACCOUNT}:nodegroup/gl3k/webservice/abc`)).toBe('Allowed');
    expect(await run('eks:DescribeNodegroup', `arn:aws:eks:eu-west-1:${ACCOUNT}:nodegroup/other/webservice/abc`)).not.toBe('Allowed');
  });
});

describe('External Secrets', () => {
  const shell = `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/gitlab/gl3k/gitlab-shell-token`;
  const key = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/secrets`;
  const redis = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:gitlab/gl3k/redis-auth-AbCdEf`;
  const identity = externalSecretsStatements({ region: 'eu-west-1', secretParameterArns: [shell], secretsManagerArns: [redis], secretsKmsKeyArn: key });
  const run = (action: string, resource: string, context: Record<string, string> = {}) => decide({ identity, action, resource, context, resourceAccount: ACCOUNT, principal: ROLE, resourcePolicy: keyPolicy(action) });

  it('reads exactly the parameters and secrets listed', async () => {
    expect(await run('ssm:GetParameter', shell)).toBe('Allowed');
    expect(await run('ssm:GetParameter', `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/gitlab/gl3k/gitlab-db-master`)).not.toBe('Allowed');
    expect(await run('ssm:GetParametersByPath', `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/gitlab/gl3k`)).not.toBe('Allowed');
    expect(await run('secretsmanager:GetSecretValue', redis)).toBe('Allowed');
    expect(await run('secretsmanager:GetSecretValue', `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:rds!db-1-AbCdEf`)).not.toBe('Allowed');
    expect(await run('ssm:PutParameter', shell)).not.toBe('Allowed');
  });
  it('decrypts only through SSM and Secrets Manager', async () => {
    expect(await run('kms:Decrypt', key, { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com' })).toBe('Allowed');
    expect(await run('kms:Decrypt', key, { 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com' })).toBe('Allowed');
    expect(await run('kms:Decrypt', key)).not.toBe('Allowed');
  });
  it('refuses to be built with nothing to read, and writes no Secrets Manager or KMS grant it was not given', () => {
    expect(() => externalSecretsStatements({ region: 'eu-west-1', secretParameterArns: [] })).toThrow(/no SSM parameter/);
    const minimal = externalSecretsStatements({ region: 'eu-west-1', secretParameterArns: [shell] });
    expect(minimal.flatMap((s) => [s.Action].flat())).toEqual(['ssm:GetParameter', 'ssm:GetParameters']);
  });
});
