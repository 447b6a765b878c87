import { createHash } from 'node:crypto';
import { rubySyntaxErrors } from '@gitlab-aws/core/src/testing/ruby';
import { topology, VARIANTS } from './__fixtures__/topologies';
import type { Settings } from './__fixtures__/tools';
import { evaluateGitlabRb } from './__fixtures__/tools';
import { renderGitlabRb } from './gitlab-rb';
import type { GitLabTopology, NodeRole } from './topology';
import { nodesOf } from './topology';

const ILB = 'gitlab-internal-0123456789.elb.eu-west-1.amazonaws.com';
const topologies: Record<string, GitLabTopology> = Object.fromEntries(Object.entries(VARIANTS).map(([k, f]) => [k, f()]));
const rendered: Record<string, string> = {};
for (const [variant, t] of Object.entries(topologies)) for (const n of t.nodes) rendered[`${variant}/${n.name}`] = renderGitlabRb(t, n.name);

let settings: Record<string, Settings>;
beforeAll(() => {
  settings = evaluateGitlabRb(Object.fromEntries(Object.entries(rendered).map(([k, v]) => [k.replace('/', '--'), v])));
}, 60_000);
const cfg = (variant: string, node: string) => settings[`${variant}--${node}`];
const ips = (variant: string, role: NodeRole) => nodesOf(topologies[variant], role).map((n) => n.privateIp);
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

describe('ruby -c on every rendered gitlab.rb (Ruby 3.4 as WebAssembly)', () => {
  it(`accepts all ${Object.keys(rendered).length} files`, () => {
    expect(rubySyntaxErrors(rendered)).toEqual({});
  }, 60_000);

  it('would catch a syntax error (the check is real)', () => {
    const bad = rubySyntaxErrors({ bad: `${rendered['2k/rails-1']}\ngitlab_rails['db_host'] = 'unterminated\n` });
    expect(Object.keys(bad)).toEqual(['bad']);
  }, 60_000);
});

describe('POC: one of each, Sidekiq inside Rails', () => {
  it('points Rails at the PostgreSQL, Redis and Gitaly nodes', () => {
    const rails = cfg('poc', 'rails-1');
    expect(rails.roles).toEqual(['application_role']);
    expect(rails.external_url).toBe('https://gitlab.example.com');
    expect(rails.gitlab_rails.db_host).toBe(ips('poc', 'postgres')[0]);
    expect(rails.gitlab_rails.db_port).toBe(5432);
    expect(rails.gitlab_rails.db_password).toBe('secret:gitlab-db-password');
    expect(rails.gitlab_rails.redis_host).toBe(ips('poc', 'redis')[0]);
    expect(rails.gitlab_rails.redis_port).toBe(6379);
    expect(rails.gitlab_rails.redis_password).toBe('secret:redis-password');
    expect(rails.gitlab_rails.repositories_storages.default).toEqual({ gitaly_address: `tls://${ips('poc', 'gitaly')[0]}:9999`, gitaly_token: 'secret:gitaly-token' });
    expect(rails.sidekiq.enable).toBe(true);
    expect(rails.gitlab_rails.auto_migrate).toBe(true);
    expect(rails.gitlab_rails.nginx.listen_port).toBe(80);
    expect(rails.gitlab_rails.nginx.listen_https).toBe(false);
    expect(rails.letsencrypt.enable).toBe(false);
  });

  it('has Gitaly listen only with TLS on 9999 with the token Rails uses, and the plain PostgreSQL accept md5 from the VPC', () => {
    const gitaly = cfg('poc', 'gitaly-1');
    expect(gitaly.gitaly.configuration.tls_listen_addr).toBe('0.0.0.0:9999');
    expect(gitaly.gitaly.configuration.tls).toEqual({ certificate_path: '/etc/gitlab/ssl/gitlab-node.crt', key_path: '/etc/gitlab/ssl/gitlab-node.key' });
    expect(gitaly.gitaly.configuration.listen_addr).toBeUndefined(); // nothing in clear across the network
    expect(gitaly.gitaly.configuration.prometheus_listen_addr).toBe('0.0.0.0:9236');
    expect(gitaly.gitaly.configuration.auth.token).toBe('secret:gitaly-token');
    expect(gitaly.gitaly.configuration.storage).toEqual([{ name: 'default', path: '/var/opt/gitlab/git-data/repositories' }]);
    expect(gitaly.gitlab_shell.secret_token).toBe(cfg('poc', 'rails-1').gitlab_shell.secret_token);
    // Rails directly on the private network (the external URL's public load balancer is not reachable from inside).
    expect(gitaly.gitlab_rails.internal_api_url).toBe('http://10.20.0.100:80'); // the one Rails node
    expect(cfg('3k', 'gitaly-2').gitlab_rails.internal_api_url).toBe('http://gitlab-internal-0123456789.elb.eu-west-1.amazonaws.com:80');
    const pg = cfg('poc', 'postgres-1');
    expect(pg.roles).toEqual(['postgres_role']);
    expect(pg.postgresql.listen_address).toBe('0.0.0.0');
    expect(pg.postgresql.md5_auth_cidr_addresses).toEqual(['10.20.0.0/16']);
    expect(pg.postgresql.trust_auth_cidr_addresses).toEqual(['127.0.0.1/32']);
    expect(pg.postgresql.sql_user_password).toBe(md5('secret:gitlab-db-password' + 'gitlab'));
    const redis = cfg('poc', 'redis-1');
    expect(redis.roles).toEqual(['redis_master_role']);
    expect(redis.redis).toMatchObject({ bind: '0.0.0.0', port: 6379, password: 'secret:redis-password' });
  });
});

