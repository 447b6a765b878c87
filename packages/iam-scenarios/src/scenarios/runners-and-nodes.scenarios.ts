import type { Scenario } from '../scenario';
import type { ScenarioWorld } from '../world';

/**
 * Runner and GitLab-node roles: each reads its own secrets only, and every instance keeps what the
 * SSM agent needs for Session Manager and Run Command (the scoped policy in packages/core that
 * replaces AmazonSSMManagedInstanceCore, whose ssm:GetParameter(s) covered every parameter).
 */

const HUB = '111111111111';
const K3 = '777777777777';
const runner = (fleet: 'deploy' | 'mr', role: 'runner' | 'manager' | 'worker') => `arn:aws:iam::${HUB}:role/devops-runners-${fleet}-${role}`;
const node = (kind: string) => `arn:aws:iam::${K3}:role/gitlab-3k-gitlab-${kind}-node`;
const token = (fleet: string) => `arn:aws:ssm:eu-west-1:${HUB}:parameter/gitlab-aws/devops/runners/${fleet}/token`;
const secret = (name: string) => `arn:aws:ssm:eu-west-1:${K3}:parameter/gitlab-aws/gitlab-3k/gitlab/${name}`;

const instance = (account: string) => `arn:aws:ec2:eu-west-1:${account}:instance/i-0123456789abcdef0`;
const otherInstance = (account: string) => `arn:aws:ec2:eu-west-1:${account}:instance/i-0fedcba9876543210`;

