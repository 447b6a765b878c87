import { ELASTICACHE, RDS, topology, topologyInput } from './__fixtures__/topologies';
import { evaluateGitlabRb, type Settings } from './__fixtures__/tools';
import { connections, listeningPorts } from './connections';
import { renderGitlabRb } from './gitlab-rb';
import { iamNeeds } from './iam';
import { generatedSecrets, sharedFiles } from './secrets';
import type { GitLabTopologyInput } from './topology';
import { applicationRole, bootstrapRole } from './topology';
import { validateTopology } from './topology-validation';
import { nodeEnvironment } from './user-data';
import { ALL_IN_ONE_GITALY_SOCKET } from './roles/all-in-one';

// 1k: GitLab's one all-in-one node, with the Rails seed node's day-one duties.
const t = topology('1k');
let rb: Settings;
let rails: Settings;
beforeAll(() => {
  const files = evaluateGitlabRb({ aio: renderGitlabRb(t, 'all-in-one-1'), rails: renderGitlabRb(topology('poc'), 'rails-1') });
  rb = files.aio;
  rails = files.rails;
}, 60_000);

describe('1k gitlab.rb', () => {
  it('leaves every service of the package on (no roles call, nothing disabled) and sets no remote database, Redis or Gitaly address', () => {
    expect(rb.roles).toBeUndefined();
    for (const service of ['postgresql', 'redis', 'puma', 'sidekiq', 'gitaly', 'nginx', 'prometheus']) expect([service, rb[service]?.enable]).toEqual([service, undefined]);
    expect(rb.gitlab_rails.db_host).toBeUndefined();
    expect(rb.gitlab_rails.redis_host).toBeUndefined();
    expect(rb.gitlab_rails.redis_sentinels).toBeUndefined();
  });

  it('serves plain HTTP on 80 behind the external load balancer, exactly as the Rails nodes do', () => {
    expect(rb.external_url).toBe('https://gitlab.example.com');
    expect(rb.gitlab_rails.nginx).toEqual(rails.gitlab_rails.nginx);
    expect(rb.gitlab_rails.nginx.listen_port).toBe(80);
    expect(rb.gitlab_rails.nginx.listen_https).toBe(false);
    expect(rb.gitlab_rails.trusted_proxies).toEqual(['10.20.0.0/16']);
    expect(rb.letsencrypt.enable).toBe(false);
  });

  it('keeps repositories on the data volume behind the local Gitaly socket, and backs them up to the bucket', () => {
    expect(rb.gitaly.configuration.socket_path).toBe(ALL_IN_ONE_GITALY_SOCKET);
    expect(rb.gitaly.configuration.storage).toEqual([{ name: 'default', path: '/var/opt/gitlab/git-data/repositories' }]);
    expect(rb.gitaly.configuration.tls_listen_addr).toBeUndefined();
    expect(rb.gitaly.configuration.backup.go_cloud_url).toBe('s3://acme-prod-gitlab-backups?region=eu-west-1');
    expect(rb.gitlab_rails.repositories_storages).toEqual({ default: { gitaly_address: `unix:${ALL_IN_ONE_GITALY_SOCKET}` } });
  });

  it('has the seed duties and object storage of the Rails seed node', () => {
    expect(rb.gitlab_rails.auto_migrate).toBe(true);
    expect(rb.gitlab_rails.initial_root_password).toBe('secret:initial-root-password');
    expect(rb.gitlab_rails.backup_keep_time).toBe(7 * 86400);
    expect(rb.gitlab_rails.object_store).toEqual(rails.gitlab_rails.object_store);
    expect(rb.gitlab_rails.backup_upload_remote_directory).toBe('acme-prod-gitlab-backups');
    expect(rb.gitlab_rails.monitoring_whitelist).toEqual(['127.0.0.0/8']);
  });
});