describe('2K: separate Sidekiq, one seed Rails node', () => {
  it('migrates on the first Rails node only', () => {
    expect(cfg('2k', 'rails-1').gitlab_rails.auto_migrate).toBe(true);
    expect(cfg('2k', 'rails-2').gitlab_rails.auto_migrate).toBe(false);
    expect(cfg('2k', 'sidekiq-1').gitlab_rails.auto_migrate).toBe(false);
    expect(cfg('2k', 'rails-1').gitlab_rails.initial_root_password).toBe('secret:initial-root-password');
    expect(cfg('2k', 'rails-2').gitlab_rails.initial_root_password).toBeUndefined();
  });

  it('has Gitaly call the Rails internal API through the internal load balancer, not one Rails node', () => {
    expect(cfg('2k', 'gitaly-1').gitlab_rails.internal_api_url).toBe(`http://${ILB}:80`);
    expect(ips('2k', 'rails')).toHaveLength(2);
  });

  it('runs Sidekiq on its own node with the same database, Redis, Gitaly and buckets as Rails', () => {
    const rails = cfg('2k', 'rails-2');
    const sidekiq = cfg('2k', 'sidekiq-1');
    expect(rails.sidekiq.enable).toBe(false);
    expect(sidekiq.roles).toEqual(['sidekiq_role']);
    expect(sidekiq.sidekiq.listen_address).toBe('0.0.0.0');
    for (const key of ['db_host', 'db_port', 'redis_host', 'repositories_storages', 'object_store', 'backup_upload_remote_directory']) {
      expect(sidekiq.gitlab_rails[key]).toEqual(rails.gitlab_rails[key]);
    }
  });

  it('uses one bucket per type through the instance profile', () => {
    const os = cfg('2k', 'rails-1').gitlab_rails.object_store;
    expect(os.connection).toEqual({ provider: 'AWS', region: 'eu-west-1', use_iam_profile: true });
    expect(os.objects.artifacts.bucket).toBe('acme-prod-gitlab-artifacts');
    expect(os.objects.external_diffs.bucket).toBe('acme-prod-gitlab-mr-diffs');
    expect(os.objects.dependency_proxy.bucket).toBe('acme-prod-gitlab-dependency-proxy');
    expect(os.objects.terraform_state.bucket).toBe('acme-prod-gitlab-terraform-state');
    const rails = cfg('2k', 'rails-1');
    expect(rails.gitlab_rails.backup_upload_remote_directory).toBe('acme-prod-gitlab-backups');
    expect(rails.gitlab_rails.ci_secure_files_object_store_remote_directory).toBe('acme-prod-gitlab-ci-secure-files');
    // The container registry is not enabled: no storage settings, no bucket.
    expect(rails.registry).toBeUndefined();
    expect(rails.gitlab_rails.registry_enabled).toBeUndefined();
    expect(JSON.stringify(rails)).not.toMatch(/aws_access_key_id|aws_secret_access_key/);
  });

  it('3k: scrapes Consul, Patroni, Redis, Praefect and Gitaly under the job names of the shipped alert rules', () => {
    const jobs = cfg('3k', 'monitoring-1').prometheus.scrape_configs as { job_name: string; metrics_path?: string; params?: Record<string, string[]>; static_configs: { targets: string[] }[] }[];
    const job = (name: string) => jobs.find((j) => j.job_name === name)!;
    expect(job('consul')).toMatchObject({ metrics_path: '/v1/agent/metrics', params: { format: ['prometheus'] } });
    expect(job('consul').static_configs[0].targets).toEqual(ips('3k', 'consul').map((ip) => `${ip}:8500`));
    expect(job('patroni').static_configs[0].targets).toEqual(ips('3k', 'postgres').map((ip) => `${ip}:8008`));
    expect(job('redis').static_configs[0].targets).toEqual(ips('3k', 'redis').map((ip) => `${ip}:9121`));
    expect(job('praefect').static_configs[0].targets).toEqual(ips('3k', 'praefect').map((ip) => `${ip}:9652`));
    expect(job('gitaly').static_configs[0].targets).toEqual(ips('3k', 'gitaly').map((ip) => `${ip}:9236`));
    // One postgres job for both databases (the exporter's alert rules use job="postgres").
    expect(job('postgres').static_configs[0].targets).toEqual([...ips('3k', 'praefect-postgres'), ...ips('3k', 'postgres')].map((ip) => `${ip}:9187`));
    expect(job('gitlab-rails').metrics_path).toBe('/-/metrics');
    expect(new Set(jobs.map((j) => j.job_name)).size).toBe(jobs.length);
    expect(cfg('3k', 'consul-1').consul.configuration).toMatchObject({ client_addr: '0.0.0.0', telemetry: { prometheus_retention_time: '60s' } });
  });

  it('opens health and metrics endpoints to the monitoring node, loopback and the load balancers\' health checks, never the VPC', () => {
    expect(cfg('2k', 'rails-1').gitlab_rails.monitoring_whitelist).toEqual([`${ips('2k', 'monitoring')[0]}/32`, '127.0.0.0/8']);
    const t = topology('2k', {});
    const withLb = renderGitlabRb({ ...t, healthCheckCidrs: ['10.20.128.0/20'] }, 'rails-1');
    expect(withLb).toContain(`gitlab_rails['monitoring_whitelist'] = ['${ips('2k', 'monitoring')[0]}/32', '127.0.0.0/8', '10.20.128.0/20']`);
    for (const [name, s] of Object.entries(settings)) if (s.gitlab_rails?.monitoring_whitelist) expect([name, s.gitlab_rails.monitoring_whitelist]).not.toContainEqual('10.20.0.0/16');
  });

  it('has Prometheus scrape every node exporter and each role exporter', () => {
    const jobs = cfg('2k', 'monitoring-1').prometheus.scrape_configs as { job_name: string; static_configs: { targets: string[] }[] }[];
    const targets = jobs.flatMap((j) => j.static_configs[0].targets);
    for (const n of topologies['2k'].nodes) expect(targets).toContain(`${n.privateIp}:9100`);
    expect(targets).toContain(`${ips('2k', 'gitaly')[0]}:9236`);
    expect(targets).toContain(`${ips('2k', 'postgres')[0]}:9187`);
    expect(targets).toContain(`${ips('2k', 'redis')[0]}:9121`);
    expect(targets).toContain(`${ips('2k', 'sidekiq')[0]}:8082`);
    expect(cfg('2k', 'monitoring-1').prometheus.listen_address).toBe('0.0.0.0:9090');
    expect(cfg('2k', 'rails-1').gitlab_rails.prometheus_address).toBe(`${ips('2k', 'monitoring')[0]}:9090`);
  });
});

