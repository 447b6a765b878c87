import type { Scenario } from '../scenario';
import type { ScenarioWorld } from '../world';
import { outsider } from './helpers';

type Who = Parameters<ScenarioWorld['state']>[0];

const s = (name: string, claim: Scenario['claim'], expect: Scenario['expect'], who: Who, action: string, key: string, hole?: number, context?: Record<string, string>): Scenario => ({
  name,
  claim,
  expect,
  ...(hole ? { hole } : {}),
  request: (w) => w.state(who, action, key, context),
});

/** A hub principal outside the pipeline roles, with administrator rights of its own, on a state object over TLS 1.3. */
const otherOnState = (roleName: string, action: string, key: string) => (w: ScenarioWorld) => {
  const bucket = w.iam.bucket(w.stateBucket);
  const request = outsider(w, `arn:aws:iam::${w.hub.accountId}:role/${roleName}`, action, `${bucket.arn}/${key}`, w.hub.accountId, bucket.policy, { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' });
  return { ...request, problems: bucket.problems };
};

const keyRequest = (w: ScenarioWorld, kind: 'deploy' | 'protectedDeploy' | 'plan', action: string, viaS3: boolean) => {
  const key = w.iam.keyOf('devops-tfstate', 'state-key');
  return w.act(w.hubRole(kind), action, key.arn, { context: viaS3 ? { 'kms:ViaService': `s3.${w.hub.region}.amazonaws.com` } : {}, resourcePolicy: key.policy, problems: key.problems });
};

/** The hub's state bucket and key: who reaches which prefix, with what transport. */
export const stateScenarios: Scenario[] = [
  // state-prefixes
  s('deploy-reads-dev-state', 'state-prefixes', 'allow', 'deploy', 's3:GetObject', 'dev/dev-ci-roles.tfstate'),
  s('deploy-writes-dev-state', 'state-prefixes', 'allow', 'deploy', 's3:PutObject', 'dev/dev-ci-roles.tfstate'),
  s('deploy-takes-dev-lock', 'state-prefixes', 'allow', 'deploy', 's3:PutObject', 'dev/dev-ci-roles.tfstate.tflock'),
  s('deploy-cannot-write-prod-state', 'state-prefixes', 'deny', 'deploy', 's3:PutObject', 'prod/prod-ci-roles.tfstate', 3),
  s('deploy-cannot-read-prod-state', 'state-prefixes', 'deny', 'deploy', 's3:GetObject', 'prod/secrets/prod-amplify.tfstate', 3),
  s('protected-writes-prod-state', 'state-prefixes', 'allow', 'protectedDeploy', 's3:PutObject', 'prod/prod-ci-roles.tfstate'),
  s('protected-reads-gitlab-3k-state', 'state-prefixes', 'allow', 'protectedDeploy', 's3:GetObject', 'gitlab-3k/gitlab-3k-gitlab.tfstate'),
  s('protected-cannot-write-dev-state', 'state-prefixes', 'deny', 'protectedDeploy', 's3:PutObject', 'dev/dev-ci-roles.tfstate'),
  s('plan-reads-dev-state', 'state-prefixes', 'allow', 'plan', 's3:GetObject', 'dev/dev-ci-roles.tfstate'),
  s('plan-reads-prod-roles-state', 'state-prefixes', 'allow', 'plan', 's3:GetObject', 'prod/prod-ci-roles.tfstate'),
  s('plan-cannot-read-prod-amplify-state', 'state-prefixes', 'explicit-deny', 'plan', 's3:GetObject', 'prod/secrets/prod-amplify.tfstate', 1),
  s('plan-cannot-read-dev-amplify-token-state', 'state-prefixes', 'explicit-deny', 'plan', 's3:GetObject', 'dev/secrets/dev-amplify-gitlab.tfstate', 1),
  s('plan-cannot-read-old-secret-state-versions', 'state-prefixes', 'explicit-deny', 'plan', 's3:GetObjectVersion', 'prod/secrets/prod-amplify.tfstate', 1),
  s('deploy-cannot-read-hub-state', 'state-prefixes', 'deny', 'deploy', 's3:GetObject', 'devops/devops-ci-identity.tfstate'),
  s('plan-cannot-read-hub-state', 'state-prefixes', 'deny', 'plan', 's3:GetObject', 'devops/devops-gitlab-ci.tfstate'),
  s('protected-cannot-write-hub-state', 'state-prefixes', 'deny', 'protectedDeploy', 's3:PutObject', 'devops/devops-ci-identity.tfstate'),
  s('pipeline-lists-state-keys', 'state-prefixes', 'allow', 'plan', 's3:ListBucket', ''),
  // state-no-plan-locks (hole 4)
  s('plan-cannot-write-prod-lock', 'state-no-plan-locks', 'explicit-deny', 'plan', 's3:PutObject', 'prod/prod-amplify.tfstate.tflock', 4),
  s('plan-cannot-delete-prod-lock', 'state-no-plan-locks', 'explicit-deny', 'plan', 's3:DeleteObject', 'gitlab-3k/gitlab-3k-gitlab.tfstate.tflock', 4),
  s('plan-cannot-write-dev-lock', 'state-no-plan-locks', 'explicit-deny', 'plan', 's3:PutObject', 'dev/dev-ci-roles.tfstate.tflock'),
  s('plan-cannot-write-dev-state', 'state-no-plan-locks', 'explicit-deny', 'plan', 's3:PutObject', 'dev/dev-ci-roles.tfstate'),
  s('plan-cannot-delete-state-versions', 'state-no-plan-locks', 'explicit-deny', 'plan', 's3:DeleteObjectVersion', 'dev/dev-ci-roles.tfstate'),
  s('plan-cannot-change-object-acl', 'state-no-plan-locks', 'explicit-deny', 'plan', 's3:PutObjectAcl', 'dev/dev-ci-roles.tfstate'),
  s('plan-cannot-restore-archived-state', 'state-no-plan-locks', 'explicit-deny', 'plan', 's3:RestoreObject', 'dev/dev-ci-roles.tfstate'),
  // state-transport
  s('state-refuses-plain-http', 'state-transport', 'explicit-deny', 'deploy', 's3:GetObject', 'dev/dev-ci-roles.tfstate', undefined, { 'aws:SecureTransport': 'false' }),
  s('state-refuses-tls-1-1', 'state-transport', 'explicit-deny', 'deploy', 's3:GetObject', 'dev/dev-ci-roles.tfstate', undefined, { 's3:TlsVersion': '1.1' }),
  // state-deny-others (item 7)
  s('hub-administrator-cannot-read-state', 'state-deny-others', 'explicit-deny', 'hub-admin', 's3:GetObject', 'prod/secrets/prod-amplify.tfstate', 7),
  s('hub-administrator-cannot-rewrite-hub-state', 'state-deny-others', 'explicit-deny', 'hub-admin', 's3:PutObject', 'devops/devops-ci-identity.tfstate', 7),
  { name: 'operator-cannot-read-state-directly', claim: 'state-deny-others', expect: 'explicit-deny', request: otherOnState('platform-operator', 's3:GetObject', 'dev/dev-ci-roles.tfstate') },
  { name: 'runner-manager-cannot-read-state', claim: 'state-deny-others', expect: 'explicit-deny', request: otherOnState('devops-runners-deploy-manager', 's3:GetObject', 'prod/prod-ci-roles.tfstate') },
  { name: 'look-alike-role-cannot-write-state', claim: 'state-deny-others', expect: 'explicit-deny', request: otherOnState('gitlab-ci-hub-deploy-copy', 's3:PutObject', 'dev/dev-ci-roles.tfstate') },
  s('break-glass-reads-hub-state', 'state-deny-others', 'allow', 'break-glass', 's3:GetObject', 'devops/devops-ci-identity.tfstate'),
  s('break-glass-repairs-prod-lock', 'state-deny-others', 'allow', 'break-glass', 's3:DeleteObject', 'prod/prod-amplify.tfstate.tflock'),
  // state-key
  { name: 'deploy-decrypts-state-through-s3', claim: 'state-key', expect: 'allow', request: (w) => keyRequest(w, 'deploy', 'kms:Decrypt', true) },
  { name: 'protected-encrypts-state-through-s3', claim: 'state-key', expect: 'allow', request: (w) => keyRequest(w, 'protectedDeploy', 'kms:GenerateDataKey', true) },
  { name: 'deploy-cannot-decrypt-state-directly', claim: 'state-key', expect: 'deny', request: (w) => keyRequest(w, 'deploy', 'kms:Decrypt', false) },
  { name: 'plan-decrypts-state-through-s3', claim: 'state-key', expect: 'allow', request: (w) => keyRequest(w, 'plan', 'kms:Decrypt', true) },
  { name: 'plan-cannot-make-state-data-keys', claim: 'state-key', expect: 'deny', hole: 4, request: (w) => keyRequest(w, 'plan', 'kms:GenerateDataKey', true) },
];
