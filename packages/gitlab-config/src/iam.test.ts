import { PRAEFECT_RDS, VARIANTS } from './__fixtures__/topologies';
import { renderGitlabRb } from './gitlab-rb';
import { iamNeeds, iamPolicyDocument } from './iam';
import type { NodeRole } from './topology';
import { BUCKET_TYPES, NODE_ROLES } from './topology';
import { nodeEnvironment } from './user-data';

const needsOf = (variant: string, role: NodeRole) => iamNeeds(VARIANTS[variant]()).find((n) => n.role === role)!;

/** Secrets a role uses outside gitlab.rb, in the boot script's post-configure hooks. */
const HOOK_SECRETS: Partial<Record<NodeRole, string[]>> = { 'praefect-postgres': ['praefect-db-password'], pgbouncer: ['pgbouncer-password'] };

describe('IAM needs per role', () => {
  it('gives each 3K role only the secrets it reads', () => {
    const leaf = (role: NodeRole) => needsOf('3k', role).ssmSecureParameters.map((p) => p.replace('/gitlab/prod/', '')).sort();
    expect(leaf('gitaly')).toEqual(['gitaly-token', 'gitlab-shell-token']);
    expect(leaf('praefect')).toEqual(['gitaly-token', 'praefect-db-password', 'praefect-external-token']);
    expect(leaf('pgbouncer')).toEqual(['consul-gossip-key', 'pgbouncer-password']);
    expect(leaf('monitoring')).toEqual([]);
    expect(leaf('rails')).toEqual(['gitlab-db-password', 'gitlab-shell-token', 'initial-root-password', 'praefect-external-token', 'redis-password']);
  });

  it('lets Rails and Sidekiq use every bucket and nobody else', () => {
    expect(needsOf('3k', 'rails').buckets).toEqual(BUCKET_TYPES.map((b) => `acme-prod-gitlab-${b}`));
    expect(needsOf('3k', 'sidekiq').buckets).toHaveLength(10);
    expect(needsOf('3k', 'gitaly').buckets).toEqual([]);
  });

  it('lets only Rails create the shared files; Sidekiq reads gitlab-secrets.json', () => {
    expect(needsOf('2k', 'rails').secretsCreate).toEqual(['gitlab/prod/gitlab-secrets-json', 'gitlab/prod/ssh-host-keys']);
    expect(needsOf('2k', 'sidekiq')).toMatchObject({ secretsRead: ['gitlab/prod/gitlab-secrets-json'], secretsCreate: [] });
    expect(needsOf('3k-managed', 'praefect').managedSecretArns).toEqual([PRAEFECT_RDS!.credentialsSecretArn]);
    expect(needsOf('3k', 'postgres').ssmStatusParameter).toBe('/gitlab/prod/status/postgres/*');
  });

  for (const [variant, make] of Object.entries(VARIANTS)) {
    it(`${variant}: every secret a gitlab.rb reads is fetched at boot and granted, and nothing more is granted`, () => {
      const t = make();
      const needs = iamNeeds(t);
      const used = new Map<NodeRole, Set<string>>();
      for (const node of t.nodes) {
        const rbSecrets = [...renderGitlabRb(t, node.name).matchAll(/boot_secret\.call\('([^']+)'\)|pg_md5\.call\('([^']+)'/g)].map((m) => m[1] ?? m[2]);
        const env = nodeEnvironment(t, node.name);
        const fetched = [...env.GENERATED_SECRETS.split(' ').filter(Boolean).map((s) => s.split(':')[0]), ...env.MANAGED_SECRETS.split(' ').filter(Boolean).map((s) => s.split('|')[0])];
        expect({ node: node.name, missing: rbSecrets.filter((s) => !fetched.includes(s)) }).toEqual({ node: node.name, missing: [] });
        const set = used.get(node.role) ?? new Set<string>();
        [...rbSecrets, ...(HOOK_SECRETS[node.role] ?? [])].forEach((s) => set.add(s));
        used.set(node.role, set);
      }
      for (const n of needs) {
        const granted = n.ssmSecureParameters.map((p) => p.slice(t.secrets.prefix.length + 1));
        expect({ role: n.role, unused: granted.filter((g) => !used.get(n.role)!.has(g)) }).toEqual({ role: n.role, unused: [] });
      }
      expect(needs.map((n) => n.role)).toEqual(NODE_ROLES.filter((r) => t.nodes.some((n) => n.role === r)));
    });
  }
});

describe('iamPolicyDocument', () => {
  it('builds ARNs for SSM parameters, Secrets Manager names, buckets and the KMS key', () => {
    const doc = iamPolicyDocument(needsOf('2k', 'rails'), { accountId: '111111111111', region: 'eu-west-1', kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/abc' });
    const bySid = Object.fromEntries(doc.Statement.map((s) => [s.Sid, s]));
    expect(bySid.GeneratedSecrets.Resource).toContain('arn:aws:ssm:eu-west-1:111111111111:parameter/gitlab/prod/gitaly-token');
    expect(bySid.GeneratedSecrets.Action).toEqual(['ssm:GetParameter', 'ssm:PutParameter']);
    expect(bySid.BootStatus.Resource).toEqual(['arn:aws:ssm:eu-west-1:111111111111:parameter/gitlab/prod/status/rails/*']);
    expect(bySid.SharedFilesCreate.Resource).toContain('arn:aws:secretsmanager:eu-west-1:111111111111:secret:gitlab/prod/gitlab-secrets-json-??????');
    expect(bySid.ObjectStorageObjects.Resource).toContain('arn:aws:s3:::acme-prod-gitlab-lfs/*');
    expect(bySid.SecretsKey.Condition).toEqual({ StringEquals: { 'kms:ViaService': ['ssm.eu-west-1.amazonaws.com', 'secretsmanager.eu-west-1.amazonaws.com'] } });
    expect(JSON.stringify(doc)).not.toMatch(/"\*"|"[a-z0-9]+:\*"/); // no wildcard resources or actions
  });

  it('gives the monitoring node nothing but its status parameter', () => {
    const doc = iamPolicyDocument(needsOf('3k', 'monitoring'), { accountId: '111111111111', region: 'eu-west-1' });
    expect(doc.Statement.map((s) => s.Sid)).toEqual(['BootStatus']);
  });
});