describe('5K: the 3K layout on bigger machines', () => {
  it('renders Gitaly Cluster behind the internal load balancer, Redis through Sentinel and three Patroni members', () => {
    const rails = cfg('5k', 'rails-3');
    expect(rails.gitlab_rails.repositories_storages.default.gitaly_address).toBe(`tls://${ILB}:3305`);
    expect(rails.gitlab_rails.redis_sentinels).toEqual(ips('5k', 'redis').map((host) => ({ host, port: 26379 })));
    expect(rails.gitlab_rails.db_port).toBe(6432);
    expect(cfg('5k', 'praefect-1').praefect.configuration.virtual_storage[0].default_replication_factor).toBe(3);
    expect(cfg('5k', 'redis-2').roles).toEqual(['redis_replica_role', 'redis_sentinel_role']);
    // One Redis below 10k: the cache lives in it, under the single-cluster master name.
    expect(cfg('5k', 'redis-2').redis.master_name).toBe('gitlab-redis');
    expect(rails.gitlab_rails.redis_cache_instance).toBeUndefined();
    expect(cfg('5k', 'postgres-1').roles).toContain('patroni_role');
  });
});

describe.each(['10k', '25k', '50k'])('%s: Redis split into a persistent and a cache cluster (GitLab\'s 10K page)', (size) => {
  it('makes the first node of each cluster its primary, the others replicas, each with a Sentinel of its own cluster', () => {
    for (const [role, masterName, password] of [
      ['redis', 'gitlab-redis-persistent', 'secret:redis-password'],
      ['redis-cache', 'gitlab-redis-cache', 'secret:redis-cache-password'],
    ] as const) {
      const nodes = nodesOf(topologies[size], role).map((n) => n.name);
      expect(nodes).toHaveLength(3);
      expect(cfg(size, nodes[0]).roles).toEqual(['redis_master_role', 'redis_sentinel_role']);
      for (const n of nodes.slice(1)) expect(cfg(size, n).roles).toEqual(['redis_replica_role', 'redis_sentinel_role']);
      for (const n of nodes) {
        expect(cfg(size, n).redis).toMatchObject({ bind: '0.0.0.0', port: 6379, password, master_name: masterName, master_password: password, master_ip: ips(size, role)[0], master_port: 6379 });
        expect(cfg(size, n).sentinel).toMatchObject({ bind: '0.0.0.0', port: 26379, quorum: 2 });
        expect(cfg(size, n).redis_exporter.listen_address).toBe('0.0.0.0:9121');
      }
    }
  });

  it('runs the cache as an LRU that evicts when full, and never lets the persistent cluster evict', () => {
    expect(cfg(size, 'redis-cache-2').redis).toMatchObject({ maxmemory: '13500mb', maxmemory_policy: 'allkeys-lru', maxmemory_samples: 5 });
    for (const key of ['maxmemory', 'maxmemory_policy', 'maxmemory_samples']) expect(cfg(size, 'redis-2').redis[key]).toBeUndefined();
    const custom = renderGitlabRb({ ...topologies[size], redisCacheMaxMemoryMb: 27000 }, 'redis-cache-1');
    expect(custom).toContain("redis['maxmemory'] = '27000mb'");
  });

  it('points Rails and Sidekiq at both clusters: the cache through its Sentinels, everything else through the persistent ones', () => {
    for (const node of ['rails-1', 'rails-3', 'sidekiq-4']) {
      const c = cfg(size, node);
      expect(c.redis).toEqual({ enable: false, master_name: 'gitlab-redis-persistent', master_password: 'secret:redis-password' });
      expect(c.gitlab_rails.redis_sentinels).toEqual(ips(size, 'redis').map((host) => ({ host, port: 26379 })));
      expect(c.gitlab_rails.redis_cache_instance).toBe('redis://:secret:redis-cache-password@gitlab-redis-cache');
      expect(c.gitlab_rails.redis_cache_sentinels).toEqual(ips(size, 'redis-cache').map((host) => ({ host, port: 26379 })));
      expect(c.gitlab_rails.redis_host).toBeUndefined();
    }
  });
});

