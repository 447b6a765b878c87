import type { Scenario } from '../scenario';
import type { ScenarioWorld } from '../world';

/**
 * Runner and GitLab-node roles AS THEY ARE ON MAIN TODAY (issues 12 and 19 change them): kept in
 * their own file so the lead can update them when those land. `openUntil` marks a claim that main
 * does not meet yet; its scenario is expected to fail until then.
 */

const HUB = '111111111111';
const K3 = '777777777777';
const runner = (fleet: 'deploy' | 'mr', role: 'runner' | 'manager' | 'worker') => `arn:aws:iam::${HUB}:role/devops-runners-${fleet}-${role}`;
const node = (kind: string) => `arn:aws:iam::${K3}:role/gitlab-3k-gitlab-${kind}-node`;
const token = (fleet: string) => `arn:aws:ssm:eu-west-1:${HUB}:parameter/gitlab-aws/devops/runners/${fleet}/token`;
const secret = (name: string) => `arn:aws:ssm:eu-west-1:${K3}:parameter/gitlab-aws/gitlab-3k/gitlab/${name}`;

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
  { name: 'deploy-runner-cannot-read-mr-token', openUntil: 'issue 12/19: AmazonSSMManagedInstanceCore (stored version) still grants SSM parameter reads on every parameter', claim: 'runner-roles', expect: 'deny', request: (w) => w.act(runner('deploy', 'runner'), 'ssm:GetParameter', token('mr')) },
  { name: 'mr-manager-cannot-read-deploy-token', openUntil: 'issue 12/19: AmazonSSMManagedInstanceCore (stored version) still grants SSM parameter reads on every parameter', claim: 'runner-roles', expect: 'deny', request: (w) => w.act(runner('mr', 'manager'), 'ssm:GetParameter', token('deploy')) },
  { name: 'mr-manager-decrypts-own-token', claim: 'runner-roles', expect: 'allow', request: (w) => decryptToken(w, runner('mr', 'manager'), 'mr') },
  { name: 'mr-manager-cannot-decrypt-deploy-token', claim: 'runner-roles', expect: 'deny', request: (w) => decryptToken(w, runner('mr', 'manager'), 'deploy') },
  { name: 'mr-manager-writes-own-cache', claim: 'runner-roles', expect: 'allow', request: (w) => w.act(runner('mr', 'manager'), 's3:PutObject', `arn:aws:s3:::devops-runner-cache-${HUB}/mr/runner/project/1/default.zip`) },
  { name: 'mr-manager-cannot-poison-deploy-cache', claim: 'runner-roles', expect: 'deny', request: (w) => w.act(runner('mr', 'manager'), 's3:PutObject', `arn:aws:s3:::devops-runner-cache-${HUB}/deploy/runner/project/1/default.zip`) },
  {
    name: 'mr-worker-cannot-read-deploy-token',
    claim: 'runner-roles',
    expect: 'deny',
    openUntil: 'issue 19 (worker role still has AmazonSSMManagedInstanceCore, whose ssm:GetParameters covers every parameter)',
    request: (w) => w.act(runner('mr', 'worker'), 'ssm:GetParameters', token('deploy')),
  },
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
  { name: 'node-roles-carry-the-deploy-boundary', claim: 'gitlab-node-roles', expect: 'explicit-deny', request: (w) => w.act(node('rails'), 'iam:CreateUser', `arn:aws:iam::${K3}:user/backdoor`) },
];