const tokenKey = (w: ScenarioWorld) => w.iam.keyOf('devops-runners', 'token-key');
const decryptToken = (w: ScenarioWorld, roleArn: string, fleet: string) => {
  const key = tokenKey(w);
  return w.act(roleArn, 'kms:Decrypt', key.arn, {
    context: { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com', 'kms:EncryptionContext:PARAMETER_ARN': token(fleet), 'kms:CallerAccount': HUB },
    resourcePolicy: key.policy,
    problems: key.problems,
  });
};

export const runnerAndNodeScenarios: Scenario[] = [
  // runner-roles
  { name: 'deploy-runner-reads-own-token', claim: 'runner-roles', expect: 'allow', request: (w) => w.act(runner('deploy', 'runner'), 'ssm:GetParameter', token('deploy')) },
  { name: 'deploy-runner-cannot-read-mr-token', claim: 'runner-roles', expect: 'deny', request: (w) => w.act(runner('deploy', 'runner'), 'ssm:GetParameter', token('mr')) },
  { name: 'mr-manager-cannot-read-deploy-token', claim: 'runner-roles', expect: 'deny', request: (w) => w.act(runner('mr', 'manager'), 'ssm:GetParameter', token('deploy')) },
  { name: 'mr-manager-decrypts-own-token', claim: 'runner-roles', expect: 'allow', request: (w) => decryptToken(w, runner('mr', 'manager'), 'mr') },
  { name: 'mr-manager-cannot-decrypt-deploy-token', claim: 'runner-roles', expect: 'deny', request: (w) => decryptToken(w, runner('mr', 'manager'), 'deploy') },
  { name: 'mr-manager-writes-own-cache', claim: 'runner-roles', expect: 'allow', request: (w) => w.act(runner('mr', 'manager'), 's3:PutObject', `arn:aws:s3:::devops-runner-cache-${HUB}/mr/runner/project/1/default.zip`) },
  { name: 'mr-manager-cannot-poison-deploy-cache', claim: 'runner-roles', expect: 'deny', request: (w) => w.act(runner('mr', 'manager'), 's3:PutObject', `arn:aws:s3:::devops-runner-cache-${HUB}/deploy/runner/project/1/default.zip`) },
  {
    name: 'mr-worker-cannot-read-deploy-token',
    claim: 'runner-roles',
    expect: 'deny',
    request: (w) => w.act(runner('mr', 'worker'), 'ssm:GetParameters', token('deploy')),
  },
  { name: 'mr-manager-reads-own-token', claim: 'runner-roles', expect: 'allow', request: (w) => w.act(runner('mr', 'manager'), 'ssm:GetParameter', token('mr')) },
  { name: 'deploy-runner-cannot-batch-read-mr-token', claim: 'runner-roles', expect: 'deny', request: (w) => w.act(runner('deploy', 'runner'), 'ssm:GetParameters', token('mr')) },
  { name: 'mr-worker-cannot-read-own-fleet-token', claim: 'runner-roles', expect: 'deny', request: (w) => w.act(runner('mr', 'worker'), 'ssm:GetParameter', token('mr')) },
  { name: 'mr-manager-cannot-read-runner-parameters-by-path', claim: 'runner-roles', expect: 'deny', request: (w) => w.act(runner('mr', 'manager'), 'ssm:GetParametersByPath', `arn:aws:ssm:eu-west-1:${HUB}:parameter/gitlab-aws/devops/runners`) },
  { name: 'mr-worker-cannot-decrypt-deploy-token', claim: 'runner-roles', expect: 'deny', request: (w) => decryptToken(w, runner('mr', 'worker'), 'deploy') },
  // runner-roles: the SSM agent keeps Session Manager and Run Command
  { name: 'mr-worker-agent-registers', claim: 'runner-roles', expect: 'allow', request: (w) => w.act(runner('mr', 'worker'), 'ssm:UpdateInstanceInformation', instance(HUB)) },
  { name: 'mr-worker-agent-opens-session-channel', claim: 'runner-roles', expect: 'allow', request: (w) => w.act(runner('mr', 'worker'), 'ssmmessages:OpenControlChannel', '*') },
  { name: 'deploy-runner-agent-opens-data-channel', claim: 'runner-roles', expect: 'allow', request: (w) => w.act(runner('deploy', 'runner'), 'ssmmessages:CreateDataChannel', '*') },
  { name: 'mr-manager-agent-gets-run-command-messages', claim: 'runner-roles', expect: 'allow', request: (w) => w.act(runner('mr', 'manager'), 'ec2messages:GetMessages', '*') },
  { name: 'mr-manager-agent-reads-command-document', claim: 'runner-roles', expect: 'allow', request: (w) => w.act(runner('mr', 'manager'), 'ssm:GetDocument', `arn:aws:ssm:eu-west-1:${HUB}:document/AWS-RunShellScript`) },
  { name: 'mr-worker-cannot-start-session-on-deploy-runner', claim: 'runner-roles', expect: 'deny', request: (w) => w.act(runner('mr', 'worker'), 'ssm:StartSession', otherInstance(HUB)) },
  { name: 'mr-manager-cannot-send-commands', claim: 'runner-roles', expect: 'deny', request: (w) => w.act(runner('mr', 'manager'), 'ssm:SendCommand', otherInstance(HUB)) },
  { name: 'mr-worker-cannot-assume-hub-deploy', claim: 'runner-roles', expect: 'deny', request: (w) => w.assume(runner('mr', 'worker'), w.hubRole('deploy')) },
  // gitlab-node-roles
  { name: 'rails-reads-db-password', claim: 'gitlab-node-roles', expect: 'allow', request: (w) => w.act(node('rails'), 'ssm:GetParameter', secret('gitlab-db-password')) },
  { name: 'redis-cannot-get-gitaly-token', claim: 'gitlab-node-roles', expect: 'deny', request: (w) => w.act(node('redis'), 'ssm:GetParameter', secret('gitaly-token')) },
  { name: 'monitoring-cannot-get-db-password', claim: 'gitlab-node-roles', expect: 'deny', request: (w) => w.act(node('monitoring'), 'ssm:GetParameter', secret('gitlab-db-password')) },
  {
    name: 'gitaly-cannot-batch-read-db-password',
    claim: 'gitlab-node-roles',
    expect: 'deny',
    request: (w) => w.act(node('gitaly'), 'ssm:GetParameters', secret('gitlab-db-password')),
  },
  { name: 'redis-cannot-read-gitlab-parameters-by-path', claim: 'gitlab-node-roles', expect: 'deny', request: (w) => w.act(node('redis'), 'ssm:GetParametersByPath', `arn:aws:ssm:eu-west-1:${K3}:parameter/gitlab-aws/gitlab-3k/gitlab`) },
  { name: 'gitaly-agent-registers', claim: 'gitlab-node-roles', expect: 'allow', request: (w) => w.act(node('gitaly'), 'ssm:UpdateInstanceInformation', instance(K3)) },
  { name: 'rails-agent-opens-session-channel', claim: 'gitlab-node-roles', expect: 'allow', request: (w) => w.act(node('rails'), 'ssmmessages:OpenDataChannel', '*') },
  { name: 'monitoring-agent-gets-run-command-messages', claim: 'gitlab-node-roles', expect: 'allow', request: (w) => w.act(node('monitoring'), 'ec2messages:GetMessages', '*') },
  { name: 'redis-cannot-start-session-on-rails', claim: 'gitlab-node-roles', expect: 'deny', request: (w) => w.act(node('redis'), 'ssm:StartSession', otherInstance(K3)) },
  { name: 'node-roles-carry-the-deploy-boundary', claim: 'gitlab-node-roles', expect: 'explicit-deny', request: (w) => w.act(node('rails'), 'iam:CreateUser', `arn:aws:iam::${K3}:user/backdoor`) },
];