describe('10K on ElastiCache: two replication groups', () => {
  it('sends the default Redis to the persistent group and the cache class to the cache group, both over TLS', () => {
    const c = cfg('10k-managed', 'sidekiq-1');
    expect(c.gitlab_rails).toMatchObject({ redis_host: 'master.gitlab-redis.abcdef.euw1.cache.amazonaws.com', redis_port: 6379, redis_ssl: true, redis_password: 'secret:redis-password' });
    expect(c.gitlab_rails.redis_cache_instance).toBe('rediss://:secret:redis-cache-password@master.gitlab-redis-cache.abcdef.euw1.cache.amazonaws.com:6379');
    expect(c.gitlab_rails.redis_cache_sentinels).toBeUndefined();
    expect(c.redis).toEqual({ enable: false });
    expect(nodesOf(topologies['10k-managed'], 'redis-cache')).toEqual([]);
  });
});

describe('3K: Gitaly Cluster, Patroni, PgBouncer, Redis with Sentinel on the same nodes', () => {
  it('sends Rails to PgBouncer and Praefect through the internal load balancer, Redis through Sentinel', () => {
    const rails = cfg('3k', 'rails-2');
    expect(rails.gitlab_rails.db_host).toBe(ILB);
    expect(rails.gitlab_rails.db_port).toBe(6432);
    expect(rails.gitlab_rails.repositories_storages.default).toEqual({ gitaly_address: `tls://${ILB}:3305`, gitaly_token: 'secret:praefect-external-token' });
    expect(rails.redis.master_name).toBe('gitlab-redis');
    expect(rails.redis.master_password).toBe('secret:redis-password');
    expect(rails.gitlab_rails.redis_sentinels).toEqual(ips('3k', 'redis').map((host) => ({ host, port: 26379 })));
  });

  it('routes the default virtual storage to all three Gitaly nodes with replication factor 3', () => {
    const praefect = cfg('3k', 'praefect-2').praefect;
    expect(praefect.enable).toBe(true);
    expect(praefect.configuration.tls_listen_addr).toBe('0.0.0.0:3305');
    expect(praefect.configuration.tls).toEqual({ certificate_path: '/etc/gitlab/ssl/gitlab-node.crt', key_path: '/etc/gitlab/ssl/gitlab-node.key' });
    expect(praefect.configuration.listen_addr).toBeUndefined();
    expect(praefect.configuration.prometheus_listen_addr).toBe('0.0.0.0:9652');
    expect(praefect.configuration.auth.token).toBe('secret:praefect-external-token');
    const [vs] = praefect.configuration.virtual_storage;
    expect(vs.name).toBe('default');
    expect(vs.default_replication_factor).toBe(3);
    expect(vs.node).toEqual(nodesOf(topologies['3k'], 'gitaly').map((g) => ({ storage: g.name, address: `tls://${g.privateIp}:9999`, token: 'secret:gitaly-token' })));
    expect(praefect.configuration.database).toEqual({
      host: ips('3k', 'praefect-postgres')[0],
      port: 5432,
      dbname: 'praefect_production',
      user: 'praefect',
      password: 'secret:praefect-db-password',
      sslmode: 'disable',
    });
    expect(cfg('3k', 'praefect-1').praefect.auto_migrate).toBe(true);
    expect(praefect.auto_migrate).toBe(false);
    // Each Gitaly's storage name is the one Praefect addresses it by.
    for (const g of nodesOf(topologies['3k'], 'gitaly')) {
      const conf = cfg('3k', g.name).gitaly.configuration;
      expect(conf.storage).toEqual([{ name: g.name, path: '/var/opt/gitlab/git-data/repositories' }]);
      expect(conf.auth.token).toBe('secret:gitaly-token');
    }
  });

  it('configures Patroni members, trusting only each other, with hashed passwords', () => {
    const pg = cfg('3k', 'postgres-2');
    expect(pg.roles).toEqual(['patroni_role', 'pgbouncer_role']);
    expect(pg.patroni.postgresql).toEqual({ max_replication_slots: 6, max_wal_senders: 7 });
    expect(pg.patroni.connect_address).toBe(ips('3k', 'postgres')[1]);
    expect(pg.patroni.password).toBe('secret:patroni-api-password');
    expect(pg.postgresql.trust_auth_cidr_addresses).toEqual([...ips('3k', 'postgres').map((ip) => `${ip}/32`), '127.0.0.1/32']);
    expect(pg.postgresql.pgbouncer_user_password).toBe(md5('secret:pgbouncer-password' + 'pgbouncer'));
    expect(pg.postgresql.sql_replication_password).toBe(md5('secret:replication-password' + 'gitlab_replicator'));
    expect(pg.consul.configuration.retry_join).toEqual(ips('3k', 'consul'));
    expect(pg.consul.configuration.encrypt).toBe('secret:consul-gossip-key');
    expect(pg.consul.services).toEqual(['postgresql']);
    const pgb = cfg('3k', 'pgbouncer-1');
    expect(pgb.roles).toEqual(['pgbouncer_role']);
    expect(pgb.pgbouncer.listen_port).toBe(6432);
    expect(pgb.pgbouncer.users).toEqual({ pgbouncer: { password: md5('secret:pgbouncer-password' + 'pgbouncer') } });
    expect(pgb.consul.watchers).toEqual(['postgresql']);
  });

  it('spreads reads over every Patroni member through the PgBouncer each runs locally (Database Load Balancing)', () => {
    for (const app of ['rails-1', 'rails-3', 'sidekiq-2']) {
      const rails = cfg('3k', app).gitlab_rails;
      expect(rails.db_load_balancing).toEqual({ hosts: ips('3k', 'postgres') });
      // GitLab reads the hosts on db_port: the PgBouncer port each member listens on.
      expect(rails.db_port).toBe(6432);
    }
    for (const n of nodesOf(topologies['3k'], 'postgres')) {
      const pgb = cfg('3k', n.name).pgbouncer;
      expect(pgb).toMatchObject({ listen_addr: '0.0.0.0', listen_port: 6432 });
      expect(pgb.databases).toEqual({ gitlabhq_production: { host: '127.0.0.1', user: 'pgbouncer', password: md5('secret:pgbouncer-password' + 'pgbouncer') } });
    }
    // RDS has no readable standby and no replicas here: no load balancing, and no PgBouncer.
    for (const v of ['3k-managed', '3k-rds-only', '2k', 'poc']) expect([v, cfg(v, 'rails-1').gitlab_rails.db_load_balancing]).toEqual([v, undefined]);
  });

  it('runs three Consul servers (Patroni only), and Redis primary + two replicas each with its Sentinel', () => {
    const consul = cfg('3k', 'consul-1');
    expect(consul.roles).toEqual(['consul_role']);
    expect(consul.consul.configuration).toMatchObject({ server: true, bootstrap_expect: 3, retry_join: ips('3k', 'consul') });
    expect(consul.sentinel).toBeUndefined();
    expect(consul.redis).toBeUndefined();
    expect(cfg('3k', 'redis-1').roles).toEqual(['redis_master_role', 'redis_sentinel_role']);
    expect(cfg('3k', 'redis-2').roles).toEqual(['redis_replica_role', 'redis_sentinel_role']);
    for (const n of ['redis-1', 'redis-2', 'redis-3']) {
      expect(cfg('3k', n).sentinel).toMatchObject({ bind: '0.0.0.0', port: 26379, quorum: 2 });
      expect(cfg('3k', n).redis).toMatchObject({ master_ip: ips('3k', 'redis')[0], master_name: 'gitlab-redis', master_password: 'secret:redis-password' });
    }
  });

  it('lets the seed Rails node migrate only on the Patroni leader, never through PgBouncer after first boot', () => {
    // Evaluated without the boot script's db-direct-host file, as every later reconfigure is.
    expect(cfg('3k', 'rails-1').gitlab_rails.auto_migrate).toBe(false);
    expect(rendered['3k/rails-1']).toContain("gitlab_rails['auto_migrate'] = File.exist?('/etc/gitlab-node/db-direct-host')");
    expect(cfg('3k-rds-only', 'rails-1').gitlab_rails.auto_migrate).toBe(true); // RDS: no PgBouncer in between
  });

  it('lets only the seed Rails node switch to the Patroni leader for migrations', () => {
    expect(rendered['3k/rails-1']).toContain("db_direct_host = '/etc/gitlab-node/db-direct-host'");
    expect(rendered['3k/rails-2']).not.toContain('db_direct_host');
    expect(rendered['3k-rds-only/rails-1']).not.toContain('db_direct_host');
  });
});

