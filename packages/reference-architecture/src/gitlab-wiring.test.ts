import { gunzipSync, gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { renderUserData } from '@gitlab-aws/gitlab-config';
import { all, entries, synthGitlab, type Json } from './__fixtures__/synth';
import { allows } from '../../gitlab-config/src/__fixtures__/iam-eval';
import { allowedRules } from './allowed-rules';
import * as portMatrixModule from './port-matrix';
import * as gitlabConfig from '../../gitlab-config/src/connections';
import * as loadBalancersCheck from './load-balancer-check';
import { EC2_USER_DATA_LIMIT_BYTES } from './user-data';
import { crontabOf } from './reference-architecture-stack';

/** node.env of one node of a synthesized environment. */
function nodeEnvOf(synth: { resources: Json }, node: string): string {
  const instance = all(synth.resources, 'aws_instance').find((i) => i.tags.GitLabNode === node)!;
  return files(decode(instance.user_data_base64))['/etc/gitlab-node/node.env'];
}

const MANAGED = { database: 'managed', redis: 'managed' };
const poc = synthGitlab({ size: 'poc' });
const linux3k = synthGitlab({ size: '3k' });
const managed2k = synthGitlab({ size: '2k', components: MANAGED });

/** The environment key as the policies reference it. */
const KMS_KEY = `\${${Object.keys(linux3k.resources.aws_kms_key).map((k) => `aws_kms_key.${k}.arn`)[0]}}`;
const kebab = (role: string) => role.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
/**
 * The cloud-config a node gets: gzipped at synth, or (when it holds Terraform references such as
 * its data volume's ID) joined by Terraform's base64gzip(), the references shown as <reference>.
 */
function decode(value: string): string {
  const m = /^\$\{base64gzip\(join\("", \[(.*)\]\)\)\}$/s.exec(value);
  if (!m) return gunzipSync(Buffer.from(value, 'base64')).toString('utf8');
  return m[1]
    .split(', ')
    .map((part) => {
      const literal = /^base64decode\("([A-Za-z0-9+/=]+)"\)$/.exec(part);
      return literal ? Buffer.from(literal[1], 'base64').toString('utf8') : `<${part}>`;
    })
    .join('');
}

/** What a node's cloud-config writes, by path. */
function files(doc: string): Record<string, string> {
  const parsed = parse(doc) as { write_files: { path: string; content: string }[]; runcmd: string[][] };
  expect(parsed.runcmd).toEqual([['/usr/local/sbin/gitlab-node-boot']]);
  return Object.fromEntries(parsed.write_files.map((f) => [f.path, f.content]));
}

/** Values that must never be in user data: literal credentials of any kind. */
function expectNoSecrets(doc: string): number {
  expect(doc).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----/);
  expect(doc).not.toMatch(/\b(AKIA|ASIA)[A-Z0-9]{16}\b/);
  expect(doc).not.toMatch(/\bgl(pat|rt|dt)-/);
  expect(doc).not.toMatch(/\b[0-9a-f]{32,}\b/); // generated secrets are 32 random bytes
  // Every password, token or key in gitlab.rb is read from the node's secret files at reconfigure.
  const rb = files(doc)['/etc/gitlab-node/gitlab.rb'];
  const assignments = [...rb.matchAll(/(password|token|secret_token|encrypt)'?\]?\s*(=|=>|:)\s*([^,\n}]+)/g)];
  for (const m of assignments) expect([m[0], /boot_secret\.call|md5|nil|false|true|^\s*\{/.test(m[3])]).toEqual([m[0], true]);
  return assignments.length;
}

describe('user data (the GitLab configuration at first boot)', () => {
  it.each([
    ['poc', poc],
    ['3k', linux3k],
    ['10k', synthGitlab({ size: '10k' })],
  ])('%s: every node boots its own role from gzipped cloud-config, below EC2\'s limit, with no secrets', (_, { resources }) => {
    const instances = all(resources, 'aws_instance');
    expect(instances.length).toBeGreaterThan(4);
    let secretSettings = 0;
    for (const i of instances) {
      expect(i.user_data).toBeUndefined();
      const doc = decode(i.user_data_base64);
      expect(gzipSync(doc.replace(/<[^>]+>/g, 'x'.repeat(64))).length).toBeLessThanOrEqual(EC2_USER_DATA_LIMIT_BYTES);
      expect(doc.startsWith('#cloud-config\n')).toBe(true);
      const env = files(doc)['/etc/gitlab-node/node.env'];
      expect(env).toContain(`GITLAB_ROLE='${kebab(i.tags.GitLabRole)}'`);
      expect(env).toContain(`GITLAB_NODE='${i.tags.GitLabNode}'`);
      expect(env).toContain("GITLAB_VERSION='19.3.0'");
      expect(env).toContain("SECRETS_PREFIX='/gitlab-aws/gl/gitlab'");
      expect(env).toContain("KMS_KEY_ID='alias/gl-gitlab-data'");
      secretSettings += expectNoSecrets(doc);
      // A new document never stops, starts or replaces a running node (cloud-init runs it once per instance).
      expect(i.user_data_replace_on_change).toBe(false);
      expect(i.lifecycle.ignore_changes).toEqual(['user_data_base64']);
    }
    expect(secretSettings).toBeGreaterThan(instances.length); // the scan saw the passwords and tokens
  });

  it('3k: each stateful node mounts its own data volume, named by its ID; stateless nodes have none', () => {
    const { resources } = linux3k;
    const envOf = (node: string) => files(decode(all(resources, 'aws_instance').find((i) => i.tags.GitLabNode === node)!.user_data_base64))['/etc/gitlab-node/node.env'];
    const volumeKey = (node: string) => entries(resources, 'aws_ebs_volume').find(([, v]) => v.tags.GitLabNode === node)![0];
    expect(envOf('gitaly-2')).toContain(`DATA_VOLUME_ID='<aws_ebs_volume.${volumeKey('gitaly-2')}.id>'`);
    expect(envOf('gitaly-2')).toContain("DATA_MOUNT='/var/opt/gitlab/git-data'");
    expect(envOf('postgres-1')).toContain("DATA_MOUNT='/var/opt/gitlab/postgresql'");
    expect(envOf('redis-3')).toContain("DATA_MOUNT='/var/opt/gitlab/redis'");
    expect(envOf('rails-1')).toContain("DATA_VOLUME_ID=''");
    // The volume is attached to the node that mounts it.
    const attachment = all(resources, 'aws_volume_attachment').find((a) => a.volume_id === `\${aws_ebs_volume.${volumeKey('gitaly-2')}.id}`)!;
    expect(attachment.instance_id).toMatch(/aws_instance\.nodes_gitaly-2_/);
  });

  it('3k: roles and peers come from the infrastructure\'s plan (addresses, internal load balancer name)', () => {
    const { stack, resources } = linux3k;
    const byNode = Object.fromEntries(all(resources, 'aws_instance').map((i) => [i.tags.GitLabNode, files(decode(i.user_data_base64))['/etc/gitlab-node/gitlab.rb']]));
    const ip = (name: string) => stack.layout.nodes.find((n) => n.name === name)!.privateIp!;
    expect(byNode['praefect-1']).toContain(`tls://${ip('gitaly-3')}:9999`);
    expect(byNode['rails-1']).toContain('internal.gl.gitlab.internal');
    expect(byNode['gitaly-1']).toContain("gitlab_rails['internal_api_url'] = 'http://internal.gl.gitlab.internal:80'");
    expect(byNode['consul-1']).toContain(ip('consul-3'));
    expect(byNode['rails-1']).toContain('gl-artifacts-222222222222');
    // Health endpoints: the monitoring node, loopback and the external load balancer's public subnets, not the VPC.
    const publicCidrs = all(resources, 'aws_subnet').filter((s) => s.map_public_ip_on_launch !== true && /public/.test(s.tags.Name)).map((s) => s.cidr_block);
    expect(publicCidrs).toHaveLength(3);
    expect(byNode['rails-2']).toContain(`gitlab_rails['monitoring_whitelist'] = ['${ip('monitoring-1')}/32', '127.0.0.0/8', ${publicCidrs.map((c) => `'${c}'`).join(', ')}]`);
    const internal = all(resources, 'aws_route53_record').find((r) => r.name === 'internal.gl.gitlab.internal')!;
    expect(internal.alias.name).toMatch(/aws_lb\.internal-lb_internal_/);
  });

  it('2k: Gitaly reaches the Rails internal API through an internal load balancer in front of both Rails nodes', () => {
    const { resources } = synthGitlab({ size: '2k' });
    const gitaly = all(resources, 'aws_instance').find((i) => i.tags.GitLabNode === 'gitaly-1')!;
    expect(files(decode(gitaly.user_data_base64))['/etc/gitlab-node/gitlab.rb']).toContain("gitlab_rails['internal_api_url'] = 'http://internal.gl.gitlab.internal:80'");
    const internal = all(resources, 'aws_lb').filter((l) => l.internal);
    expect(internal).toHaveLength(1);
    // Only the internal API: no Praefect or PgBouncer in 2k.
    expect(all(resources, 'aws_lb_listener').filter((l) => /internal-lb/.test(l.load_balancer_arn)).map((l) => l.port)).toEqual([80]);
    const apiTargets = all(resources, 'aws_lb_target_group_attachment').filter((a) => /rails-api/.test(a.target_group_arn));
    expect(apiTargets.map((a) => a.target_id).sort()).toEqual([expect.stringMatching(/nodes_rails-1_/), expect.stringMatching(/nodes_rails-2_/)]);
    // POC has one Rails node: no internal load balancer, Gitaly calls it directly.
    expect(all(poc.resources, 'aws_lb').filter((l) => l.internal)).toEqual([]);
  });

  it('managed 2k: RDS and ElastiCache references are resolved by Terraform, the literal parts carried base64-encoded', () => {
    const { stack, resources } = managed2k;
    const rails = all(resources, 'aws_instance').find((i) => i.tags.GitLabNode === 'rails-1')!;
    const m = /^\$\{base64gzip\(join\("", \[(.*)\]\)\)\}$/s.exec(rails.user_data_base64);
    expect(m).not.toBeNull();
    const refs: string[] = [];
    const rebuilt = m![1]
      .split(', ')
      .map((part) => {
        const literal = /^base64decode\("([A-Za-z0-9+/=]+)"\)$/.exec(part);
        if (literal) return Buffer.from(literal[1], 'base64').toString('utf8');
        refs.push(part);
        return `<${part}>`;
      })
      .join('');
    expect(refs).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_db_instance\.\S+\.master_user_secret\[0\]\.secret_arn$/), expect.stringMatching(/^aws_db_instance\.\S+\.address$/), expect.stringMatching(/^aws_elasticache_replication_group\.\S+\.primary_endpoint_address$/)]));
    // The same document gitlab-config renders, with the references in place of their values.
    let i = 0;
    expect(rebuilt).toBe(renderUserData(stack.topology!, 'rails-1').replace(/\$\{TfToken\[[^\]]+\]\}/g, () => `<${refs[i++]}>`));
    expectNoSecrets(rebuilt.replace(/<[^>]+>/g, 'REF'));
    // Nodes that use no managed service get a document compressed at synth.
    const gitaly = all(resources, 'aws_instance').find((x) => x.tags.GitLabNode === 'gitaly-1')!;
    expect(decode(gitaly.user_data_base64)).toContain("GITLAB_ROLE='gitaly'");
  });

  it('a custom userData hook replaces the GitLab configuration (no boot policy, no cross-check)', () => {
    const { stack, resources } = synthGitlab({ size: 'poc' }, {}, { userData: () => '#cloud-config\n' });
    expect(stack.topology).toBeUndefined();
    expect(all(resources, 'aws_iam_role_policy').filter((p) => p.name === 'gitlab-boot')).toEqual([]);
    expect(all(resources, 'aws_instance').every((i) => i.user_data === '#cloud-config\n' && i.user_data_base64 === undefined)).toBe(true);
  });
});

