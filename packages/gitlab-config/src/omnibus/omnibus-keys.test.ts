import { extractHashKeys, parseBracketPath, type OmnibusKeyList } from './omnibus-source';
import { bracketed, checkSettingKeys, compareVersions, OMNIBUS_KEYS, settingPaths } from './omnibus-keys';
import { DEFAULT_GITLAB_VERSION } from '@gitlab-aws/core';

const LIST: OmnibusKeyList = {
  source: { repository: 'gitlab-org/omnibus-gitlab', tag: '19.3.0+ee.0', version: '19.3.0', files: [] },
  generatedBy: 'test',
  keys: ['gitlab_rails', 'gitlab_rails.db_host', 'gitlab_rails.nginx', 'gitlab_rails.nginx.listen_port', 'gitaly', 'gitaly.configuration', 'nginx', 'nginx.listen_port', 'roles'],
  openHashes: ['gitaly.configuration'],
  deprecated: [
    { key: 'nginx.listen_port', deprecated: '19.2', replacement: 'gitlab_rails.nginx.listen_port', note: 'moved' },
    { key: 'mattermost', deprecated: '19.0', removed: '19.0', note: '' },
    { key: 'gitlab_rails.db_host', deprecated: '20.0', note: 'future' },
  ],
};

describe('checkSettingKeys', () => {
  it('accepts known keys, nested keys of open hashes and arrays as values', () => {
    expect(checkSettingKeys({ roles: ['application_role'], gitlab_rails: { db_host: 'x', nginx: { listen_port: 80 } }, gitaly: { configuration: { storage: [{ name: 'a' }], auth: { token: 't' } } } }, LIST)).toEqual([]);
  });

  it('names an unknown key with its full path, top level and nested', () => {
    expect(checkSettingKeys({ gitlab_rails: { db_hots: 'x', nginx: { listen_prot: 80 } }, nginxx: { a: 1 } }, LIST)).toEqual([
      { path: 'gitlab_rails.db_hots', kind: 'unknown', message: "gitlab_rails['db_hots'] is not a setting omnibus-gitlab 19.3.0 knows (19.3.0+ee.0)" },
      { path: 'gitlab_rails.nginx.listen_prot', kind: 'unknown', message: expect.stringContaining("gitlab_rails['nginx']['listen_prot']") },
      { path: 'nginxx.a', kind: 'unknown', message: expect.any(String) },
    ]);
  });

  it('reports deprecated keys with their replacement, and removed ones, but only from the version they apply', () => {
    const findings = checkSettingKeys({ nginx: { listen_port: 80 }, mattermost: { enable: true } }, LIST);
    expect(findings).toEqual([
      { path: 'nginx.listen_port', kind: 'deprecated', message: expect.stringMatching(/deprecated since 19\.2 .*use gitlab_rails\['nginx'\]\['listen_port'\]/) },
      { path: 'mattermost.enable', kind: 'removed', message: expect.stringContaining('removed (since 19.0)') },
    ]);
    expect(checkSettingKeys({ nginx: { listen_port: 80 } }, LIST, '19.1.0')).toEqual([]);
    expect(checkSettingKeys({ gitlab_rails: { db_host: 'x' } }, LIST, '19.3.0')).toEqual([]);
    expect(checkSettingKeys({ gitlab_rails: { db_host: 'x' } }, LIST, '20.0.0')).toEqual([expect.objectContaining({ kind: 'deprecated' })]);
  });

  it('treats a key used as a hash where omnibus knows only a scalar as unknown below it', () => {
    expect(checkSettingKeys({ gitlab_rails: { db_host: { a: 1 } } }, LIST).map((f) => f.path)).toEqual(['gitlab_rails.db_host.a']);
  });
});

describe('helpers', () => {
  it('walks hashes into dotted paths; arrays and empty hashes end a path', () => {
    expect(settingPaths({ a: { b: 1, c: [{ d: 1 }], e: {} }, f: null })).toEqual(['a.b', 'a.c', 'a.e', 'f']);
  });

  it('compares versions numerically', () => {
    expect(compareVersions('19.10', '19.9')).toBeGreaterThan(0);
    expect(compareVersions('19.2', '19.2.0')).toBe(0);
    expect(compareVersions('18.11.3', '19.0')).toBeLessThan(0);
    expect(bracketed('gitlab_rails.nginx.listen_port')).toBe("gitlab_rails['nginx']['listen_port']");
  });

  it('reads bracket paths and the keys of Ruby hash literals, not those inside arrays', () => {
    expect(parseBracketPath(`['gitlab']["gitlab_rails"]['db_host'] = nil`)).toEqual({ segments: ['gitlab', 'gitlab_rails', 'db_host'], consumed: 37 });
    expect(parseBracketPath(' = 1')).toBeUndefined();
    const literal = `{
      runtime_dir: "#{node['gitaly']['dir']}/run", # a comment: with colon
      'logging' => { dir: '/var/log', format: 'json' },
      storage: [{ name: 'default', path: '/x' }],
      :sym => 1,
    }`;
    expect(extractHashKeys(literal)).toEqual([['runtime_dir'], ['logging'], ['logging', 'dir'], ['logging', 'format'], ['storage'], ['sym']]);
  });
});

describe('the key list in the repository', () => {
  it('records its source tag, and the pinned GitLab version is the one it was read from', () => {
    expect(OMNIBUS_KEYS.source).toMatchObject({ repository: 'gitlab-org/omnibus-gitlab', tag: `${OMNIBUS_KEYS.source.version}+ee.0` });
    expect(DEFAULT_GITLAB_VERSION).toBe(OMNIBUS_KEYS.source.version);
    expect(DEFAULT_GITLAB_VERSION).toMatch(/^19\./);
  });

  it('knows the settings GitLab moved in 19.2 under their new name, and deprecates the old', () => {
    expect(OMNIBUS_KEYS.keys).toEqual(expect.arrayContaining(['gitlab_rails.nginx.listen_port', 'gitlab_rails.nginx.real_ip_trusted_addresses', 'gitlab_shell.secret_token', 'gitaly.configuration', 'roles', 'external_url']));
    expect(checkSettingKeys({ nginx: { listen_https: false } })).toEqual([expect.objectContaining({ kind: 'deprecated' })]);
    expect(checkSettingKeys({ nginx: { status: { options: { allow: ['127.0.0.1'] } } } })).toEqual([]);
  });
});
