import { cloudConfigProblems } from '@gitlab-aws/core/src/testing/cloud-config';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { RDS, topology, VARIANTS } from './__fixtures__/topologies';
import { renderGitlabRb } from './gitlab-rb';
import type { GitLabTopology } from './topology';
import { spawnSync } from 'node:child_process';
import { bootScript, bootScriptSource, nodeEnvironment, NODE_PATHS, renderUserData, USER_DATA_LIMIT_BYTES, withoutCommentLines } from './user-data';

const nodesOfRole = (t: GitLabTopology, role: string) => t.nodes.filter((n) => n.role === role).map((n) => n.privateIp);
const topologies: Record<string, GitLabTopology> = Object.fromEntries(Object.entries(VARIANTS).map(([k, f]) => [k, f()]));
const documents: Record<string, string> = {};
for (const [variant, t] of Object.entries(topologies)) for (const n of t.nodes) documents[`${variant}--${n.name}`] = renderUserData(t, n.name);

describe("cloud-init's schema validation (cloud-init's JSON Schema, as `cloud-init schema` checks it)", () => {
  it(`accepts all ${Object.keys(documents).length} user-data documents`, () => {
    const problems = Object.entries(documents).flatMap(([name, doc]) => cloudConfigProblems(doc).map((p) => `${name}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('rejects a broken document (the check is real)', () => {
    const broken = documents['2k--rails-1'].replace(`runcmd:\n  - - ${NODE_PATHS.bootScript}`, 'runcmd: 5');
    expect(broken).not.toBe(documents['2k--rails-1']);
    expect(cloudConfigProblems(broken)).toEqual(['runcmd: must be array']);
  });
});

describe('user data per node', () => {
  it('writes node.env, gitlab.rb and the boot script, then runs the script once', () => {
    const t = topologies['3k'];
    const doc = parse(documents['3k--praefect-2']);
    expect(documents['3k--praefect-2'].startsWith('#cloud-config\n')).toBe(true);
    expect(doc.write_files.map((f: { path: string }) => f.path)).toEqual([NODE_PATHS.env, NODE_PATHS.gitlabRb, NODE_PATHS.bootScript]);
    expect(doc.write_files[1].content).toBe(renderGitlabRb(t, 'praefect-2'));
    expect(doc.write_files[2].content).toBe(bootScript());
    expect(doc.write_files.map((f: { permissions: string }) => f.permissions)).toEqual(['0600', '0600', '0700']);
    expect(doc.runcmd).toEqual([[NODE_PATHS.bootScript]]);
    expect(doc.write_files[0].content).toContain("GITLAB_ROLE='praefect'");
    expect(doc.write_files[0].content).toContain("GITLAB_VERSION='19.3.0'");
  });

  it('ships the boot script without its comment lines, code and here-documents intact', () => {
    const source = bootScriptSource();
    const shipped = bootScript();
    expect(shipped.startsWith('#!/usr/bin/env bash\n')).toBe(true);
    // The shipped lines are the source's, in order (a subsequence); what is left out is comments only.
    const dropped: string[] = [];
    let next = 0;
    for (const line of source.split('\n')) {
      if (shipped.split('\n')[next] === line) next += 1;
      else dropped.push(line);
    }
    expect(next).toBe(shipped.split('\n').length);
    expect(dropped.length).toBeGreaterThan(30);
    expect(dropped.every((l) => /^\s*#/.test(l))).toBe(true);
    // A comment inside a here-document is content (the sshd snippet's header) and stays.
    expect(shipped).toContain('# Written by gitlab-node-boot: Git over SSH looks keys up in GitLab');
    expect(spawnSync('bash', ['-n'], { input: shipped, encoding: 'utf8' }).status).toBe(0);
    expect(withoutCommentLines("#!/bin/sh\n# gone\ncat <<'EOF'\n# kept\nEOF\nx=1 # kept too\n  # gone\ny <<<\"$z\"\n# gone")).toBe("#!/bin/sh\ncat <<'EOF'\n# kept\nEOF\nx=1 # kept too\ny <<<\"$z\"");
  });

  it('stays under the EC2 user-data limit once gzipped, with a third of it to spare', () => {
    // The spare third covers Terraform references (volume IDs, RDS endpoints) that replace placeholders.
    const sizes = Object.entries(documents).map(([name, doc]) => ({ name, gzipped: gzipSync(doc).length }));
    expect(sizes.filter((s) => s.gzipped >= (USER_DATA_LIMIT_BYTES * 2) / 3)).toEqual([]);
    expect(Math.max(...sizes.map((s) => s.gzipped))).toBeGreaterThan(1000);
  });

  it('makes Rails wait for its database, Redis and Gitaly, Praefect for its database, replicas for the primary', () => {
    const t = topologies['3k'];
    const ilb = t.internalLoadBalancerDns!;
    const sentinels = t.nodes.filter((n) => n.role === 'redis').map((n) => `${n.privateIp}:26379`).join(',');
    expect(nodeEnvironment(t, 'rails-2').WAIT_FOR).toBe(`database=${ilb}:6432 redis=${sentinels} praefect=${ilb}:3305`);
    expect(nodeEnvironment(t, 'praefect-3').WAIT_FOR).toBe(`praefect-database=${t.nodes.find((n) => n.role === 'praefect-postgres')!.privateIp}:5432 praefect-deploy-node=${t.nodes.find((n) => n.name === 'praefect-1')!.privateIp}:3305`);
    expect(nodeEnvironment(t, 'praefect-1').WAIT_FOR).toBe(`praefect-database=${t.nodes.find((n) => n.role === 'praefect-postgres')!.privateIp}:5432`);
    expect(nodeEnvironment(t, 'redis-2').WAIT_FOR).toBe(`redis-primary=${t.nodes.find((n) => n.name === 'redis-1')!.privateIp}:6379`);
    expect(nodeEnvironment(t, 'redis-1').WAIT_FOR).toBe('');
    expect(nodeEnvironment(t, 'gitaly-1').WAIT_FOR).toBe('');
    const managed = topologies['2k-managed'];
    expect(nodeEnvironment(managed, 'sidekiq-1').WAIT_FOR).toBe(`database=${RDS!.host}:5432 redis=master.gitlab-redis.abcdef.euw1.cache.amazonaws.com:6379 gitaly=${managed.nodes.find((n) => n.role === 'gitaly')!.privateIp}:9999`);
    expect(nodeEnvironment(t, 'sidekiq-1').DEPENDENCY_TIMEOUT).toBe('1800');
  });

  it('10k: Rails waits for both Redis clusters, each replica for its own cluster\'s primary; the cache nodes get their own password only', () => {
    const t = topologies['10k'];
    const sentinels = (role: string) => nodesOfRole(t, role).map((ip) => `${ip}:26379`).join(',');
    expect(nodeEnvironment(t, 'rails-1').WAIT_FOR).toContain(` redis=${sentinels('redis')} redis-cache=${sentinels('redis-cache')} `);
    expect(nodeEnvironment(t, 'redis-cache-3').WAIT_FOR).toBe(`redis-primary=${nodesOfRole(t, 'redis-cache')[0]}:6379`);
    expect(nodeEnvironment(t, 'redis-2').WAIT_FOR).toBe(`redis-primary=${nodesOfRole(t, 'redis')[0]}:6379`);
    expect(nodeEnvironment(t, 'redis-cache-1').GENERATED_SECRETS).toBe('redis-cache-password:hex32');
    expect(nodeEnvironment(t, 'redis-1').GENERATED_SECRETS).toBe('redis-password:hex32');
    expect(nodeEnvironment(t, 'sidekiq-2').GENERATED_SECRETS.split(' ')).toEqual(expect.arrayContaining(['redis-password:hex32', 'redis-cache-password:hex32']));
    expect(nodeEnvironment(t, 'redis-cache-2')).toMatchObject({ DATA_MOUNT: '/var/opt/gitlab/redis', DATA_VOLUME_ID: t.nodes.find((n) => n.name === 'redis-cache-2')!.dataVolumeId });
    // On ElastiCache the applications read the cache group's AUTH token from its secret instead.
    const managed = topologies['10k-managed'];
    expect(nodeEnvironment(managed, 'rails-2').MANAGED_SECRETS).toContain('redis-cache-password|arn:aws:secretsmanager:eu-west-1:111111111111:secret:gitlab/prod/redis-cache-auth-StUvWx|');
    expect(nodeEnvironment(managed, 'rails-2').WAIT_FOR).toContain(' redis-cache=master.gitlab-redis-cache.abcdef.euw1.cache.amazonaws.com:6379 ');
  });

  it('tells stateful nodes which volume to mount where, and stateless nodes nothing', () => {
    const t = topologies['3k'];
    for (const [node, mount] of [['gitaly-1', '/var/opt/gitlab/git-data'], ['postgres-2', '/var/opt/gitlab/postgresql'], ['praefect-postgres-1', '/var/opt/gitlab/postgresql'], ['redis-3', '/var/opt/gitlab/redis'], ['monitoring-1', '/var/opt/gitlab/prometheus']]) {
      expect(nodeEnvironment(t, node)).toMatchObject({ DATA_VOLUME_ID: t.nodes.find((n) => n.name === node)!.dataVolumeId, DATA_MOUNT: mount });
    }
    expect(nodeEnvironment(t, 'rails-1')).toMatchObject({ DATA_VOLUME_ID: '', DATA_MOUNT: '' });
  });

  it('has the seed Rails node publish the shared files and the others install them', () => {
    const t = topologies['3k'];
    expect(nodeEnvironment(t, 'rails-1')).toMatchObject({ SHARED_PUBLISH: 'gitlab-secrets-json ssh-host-keys', SHARED_INSTALL: '', PATRONI_MEMBERS: t.nodes.filter((n) => n.role === 'postgres').map((n) => n.privateIp).join(' ') });
    expect(nodeEnvironment(t, 'rails-3')).toMatchObject({ SHARED_PUBLISH: '', SHARED_INSTALL: 'gitlab-secrets-json ssh-host-keys', PATRONI_MEMBERS: '' });
    expect(nodeEnvironment(t, 'sidekiq-2')).toMatchObject({ SHARED_PUBLISH: '', SHARED_INSTALL: 'gitlab-secrets-json' });
    expect(nodeEnvironment(t, 'gitaly-1')).toMatchObject({ SHARED_PUBLISH: '', SHARED_INSTALL: '' });
  });

  it('gives the RDS master secret (a Terraform reference, passed through) to the seed node only, to create the gitlab login', () => {
    const ref = '${aws_db_instance.gitlab.master_user_secret[0].secret_arn}';
    const t = topology('2k', { postgres: { ...RDS!, masterSecretArn: ref } });
    expect(nodeEnvironment(t, 'rails-1')).toMatchObject({
      MANAGED_SECRETS: `gitlab-db-master-username|${ref}|username gitlab-db-master-password|${ref}|password`,
      DB_BOOTSTRAP: `${RDS!.host} 5432 gitlabhq_production gitlab gitlab-db`,
    });
    expect(nodeEnvironment(t, 'rails-1').GENERATED_SECRETS).toContain('gitlab-db-password:hex32');
    expect(nodeEnvironment(t, 'rails-2')).toMatchObject({ MANAGED_SECRETS: '', DB_BOOTSTRAP: '' });
    expect(nodeEnvironment(t, 'sidekiq-1')).toMatchObject({ MANAGED_SECRETS: '', DB_BOOTSTRAP: '' });
    expect(renderUserData(t, 'rails-1')).toContain(`MANAGED_SECRETS='gitlab-db-master-username|${ref}|username`);
    const praefect = topologies['3k-managed'];
    expect(nodeEnvironment(praefect, 'praefect-1').DB_BOOTSTRAP).toBe('praefect-db.abcdefgh.eu-west-1.rds.amazonaws.com 5432 praefect_production praefect praefect-db');
    expect(nodeEnvironment(praefect, 'praefect-2').DB_BOOTSTRAP).toBe('');
  });

  it('has Gitaly and Praefect issue certificates for the names their callers dial, Rails and Sidekiq trust the CA, others nothing', () => {
    const t = topologies['3k'];
    const ip = (name: string) => t.nodes.find((n) => n.name === name)!.privateIp;
    expect(nodeEnvironment(t, 'gitaly-2')).toMatchObject({ INTERNAL_CA: 'issue', TLS_NAMES: `IP:${ip('gitaly-2')}` });
    expect(nodeEnvironment(t, 'praefect-3')).toMatchObject({ INTERNAL_CA: 'issue', TLS_NAMES: `IP:${ip('praefect-3')},DNS:${t.internalLoadBalancerDns}` });
    for (const n of ['rails-1', 'sidekiq-2']) expect(nodeEnvironment(t, n)).toMatchObject({ INTERNAL_CA: 'trust', TLS_NAMES: '' });
    for (const n of ['postgres-1', 'pgbouncer-1', 'redis-1', 'consul-1', 'monitoring-1', 'praefect-postgres-1']) expect([n, nodeEnvironment(t, n).INTERNAL_CA]).toEqual([n, '']);
    expect(nodeEnvironment(topologies['2k'], 'gitaly-1')).toMatchObject({ INTERNAL_CA: 'issue', TLS_NAMES: `IP:${nodesOfRole(topologies['2k'], 'gitaly')[0]}` });
  });

  it('has every node that logs in to RDS fetch the RDS CA bundle (verify-full), and no other node', () => {
    const ca = { RDS_CA_URL: 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem', RDS_CA_BUNDLE: '/usr/local/share/gitlab-node/rds-ca-bundle.pem' };
    const none = { RDS_CA_URL: '', RDS_CA_BUNDLE: '' };
    const managed = topologies['3k-managed'];
    for (const n of ['rails-1', 'rails-2', 'sidekiq-1', 'praefect-1', 'praefect-3']) expect([n, nodeEnvironment(managed, n)]).toEqual([n, expect.objectContaining(ca)]);
    for (const n of ['gitaly-1', 'gitaly-3', 'monitoring-1']) expect([n, nodeEnvironment(managed, n)]).toEqual([n, expect.objectContaining(none)]);
    // RDS for GitLab only: Praefect's own PostgreSQL node needs no bundle.
    expect(nodeEnvironment(topologies['3k-rds-only'], 'rails-1')).toMatchObject(ca);
    expect(nodeEnvironment(topologies['3k-rds-only'], 'praefect-1')).toMatchObject(none);
    for (const v of ['3k', '2k', 'poc']) expect([v, nodeEnvironment(topologies[v], 'rails-1')]).toEqual([v, expect.objectContaining(none)]);
  });
});

describe('no secret material in any user-data document', () => {
  it('has no key-like strings and no password assignments with literal values', () => {
    for (const [name, doc] of Object.entries(documents)) {
      const env = doc.slice(0, doc.indexOf(NODE_PATHS.gitlabRb));
      const findings = [
        ...(doc.match(/\b[0-9a-f]{32,}\b/g) ?? []),
        ...(doc.match(/[A-Za-z0-9+/]{40,}={0,2}/g) ?? []).filter((m) => /[A-Z]/.test(m) && /[0-9]/.test(m) && /[a-z]/.test(m)), // base64-like, not a path
        ...(env.match(/^\s*\w*(PASSWORD|TOKEN|SECRET)\w*=.*$/gm) ?? []).filter((l) => !/^\s*(GENERATED_SECRETS|MANAGED_SECRETS|SECRETS_PREFIX)=/.test(l)),
      ];
      expect({ name, findings }).toEqual({ name, findings: [] });
    }
  });
});