describe('managed-service variants', () => {
  it('2K managed: Rails uses RDS over verified TLS as its own "gitlab" user (never the RDS master user) and ElastiCache with TLS', () => {
    const rails = cfg('2k-managed', 'rails-1');
    expect(rails.gitlab_rails.db_host).toBe('gitlab-db.abcdefgh.eu-west-1.rds.amazonaws.com');
    expect(rails.gitlab_rails.db_port).toBe(5432);
    expect(rails.gitlab_rails.db_sslmode).toBe('verify-full');
    expect(rails.gitlab_rails.db_sslrootcert).toBe('/usr/local/share/gitlab-node/rds-ca-bundle.pem');
    expect(rails.gitlab_rails.db_username).toBe('gitlab');
    expect(rails.gitlab_rails.db_password).toBe('secret:gitlab-db-password');
    expect(rails.gitlab_rails.redis_host).toBe('master.gitlab-redis.abcdef.euw1.cache.amazonaws.com');
    expect(rails.gitlab_rails.redis_ssl).toBe(true);
    expect(rails.gitlab_rails.redis_password).toBe('secret:redis-password');
    expect(topologies['2k-managed'].nodes.some((n) => n.role === 'postgres' || n.role === 'redis')).toBe(false);
  });

  it('3K managed: Rails goes straight to RDS (no PgBouncer), Praefect uses its own RDS, no Consul', () => {
    const rails = cfg('3k-managed', 'rails-1');
    expect(rails.gitlab_rails.db_host).toBe('gitlab-db.abcdefgh.eu-west-1.rds.amazonaws.com');
    expect(rails.gitlab_rails.repositories_storages.default.gitaly_address).toBe(`tls://${ILB}:3305`);
    const db = cfg('3k-managed', 'praefect-1').praefect.configuration.database;
    expect(db).toMatchObject({ host: 'praefect-db.abcdefgh.eu-west-1.rds.amazonaws.com', sslmode: 'verify-full', sslrootcert: '/usr/local/share/gitlab-node/rds-ca-bundle.pem', user: 'praefect', password: 'secret:praefect-db-password' });
    // Nothing rendered reads the RDS master secret: only the seed node's boot step does, to manage these logins.
    for (const [name, text] of Object.entries(rendered)) if (name.includes('managed')) expect([name, text]).not.toEqual([name, expect.stringMatching(/master-(username|password)/)]);
    expect(nodesOf(topologies['3k-managed'], 'consul')).toEqual([]);
  });

  it('3K with RDS only needs no Consul (Sentinel is on the Redis nodes); with ElastiCache only, Consul serves Patroni', () => {
    expect(nodesOf(topologies['3k-rds-only'], 'consul')).toEqual([]);
    expect(cfg('3k-rds-only', 'redis-2').roles).toEqual(['redis_replica_role', 'redis_sentinel_role']);
    expect(cfg('3k-elasticache-only', 'consul-1').roles).toEqual(['consul_role']);
    const rails = cfg('3k-elasticache-only', 'rails-1');
    expect(rails.gitlab_rails.redis_ssl).toBe(true);
    expect(rails.gitlab_rails.redis_password).toBeUndefined(); // no AUTH token configured
  });
});