describe('instance roles: what the boot needs, and nothing more', () => {
  const policies = (resources: Json) =>
    Object.fromEntries(
      all(resources, 'aws_iam_role_policy')
        .filter((p) => p.name === 'gitlab-boot')
        .map((p) => [/iam_([a-z-]+)-role/.exec(p.role)![1], JSON.parse(p.policy) as { Statement: { Sid: string; Action: string[]; Resource: string[] }[] }]),
    );

  it('3k: one boot policy per role, confined to the environment\'s secrets prefix, no wildcard actions', () => {
    const byRole = policies(linux3k.resources);
    expect(Object.keys(byRole).sort()).toEqual(['consul', 'gitaly', 'monitoring', 'pgbouncer', 'postgres', 'praefect', 'praefect-postgres', 'rails', 'redis', 'sidekiq']);
    for (const [role, doc] of Object.entries(byRole)) {
      for (const s of doc.Statement) {
        for (const a of s.Action) expect(a).not.toContain('*');
        for (const r of s.Resource.filter((x) => !x.startsWith('arn:aws:s3:::'))) {
          expect(r).not.toBe('*');
          if (r.includes(':ssm:')) expect(r).toMatch(/^arn:aws:ssm:eu-west-1:222222222222:parameter\/gitlab-aws\/gl\/gitlab\//);
          if (r.includes('*')) expect(r).toBe(`arn:aws:ssm:eu-west-1:222222222222:parameter/gitlab-aws/gl/gitlab/status/${role}/*`);
          if (r.includes(':secretsmanager:')) expect(r).toMatch(/^arn:aws:secretsmanager:eu-west-1:222222222222:secret:gitlab-aws\/gl\/gitlab\/[a-z-]+-\?{6}$/);
        }
      }
      // Only Gitaly's boot policy touches S3: the backups bucket, for server-side repository backups.
      const s3 = doc.Statement.filter((s) => s.Action.some((a) => a.startsWith('s3:'))).flatMap((s) => s.Resource);
      expect([role, s3]).toEqual([role, role === 'gitaly' ? [expect.stringMatching(/gl-backups-222222222222$/), expect.stringMatching(/gl-backups-222222222222\/\*$/)] : []]);
    }
    const param = (name: string) => `arn:aws:ssm:eu-west-1:222222222222:parameter/gitlab-aws/gl/gitlab/${name}`;
    const reads = (role: string, name: string) => allows(byRole[role] as never, { action: 'ssm:GetParameter', resource: param(name) });
    const decrypts = (role: string, name: string) =>
      allows(byRole[role] as never, { action: 'kms:Decrypt', resource: KMS_KEY, context: { 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com', 'kms:EncryptionContext:PARAMETER_ARN': param(name) } });
    expect([reads('gitaly', 'gitaly-token'), reads('gitaly', 'gitlab-shell-token'), decrypts('gitaly', 'gitaly-token')]).toEqual([true, true, true]);
    expect([reads('gitaly', 'redis-password'), reads('gitaly', 'gitlab-db-password'), decrypts('gitaly', 'redis-password')]).toEqual([false, false, false]);
    expect([reads('redis', 'redis-password'), reads('redis', 'gitaly-token'), decrypts('redis', 'gitaly-token')]).toEqual([true, false, false]);
    expect([reads('pgbouncer', 'pgbouncer-password'), reads('pgbouncer', 'consul-gossip-key'), reads('pgbouncer', 'gitlab-db-password')]).toEqual([true, true, false]);
    const shared = 'arn:aws:secretsmanager:eu-west-1:222222222222:secret:gitlab-aws/gl/gitlab/gitlab-secrets-json-AbC123';
    expect(['rails', 'sidekiq', 'gitaly', 'postgres'].map((r) => allows(byRole[r] as never, { action: 'secretsmanager:CreateSecret', resource: shared }))).toEqual([true, false, false, false]);
    expect(allows(byRole.gitaly as never, { action: 'secretsmanager:GetSecretValue', resource: shared })).toBe(false);
  });

  it('managed 2k: only the seed Rails node may read the RDS master secret, to create the gitlab login', () => {
    const byRole = policies(managed2k.resources);
    const master = all(managed2k.resources, 'aws_db_instance')[0];
    expect(master.username).toBe('gitlab_admin');
    const masterSecret = byRole.rails.Statement.flatMap((s) => s.Resource).find((r) => r.includes('master_user_secret'))!;
    expect(masterSecret).toMatch(/^\$\{aws_db_instance\.\S+\.master_user_secret\[0\]\.secret_arn\}$/);
    const seedArn = `\${${Object.keys(managed2k.resources.aws_instance).map((k) => `aws_instance.${k}.arn`).find((k) => k.includes('rails-1'))!}}`;
    const fromRails2 = `\${${Object.keys(managed2k.resources.aws_instance).map((k) => `aws_instance.${k}.arn`).find((k) => k.includes('rails-2'))!}}`;
    const read = (role: string, instance?: string) => allows(byRole[role] as never, { action: 'secretsmanager:GetSecretValue', resource: masterSecret, ...(instance ? { context: { 'ec2:SourceInstanceARN': instance } } : {}) });
    expect([read('rails', seedArn), read('rails', fromRails2), read('rails'), read('sidekiq', seedArn), read('gitaly', seedArn)]).toEqual([true, false, false, false, false]);
    // Object storage stays in the role's own policy, for Rails and Sidekiq only.
    const s3 = all(managed2k.resources, 'aws_iam_role_policy').filter((p) => p.name === 'object-storage').map((p) => /iam_([a-z-]+)-role/.exec(p.role)![1]);
    expect(s3.sort()).toEqual(['rails', 'sidekiq']);
  });
});

describe('GitLab backup schedule', () => {
  it('turns the daily AWS cron expression into crontab for the seed Rails node, and refuses weekday schedules', () => {
    expect(crontabOf('cron(0 3 * * ? *)')).toBe('0 3 * * *');
    expect(crontabOf('cron(30 1 ? * * *)')).toBe('30 1 * * *');
    expect(() => crontabOf('cron(0 3 ? * MON *)')).toThrow(/names days of the week/);
    expect(() => crontabOf('rate(1 day)')).toThrow(/not an AWS cron expression/);
    const env = nodeEnvOf(synthGitlab({ size: '2k', backups: { schedule: 'cron(15 2 * * ? *)', retentionDays: 9 } }), 'rails-1');
    expect(env).toContain("BACKUP_CRON='15 2 * * *'");
    expect(env).toContain("BACKUPS_BUCKET='gl-backups-222222222222'");
  });
});

describe('synth-time cross-check of the security groups against the configuration', () => {
  afterEach(() => jest.restoreAllMocks());

  it('fails synth when a load balancer forwards to a port no GitLab role listens on', () => {
    // NGINX moved to 443 (as a pass-through design would need): the NLB's port-80 target group is then dead.
    jest.spyOn(gitlabConfig, 'listeningPorts').mockReturnValue({ rails: [443, 22], praefect: [3305], pgbouncer: [6432] });
    expect(() => synthGitlab({ size: 'poc' })).toThrow(/gl-gitlab: load balancers forward to ports no GitLab role listens on:\n {2}- external-lb target group "web-http" forwards to rails:80, where the GitLab configuration listens on nothing \(rails serves 443, 22\)/);
    jest.restoreAllMocks();
    const poc = synthGitlab({ size: 'poc' }).stack.topology!;
    expect(loadBalancersCheck.unservedTargets([{ loadBalancer: 'external-lb', name: 'web-https', role: 'rails', port: 443 }], poc)).toEqual([
      'external-lb target group "web-https" forwards to rails:443, where the GitLab configuration listens on nothing (rails serves 80, 22, 9229, 8080, 9168, 8060, 9100)',
    ]);
    const linux3kTopology = synthGitlab({ size: '3k' }).stack.topology!;
    expect(loadBalancersCheck.unservedTargets([{ loadBalancer: 'internal-lb', name: 'praefect', role: 'praefect', port: 3305 }], linux3kTopology)).toEqual([]);
    // Praefect listens only with TLS: a target on its old plain port is dead.
    expect(loadBalancersCheck.unservedTargets([{ loadBalancer: 'internal-lb', name: 'praefect', role: 'praefect', port: 2305 }], linux3kTopology)).toHaveLength(1);
  });

  it('fails synth naming the flow when one rule is missing from the port matrix', () => {
    const real = portMatrixModule.portMatrix;
    jest.spyOn(portMatrixModule, 'portMatrix').mockImplementation((plan) => {
      const m = real(plan);
      return { ...m, rules: m.rules.filter((r) => !(r.to === 'praefectPostgres' && r.from === 'praefect' && r.port === 5432)) };
    });
    expect(() => synthGitlab({ size: '3k' })).toThrow(/gl-gitlab: the port matrix \(src\/port-matrix\.ts\) and the GitLab configuration disagree[\s\S]*praefect -> praefect-postgres tcp\/5432 \(Praefect's database\) is not allowed/);
  });

  it('passes for every size and component choice', () => {
    for (const gitlab of [
      { size: '2k' },
      { size: '3k', components: { ...MANAGED, praefectDatabase: 'managed' } },
      { size: '3k', components: { database: 'managed' } },
      { size: 'poc', components: MANAGED },
      { size: '25k' },
      { size: '50k', components: { ...MANAGED, praefectDatabase: 'managed' } },
    ]) {
      expect(synthGitlab(gitlab).stack.topology).toBeDefined();
    }
  });

  it('reads the matrix as flows between GitLab peers: group members expanded, managed services and load balancers named', () => {
    const { stack } = linux3k;
    const rules = allowedRules(stack.matrix, stack.plan.roles);
    const has = (fromRole: string, toRole: string, port: number, protocol = 'tcp') => rules.some((r) => r.fromRole === fromRole && r.toRole === toRole && r.port === port && r.protocol === protocol);
    expect(has('pgbouncer', 'consul', 8300)).toBe(true); // consulMembers -> consul
    expect(has('gitaly', 'postgres', 8301, 'udp')).toBe(true); // every node runs a Consul agent here
    expect(has('internal-lb', 'praefect', 3305)).toBe(true);
    expect(has('rails', 'external-lb', 443)).toBe(false); // CIDR rules are not flows between peers
    const managed = synthGitlab({ size: '2k', components: MANAGED });
    const managedRules = allowedRules(managed.stack.matrix, managed.stack.plan.roles);
    expect(managedRules.some((r) => r.fromRole === 'sidekiq' && r.toRole === 'managed-postgres' && r.port === 5432)).toBe(true);
    expect(managedRules.some((r) => r.toRole === 'postgres')).toBe(false);
    expect(entries(managed.resources, 'aws_instance').length).toBe(5);
  });
});
