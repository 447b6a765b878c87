import { isHaSize } from '@gitlab-aws/core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { GitLabTopology, NodeRole, TopologyNode } from './topology';
import { applicationRole, bootstrapRole, isSeed, nodeNamed, nodesOf } from './topology';
import { renderGitlabRb } from './gitlab-rb';
import { generatedSecrets, managedSecrets, sharedFiles, sharedSecretName, statusParameterName } from './secrets';
import { dataPathOf } from './data-volume';
import { RDS_CA_BUNDLE_PATH, RDS_CA_BUNDLE_URL } from './rds-ca';
import { certificateNames, internalCaMode } from './internal-tls';
import { consulServers, gitalyEndpoint, GITLAB_DB_USER, patroniMembers, PORTS, PRAEFECT_DB_USER, praefectDatabase, railsDatabase, railsRedis, redisClusters } from './wiring';

/** Where the user data puts things on the node. */
export const NODE_PATHS = {
  env: '/etc/gitlab-node/node.env',
  gitlabRb: '/etc/gitlab-node/gitlab.rb',
  bootScript: '/usr/local/sbin/gitlab-node-boot',
  log: '/var/log/gitlab-node-boot.log',
} as const;

/** EC2's user-data limit (raw bytes, before base64). Pass the document through base64gzip to stay well below it. */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;

/** The boot script's source, comments included (boot/gitlab-node-boot.sh). */
export function bootScriptSource(): string {
  return readFileSync(join(__dirname, 'boot', 'gitlab-node-boot.sh'), 'utf8');
}

/**
 * The boot script every node runs (the same for all roles; node.env tells it what to do), as
 * shipped in user data: without its comment lines, which would take a sixth of EC2's user-data
 * limit. The shebang and here-document bodies stay verbatim.
 */
export function bootScript(): string {
  return withoutCommentLines(bootScriptSource());
}

