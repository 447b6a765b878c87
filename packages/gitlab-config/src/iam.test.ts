import { allows } from './__fixtures__/iam-eval';
import { PRAEFECT_RDS, RDS, VARIANTS } from './__fixtures__/topologies';
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

  it('lets Gitaly and Praefect create and read the internal CA; their clients read its certificate only; nobody else either', () => {
    const ca = ['gitlab/prod/internal-ca', 'gitlab/prod/internal-ca-cert'];
    for (const role of ['gitaly', 'praefect'] as const) {
      expect(needsOf('3k', role).secretsCreate).toEqual(ca);
      expect(needsOf('3k', role).secretsRead).toEqual(ca);
    }
    expect(needsOf('2k', 'gitaly').secretsCreate).toEqual(ca);
    for (const role of ['rails', 'sidekiq'] as const) {
      expect(needsOf('3k', role).secretsRead).toContain('gitlab/prod/internal-ca-cert');
      expect(needsOf('3k', role).secretsRead).not.toContain('gitlab/prod/internal-ca');
      expect(needsOf('3k', role).secretsCreate).not.toContain('gitlab/prod/internal-ca-cert');
    }
    for (const role of ['postgres', 'pgbouncer', 'redis', 'consul', 'monitoring', 'praefect-postgres'] as const) {
      expect([role, needsOf('3k', role).secretsRead, needsOf('3k', role).secretsCreate]).toEqual([role, [], []]);
    }
  });

  it('lets Rails and Sidekiq use every bucket, Gitaly only the backups bucket (server-side backups), nobody else any', () => {
    expect(needsOf('3k', 'rails').buckets).toEqual(BUCKET_TYPES.map((b) => `acme-prod-gitlab-${b}`));
    expect(needsOf('3k', 'sidekiq').buckets).toHaveLength(9);
    expect(needsOf('3k', 'gitaly').buckets).toEqual(['acme-prod-gitlab-backups']);
    for (const role of ['praefect', 'postgres', 'redis', 'consul', 'monitoring'] as const) expect(needsOf('3k', role).buckets).toEqual([]);
  });

  it('lets only Rails create the shared files; Sidekiq reads gitlab-secrets.json and the internal CA certificate', () => {
    expect(needsOf('2k', 'rails').secretsCreate).toEqual(['gitlab/prod/gitlab-secrets-json', 'gitlab/prod/ssh-host-keys']);
    expect(needsOf('2k', 'sidekiq')).toMatchObject({ secretsRead: ['gitlab/prod/gitlab-secrets-json', 'gitlab/prod/internal-ca-cert'], secretsCreate: [] });
    expect(needsOf('3k-managed', 'praefect')).toMatchObject({ managedSecretArns: [], seedOnlySecretArns: [PRAEFECT_RDS!.masterSecretArn] });
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
  const ACCOUNT = '111111111111';
  const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/abc';
  const ctx = { accountId: ACCOUNT, region: 'eu-west-1', kmsKeyArn: KEY, seedInstanceArn: 'arn:aws:ec2:eu-west-1:111111111111:instance/i-0seed' };
  const param = (name: string) => `arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/gitlab/prod/${name}`;
  const docOf = (variant: string, role: NodeRole) => iamPolicyDocument(needsOf(variant, role), ctx);
  const viaSsm = (name: string) => ({ 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com', 'kms:EncryptionContext:PARAMETER_ARN': param(name) });

  it('3k: each role reads and creates only its own SecureStrings, and its key use is bound to them', () => {
    const gitaly = docOf('3k', 'gitaly');
    expect(allows(gitaly, { action: 'ssm:GetParameter', resource: param('gitaly-token') })).toBe(true);
    expect(allows(gitaly, { action: 'ssm:PutParameter', resource: param('gitlab-shell-token') })).toBe(true);
    expect(allows(gitaly, { action: 'ssm:GetParameter', resource: param('redis-password') })).toBe(false);
    expect(allows(gitaly, { action: 'ssm:GetParameter', resource: param('gitlab-db-password') })).toBe(false);
    expect(allows(gitaly, { action: 'ssm:GetParametersByPath', resource: param('') })).toBe(false);
    // The key decrypts Gitaly's own values through SSM, never another role's, and never directly.
    expect(allows(gitaly, { action: 'kms:Decrypt', resource: KEY, context: viaSsm('gitaly-token') })).toBe(true);
    expect(allows(gitaly, { action: 'kms:Decrypt', resource: KEY, context: viaSsm('redis-password') })).toBe(false);
    expect(allows(gitaly, { action: 'kms:Decrypt', resource: KEY, context: { 'kms:EncryptionContext:PARAMETER_ARN': param('gitaly-token') } })).toBe(false);
    expect(allows(gitaly, { action: 'kms:Decrypt', resource: KEY })).toBe(false);
    const redis = docOf('3k', 'redis');
    expect(allows(redis, { action: 'kms:Decrypt', resource: KEY, context: viaSsm('redis-password') })).toBe(true);
    expect(allows(redis, { action: 'kms:Decrypt', resource: KEY, context: viaSsm('gitaly-token') })).toBe(false);
    // Only its own status parameter path.
    expect(allows(redis, { action: 'ssm:PutParameter', resource: param('status/redis/redis-2') })).toBe(true);
    expect(allows(redis, { action: 'ssm:PutParameter', resource: param('status/rails/rails-1') })).toBe(false);
  });

  it('lets only Rails create the shared files, and Secrets Manager decrypt only those secrets', () => {
    const rails = docOf('2k', 'rails');
    const secret = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:gitlab/prod/gitlab-secrets-json-AbC123`;
    expect(allows(rails, { action: 'secretsmanager:CreateSecret', resource: secret })).toBe(true);
    expect(allows(docOf('2k', 'sidekiq'), { action: 'secretsmanager:CreateSecret', resource: secret })).toBe(false);
    expect(allows(docOf('2k', 'sidekiq'), { action: 'secretsmanager:GetSecretValue', resource: secret })).toBe(true);
    expect(allows(docOf('2k', 'gitaly'), { action: 'secretsmanager:GetSecretValue', resource: secret })).toBe(false);
    const viaSm = (arn: string) => ({ 'kms:ViaService': 'secretsmanager.eu-west-1.amazonaws.com', 'kms:EncryptionContext:SecretARN': arn });
    expect(allows(rails, { action: 'kms:Decrypt', resource: KEY, context: viaSm(secret) })).toBe(true);
    expect(allows(rails, { action: 'kms:Decrypt', resource: KEY, context: viaSm(`arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:other/thing-AbC123`) })).toBe(false);
  });

  it('managed PostgreSQL: only the seed node reads the RDS master secret; no role logs in with it', () => {
    const master = RDS!.masterSecretArn;
    const rails = docOf('2k-managed', 'rails');
    expect(allows(rails, { action: 'secretsmanager:GetSecretValue', resource: master, context: { 'ec2:SourceInstanceARN': ctx.seedInstanceArn } })).toBe(true);
    expect(allows(rails, { action: 'secretsmanager:GetSecretValue', resource: master, context: { 'ec2:SourceInstanceARN': 'arn:aws:ec2:eu-west-1:111111111111:instance/i-0other' } })).toBe(false);
    expect(allows(rails, { action: 'secretsmanager:GetSecretValue', resource: master })).toBe(false);
    expect(allows(docOf('2k-managed', 'sidekiq'), { action: 'secretsmanager:GetSecretValue', resource: master, context: { 'ec2:SourceInstanceARN': ctx.seedInstanceArn } })).toBe(false);
    expect(allows(docOf('3k-managed', 'praefect'), { action: 'secretsmanager:GetSecretValue', resource: PRAEFECT_RDS!.masterSecretArn, context: { 'ec2:SourceInstanceARN': ctx.seedInstanceArn } })).toBe(true);
    expect(() => iamPolicyDocument(needsOf('2k-managed', 'rails'), { ...ctx, seedInstanceArn: undefined })).toThrow(/seed instance's ARN/);
  });

  it('gives the monitoring node nothing but its status parameter, and nothing has a wildcard action or resource', () => {
    const doc = iamPolicyDocument(needsOf('3k', 'monitoring'), { accountId: ACCOUNT, region: 'eu-west-1', kmsKeyArn: KEY });
    expect(doc.Statement.flatMap((s) => s.Action)).toEqual(['ssm:PutParameter']);
    for (const [variant, make] of Object.entries(VARIANTS)) {
      for (const needs of iamNeeds(make())) expect([variant, JSON.stringify(iamPolicyDocument(needs, ctx))]).not.toEqual([variant, expect.stringMatching(/"\*"|"[a-z0-9]+:\*"/)]);
    }
  });
});
