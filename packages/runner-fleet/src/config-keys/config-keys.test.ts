import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'smol-toml';
import { DEFAULT_RUNNER_VERSION, TEST_HUB, loadEnvironmentFile, testEnvironment } from '@gitlab-aws/core';
import { renderConfigToml } from '../config-toml';
import { RUNNER_KEY_DATA, tomlKeyPaths, unknownConfigKeys } from './check-keys';
import { runnerConfigKeys } from './go-toml-keys';

const workspace = join(__dirname, '..', '..', '..', '..');

function rendered(fleet: Parameters<typeof renderConfigToml>[0]['fleet']): unknown {
  return parse(
    renderConfigToml({
      fleet,
      name: 'n',
      gitlabUrl: 'https://gitlab.example.com',
      region: 'eu-west-1',
      cacheBucket: 'b',
      cachePrefix: fleet.name,
      workerGroupName: fleet.mode === 'autoscaler' ? 'w' : undefined,
      fleetingPlugin: 'aws:1',
    }),
  );
}

describe('config.toml keys against GitLab Runner', () => {
  it('come from the runner release the fleets install', () => {
    expect(RUNNER_KEY_DATA.source.tag).toBe(`v${DEFAULT_RUNNER_VERSION}`);
    expect(RUNNER_KEY_DATA.source.commit).toMatch(/^[0-9a-f]{40}$/);
    // A sample of keys the structs hold at that tag, so an empty or truncated file cannot pass.
    expect(RUNNER_KEY_DATA.keys).toEqual(expect.arrayContaining(['concurrent', 'runners.autoscaler.instance_ready_command', 'runners.cache.s3.AuthenticationType', 'runners.docker.tls_verify', 'runners.autoscaler.policy.scale_factor']));
    expect(RUNNER_KEY_DATA.keys.length).toBeGreaterThan(500);
  });

  it('exist for every key the example environments and every optional setting render', () => {
    const fleets = [
      ...loadEnvironmentFile(join(workspace, 'environments', 'devops.json')).runners!.fleets,
      ...testEnvironment(TEST_HUB, {
        runners: {
          fleets: [
            { name: 'all', tags: ['x'], privileged: true, idlePolicies: [{ periods: ['* * * * *'], idleCount: 1, scaleFactor: 0.5, scaleFactorLimit: 4 }] },
            { name: 'inst', mode: 'instance', tags: ['y'], protectedOnly: true },
          ],
        },
      }).runners!.fleets,
    ];
    for (const fleet of fleets) expect([fleet.name, unknownConfigKeys(rendered(fleet))]).toEqual([fleet.name, []]);
  });

  it('reports keys the runner does not know, plugin settings the plugin does not know, and accepts free-form tables', () => {
    const doc = parse(`
concurrent = 1
bogus = 2
[[runners]]
  name = "a"
  executor_typo = "docker"
  [runners.feature_flags]
    FF_ANYTHING = true
  [runners.autoscaler.plugin_config]
    name = "asg"
    regoin = "eu-west-1"
  [[runners.autoscaler.policy]]
    idle_count = 1
    idle_cuont = 2
`);
    expect(unknownConfigKeys(doc)).toEqual(['bogus', 'runners.executor_typo', 'runners.autoscaler.plugin_config.regoin', 'runners.autoscaler.policy.idle_cuont']);
  });

  it('flattens tables and arrays of tables, not arrays of values', () => {
    expect(tomlKeyPaths(parse('a = [1, 2]\n[b]\nc = 1\n[[d]]\ne = 1\n[[d]]\nf = [{ g = 1 }]\n'))).toEqual(['a', 'b', 'b.c', 'd', 'd.e', 'd.f', 'd.f.g']);
  });
});

describe('key extraction from Go structs', () => {
  let root: string;
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'go-keys-'));
    write('go.mod', 'module example.com/runner\n\ngo 1.22\n');
    write(
      'common/config.go',
      `package common

import (
	"time"

	"example.com/runner/cache/cacheconfig"
	ext "github.com/other/lib"
)

// Config is the root.
type Config struct {
	Concurrent int \`toml:"concurrent" json:"concurrent"\` // jobs
	Runners []*RunnerConfig \`toml:"runners"\`
	Hidden string \`toml:"-"\`
	Labels map[string]string \`toml:"labels,omitempty"\`
	Wait time.Duration \`toml:"wait"\`
}

type RunnerCredentials struct {
	URL, Token string
}

type RunnerConfig struct {
	Name string \`toml:"name"\`
	RunnerCredentials
	Cache *cacheconfig.Config \`toml:"cache,omitempty"\`
	Plugin Settings \`toml:"plugin_config"\`
	Other ext.Thing \`toml:"other"\`
	Self *RunnerConfig \`toml:"self"\`
	unexported int
	/* Old string \`toml:"old"\` */
}

type Settings map[string]any
`,
    );
    write('common/config_test.go', 'package common\n\ntype Config2 struct {\n\tX int `toml:"x"`\n}\n');
    write('cache/cacheconfig/cacheconfig.go', 'package cacheconfig\n\ntype Config struct {\n\tType string `toml:"Type,omitempty"`\n\tS3 *S3 `toml:"s3"`\n}\n\ntype S3 struct {\n\tBucketName string `toml:"BucketName"`\n}\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('follows nested structs, promotes embedded ones, opens maps and marks outside types opaque', () => {
    expect(runnerConfigKeys(root)).toEqual({
      keys: [
        'concurrent',
        'labels',
        'labels.*',
        'runners',
        'runners.Token',
        'runners.URL',
        'runners.cache',
        'runners.cache.Type',
        'runners.cache.s3',
        'runners.cache.s3.BucketName',
        'runners.name',
        'runners.other',
        'runners.other.*',
        'runners.plugin_config',
        'runners.plugin_config.*',
        // A struct that holds itself is listed once, not followed again.
        'runners.self',
        'wait',
      ],
      opaque: ['runners.other'],
    });
  });

  it('says what is wrong with a folder that is not a gitlab-runner checkout', () => {
    const empty = mkdtempSync(join(tmpdir(), 'go-keys-empty-'));
    expect(() => runnerConfigKeys(empty)).toThrow(/go\.mod/);
    writeFileSync(join(empty, 'go.mod'), 'module x\n');
    expect(() => runnerConfigKeys(empty)).toThrow('no common.Config struct; is this a gitlab-runner checkout?');
    rmSync(empty, { recursive: true, force: true });
  });
});