describe('gitlab-secrets.json is not needed on Gitaly and Praefect', () => {
  it('gives every Gitaly the GitLab Shell secret Rails uses, and Praefect the tokens, explicitly, in every variant', () => {
    // 1k has neither: its Gitaly is on the all-in-one node's socket (see the 1k tests).
    for (const [variant, t] of Object.entries(topologies).filter(([, x]) => x.size !== '1k')) {
      const shell = cfg(variant, 'rails-1').gitlab_shell.secret_token;
      expect(shell).toBe('secret:gitlab-shell-token');
      for (const g of nodesOf(t, 'gitaly')) expect([variant, g.name, cfg(variant, g.name).gitlab_shell.secret_token]).toEqual([variant, g.name, shell]);
      for (const p of nodesOf(t, 'praefect')) {
        expect(cfg(variant, p.name).praefect.configuration.auth.token).toBe(cfg(variant, 'rails-1').gitlab_rails.repositories_storages.default.gitaly_token);
      }
    }
  });
});

describe('no secret ever appears in a rendered gitlab.rb', () => {
  const SECRET_KEYS = /(password|token|secret|encrypt)/i;
  it('every secret-like setting is a boot-time look-up', () => {
    const literals: string[] = [];
    const walk = (name: string, path: string, value: unknown) => {
      if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) walk(name, `${path}.${k}`, v);
        return;
      }
      const key = path.split('.').pop()!;
      if (!SECRET_KEYS.test(key) || typeof value !== 'string') return;
      // Looked-up values read "secret:<name>"; md5 hashes are computed from them at reconfigure.
      if (value.startsWith('secret:') || /^[0-9a-f]{32}$/.test(value)) return;
      literals.push(`${name}${path} = ${value}`);
    };
    for (const [name, s] of Object.entries(settings)) walk(name, '', s);
    expect(literals).toEqual([]);
  });

  it('contains no quoted value next to a secret-like key in the source', () => {
    for (const [name, content] of Object.entries(rendered)) {
      const offenders = content.split('\n').filter((l) => SECRET_KEYS.test(l) && /(=|=>|:)\s*['"][^'"]{6,}['"]/.test(l) && !/boot_secret|pg_md5|secret_token'\] = boot/.test(l) && !/^\s*#/.test(l));
      expect({ name, offenders }).toEqual({ name, offenders: [] });
    }
  });
});