/** Drops whole-line shell comments, keeping the first line (shebang) and here-document bodies. */
export function withoutCommentLines(script: string): string {
  const out: string[] = [];
  let heredocEnd: string | undefined;
  script.split('\n').forEach((line, i) => {
    if (heredocEnd !== undefined) {
      out.push(line);
      if (line.trim() === heredocEnd) heredocEnd = undefined;
      return;
    }
    if (i === 0 || !/^\s*#/.test(line)) out.push(line);
    // "<<WORD", "<<'WORD'", "<<-WORD" open a here-document; "<<<" is a here-string.
    heredocEnd = /(?<!<)<<-?(['"]?)([A-Za-z_]\w*)\1(?![\w<])/.exec(line)?.[2];
  });
  return out.join('\n');
}

/** A dependency a node waits for at boot: ready when any of the addresses accepts TCP. */
export interface BootDependency {
  label: string;
  addresses: string[];
}

/** What a node waits for before reconfigure (bounded by the topology's dependencyTimeoutSeconds). */
export function bootDependencies(t: GitLabTopology, node: TopologyNode): BootDependency[] {
  const consul = (): BootDependency[] => (consulServers(t).length ? [{ label: 'consul', addresses: consulServers(t).map((ip) => `${ip}:${PORTS.consulServerRpc}`) }] : []);
  switch (node.role) {
    case 'rails':
    case 'sidekiq': {
      const db = railsDatabase(t);
      const gitaly = gitalyEndpoint(t);
      const redis = redisClusters(t).map((cluster): BootDependency => {
        const r = railsRedis(t, cluster);
        return { label: cluster === 'cache' ? 'redis-cache' : 'redis', addresses: r.kind === 'direct' ? [`${r.endpoint.host}:${r.endpoint.port}`] : r.sentinels.map((s) => `${s.host}:${s.port}`) };
      });
      return [
        { label: 'database', addresses: [`${db.host}:${db.port}`] },
        ...redis,
        { label: isHaSize(t.size) ? 'praefect' : 'gitaly', addresses: [`${gitaly.host}:${gitaly.port}`] },
      ];
    }
    case 'praefect': {
      const db = praefectDatabase(t);
      const deployNode = nodesOf(t, 'praefect')[0];
      // The first Praefect migrates its database; the others start once it serves.
      const afterDeploy = deployNode.name === node.name ? [] : [{ label: 'praefect-deploy-node', addresses: [`${deployNode.privateIp}:${PORTS.praefectTls}`] }];
      return [{ label: 'praefect-database', addresses: [`${db.host}:${db.port}`] }, ...afterDeploy];
    }
    case 'postgres':
    case 'pgbouncer':
      return consul();
    case 'redis':
    case 'redis-cache': {
      // Replicas wait for their own cluster's first primary.
      const primary = nodesOf(t, node.role)[0];
      return isHaSize(t.size) && primary.name !== node.name ? [{ label: 'redis-primary', addresses: [`${primary.privateIp}:${PORTS.redis}`] }] : [];
    }
    default:
      return [];
  }
}

/**
 * "host port database user secret-prefix" when this role's seed node manages a dedicated login on
 * a managed PostgreSQL with its master secret (read into <prefix>-master-username/-password).
 */
export function databaseBootstrap(t: GitLabTopology, role: NodeRole): string {
  if (role === bootstrapRole(t) && t.managed.postgres) {
    const db = railsDatabase(t);
    return [db.host, db.port, db.database, GITLAB_DB_USER, 'gitlab-db'].join(' ');
  }
  if (role === 'praefect' && t.managed.praefectPostgres) {
    const db = praefectDatabase(t);
    return [db.host, db.port, db.database, PRAEFECT_DB_USER, 'praefect-db'].join(' ');
  }
  return '';
}

/** True when the role connects to a managed PostgreSQL (RDS). */
export function usesRds(t: GitLabTopology, role: NodeRole): boolean {
  if (role === 'rails' || role === 'sidekiq' || role === bootstrapRole(t)) return !!t.managed.postgres;
  if (role === 'praefect') return !!t.managed.praefectPostgres;
  return false;
}

const rolesIncluding = (roles: NodeRole[], role: NodeRole) => roles.includes(role);

/** The variables node.env gives the boot script. No secret values: names, ARNs and addresses only. */
export function nodeEnvironment(t: GitLabTopology, nodeName: string): Record<string, string> {
  const node = nodeNamed(t, nodeName);
  const seed = isSeed(t, node);
  const shared = sharedFiles(t).filter((f) => rolesIncluding(f.roles, node.role));
  // The seed node of the application role (Rails, or 1k's all-in-one node) has the day-one duties.
  const publishes = node.role === applicationRole(t) && seed;
  return {
    GITLAB_ROLE: node.role,
    GITLAB_NODE: node.name,
    GITLAB_EDITION: t.edition,
    GITLAB_VERSION: t.version,
    AWS_REGION: t.region,
    SECRETS_PREFIX: t.secrets.prefix,
    SHARED_PREFIX: sharedSecretName(t, '').replace(/\/$/, ''),
    KMS_KEY_ID: t.secrets.kmsKeyId ?? '',
    STATUS_PARAMETER: statusParameterName(t, node.role, node.name),
    DEPENDENCY_TIMEOUT: String(t.dependencyTimeoutSeconds),
    GENERATED_SECRETS: generatedSecrets(t)
      .filter((s) => rolesIncluding(s.roles, node.role))
      .map((s) => `${s.name}:${s.format}`)
      .join(' '),
    MANAGED_SECRETS: managedSecrets(t)
      .filter((s) => rolesIncluding(s.roles, node.role) && (!s.seedOnly || seed))
      .map((s) => [s.file, s.secretArn, s.jsonKey ?? ''].join('|'))
      .join(' '),
    WAIT_FOR: bootDependencies(t, node)
      .map((d) => `${d.label}=${d.addresses.join(',')}`)
      .join(' '),
    SHARED_INSTALL: publishes ? '' : shared.map((f) => f.name).join(' '),
    SHARED_PUBLISH: publishes ? shared.map((f) => f.name).join(' ') : '',
    PATRONI_MEMBERS: publishes ? patroniMembers(t).join(' ') : '',
    DB_BOOTSTRAP: seed ? databaseBootstrap(t, node.role) : '',
    // The seed Rails node applies the database-held settings once (incremental logging, keys lookup).
    RAILS_SETTINGS: publishes ? '1' : '',
    // The seed Rails node runs GitLab's backup daily; Gitaly streams repositories to the bucket.
    BACKUP_CRON: publishes ? t.backups.cron : '',
    BACKUP_SERVER_SIDE: publishes ? '1' : '',
    BACKUPS_BUCKET: publishes ? t.buckets.backups : '',
    // Nodes that log in to RDS fetch its CA bundle to verify the server (sslmode verify-full).
    RDS_CA_URL: usesRds(t, node.role) ? RDS_CA_BUNDLE_URL : '',
    RDS_CA_BUNDLE: usesRds(t, node.role) ? RDS_CA_BUNDLE_PATH : '',
    // Gitaly and Praefect issue their TLS certificate from the internal CA; their clients trust it.
    INTERNAL_CA: internalCaMode(node.role),
    TLS_NAMES: certificateNames(t, node).join(','),
    DATA_VOLUME_ID: node.dataVolumeId ?? '',
    DATA_MOUNT: node.dataVolumeId ? dataPathOf(node.role)! : '',
  };
}

const shellQuote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`;

export function renderNodeEnv(t: GitLabTopology, nodeName: string): string {
  const env = nodeEnvironment(t, nodeName);
  return `# Written by cloud-init from the rendered user data; read by ${NODE_PATHS.bootScript}. No secrets here.\n${Object.entries(env)
    .map(([k, v]) => `${k}=${shellQuote(v)}`)
    .join('\n')}\n`;
}

/**
 * The #cloud-config user data of one node: writes node.env, gitlab.rb and the boot script, then
 * runs the script once. Pass it to the instance through Terraform's base64gzip (see
 * docs/gitlab-on-nodes.md): the raw document can exceed EC2's 16 KiB limit.
 */
export function renderUserData(t: GitLabTopology, nodeName: string): string {
  const node = nodeNamed(t, nodeName);
  const file = (path: string, content: string, permissions: string) => ({ path, owner: 'root:root', permissions, content });
  const doc = {
    write_files: [
      file(NODE_PATHS.env, renderNodeEnv(t, node.name), '0600'),
      file(NODE_PATHS.gitlabRb, renderGitlabRb(t, node.name), '0600'),
      file(NODE_PATHS.bootScript, bootScript(), '0700'),
    ],
    runcmd: [[NODE_PATHS.bootScript]],
  };
  const header = [
    '#cloud-config',
    `# GitLab ${t.size} node ${node.name} (${node.role}). No secrets: the boot script fetches them at boot.`,
    `# Progress: ${NODE_PATHS.log} and the SSM parameter ${statusParameterName(t, node.role, node.name)}.`,
  ];
  return `${header.join('\n')}\n${stringify(doc, { lineWidth: 0 })}`;
}