describe('1k boot: the all-in-one node is the seed node', () => {
  const env = nodeEnvironment(t, 'all-in-one-1');

  it('publishes the shared files, applies the database settings and runs the daily backup', () => {
    expect(applicationRole(t)).toBe('all-in-one');
    expect(bootstrapRole(t)).toBe('all-in-one');
    expect(env.SHARED_PUBLISH).toBe('gitlab-secrets-json ssh-host-keys');
    expect(env.SHARED_INSTALL).toBe('');
    expect(env.RAILS_SETTINGS).toBe('1');
    expect(env.BACKUP_CRON).toBe('0 3 * * *');
    expect(env.BACKUPS_BUCKET).toBe('acme-prod-gitlab-backups');
  });

  it('generates only the root password (the package makes its local tokens), waits for nothing and mounts /var/opt/gitlab', () => {
    expect(generatedSecrets(t).map((s) => [s.name, s.roles])).toEqual([['initial-root-password', ['all-in-one']]]);
    expect(env.GENERATED_SECRETS).toBe('initial-root-password:hex32');
    expect(env.WAIT_FOR).toBe('');
    expect(env.INTERNAL_CA).toBe('');
    expect(env.DATA_MOUNT).toBe('/var/opt/gitlab');
    expect(sharedFiles(t).map((f) => f.roles)).toEqual([['all-in-one'], ['all-in-one']]);
  });

  it('reads and writes every bucket and creates the shared files, like Rails', () => {
    const [needs] = iamNeeds(t);
    expect(needs.role).toBe('all-in-one');
    expect(needs.buckets).toHaveLength(9);
    expect(needs.secretsCreate).toEqual(['gitlab/prod/gitlab-secrets-json', 'gitlab/prod/ssh-host-keys']);
  });
});

describe('1k connections', () => {
  it('has only the external load balancer calling in, on 80 and 22', () => {
    expect(connections(t).map((c) => [c.fromRole, c.toRole, c.port])).toEqual([
      ['external-lb', 'all-in-one', 80],
      ['external-lb', 'all-in-one', 22],
    ]);
    expect(listeningPorts(t)['all-in-one']).toEqual([80, 22, 9100]);
  });
});

describe('1k validation', () => {
  const problems = (change: (x: GitLabTopologyInput) => void) => {
    const input = topologyInput('1k');
    change(input);
    return validateTopology(input);
  };

  it('accepts the one node', () => {
    expect(problems(() => {})).toEqual([]);
  });

  it('needs exactly one all-in-one node', () => {
    expect(problems((x) => x.nodes.push({ ...x.nodes[0], name: 'all-in-one-2', privateIp: '10.20.1.150' }))).toEqual(['nodes: 1k needs exactly 1 "all-in-one" node, found 2']);
    expect(problems((x) => (x.nodes = []))).toEqual(['nodes: 1k needs exactly 1 "all-in-one" node, found 0']);
  });

  it('refuses other roles, managed services and Kubernetes in 1k, and the all-in-one role elsewhere', () => {
    expect(problems((x) => x.nodes.push({ role: 'rails', name: 'rails-1', privateIp: '10.20.0.100', availabilityZone: 'eu-west-1a' }))).toEqual([
      'nodes: "rails" nodes do not exist in 1k, whose one "all-in-one" node runs every service; remove them',
    ]);
    expect(problems((x) => (x.managed = { postgres: RDS, redis: ELASTICACHE }))).toEqual([
      'managed.postgres: 1k runs PostgreSQL and Redis on its all-in-one node; remove managed.postgres, or use size 2k for managed services',
      'managed.redis: 1k runs PostgreSQL and Redis on its all-in-one node; remove managed.redis, or use size 2k for managed services',
    ]);
    expect(problems((x) => (x.applicationTier = 'kubernetes'))).toEqual(['applicationTier: 1k has no Cloud Native Hybrid layout (GitLab publishes none); use "linux-package"']);
    const poc = topologyInput('poc');
    poc.nodes.push({ role: 'all-in-one', name: 'all-in-one-1', privateIp: '10.20.0.150', availabilityZone: 'eu-west-1a' });
    expect(validateTopology(poc)).toEqual(['nodes: "all-in-one" nodes belong to the single-node size 1k; poc has a node per role: remove them']);
  });
});
