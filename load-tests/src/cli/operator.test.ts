import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { environmentFixture, workspaceFixture } from '../testing/fixtures';
import { operatorMain } from './operator';

describe('k6-operator manifests', () => {
  const root = workspaceFixture({ 'gitlab-3k': environmentFixture('3k') });
  const bundle = join(mkdtempSync(join(tmpdir(), 'b-')), 'suite.js');
  writeFileSync(bundle, 'export const options = {};\n');

  it('writes a ConfigMap with the bundle and environment file, and a TestRun with N runners', () => {
    const out = mkdtempSync(join(tmpdir(), 'op-'));
    const lines: string[] = [];
    expect(operatorMain(['--environment', 'gitlab-3k', '--parallelism', '4', '--duration', '30m', '--out', out], (l) => lines.push(l), root, bundle)).toBe(0);
    const cm = parse(readFileSync(join(out, 'configmap.yaml'), 'utf8'));
    expect(cm).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gitlab-load-gitlab-3k-script', namespace: 'load-tests' } });
    expect(cm.data['suite.js']).toBe('export const options = {};\n');
    expect(JSON.parse(cm.data['environment.json']).gitlab.size).toBe('3k');

    const tr = parse(readFileSync(join(out, 'testrun.yaml'), 'utf8'));
    expect(tr).toMatchObject({ apiVersion: 'k6.io/v1alpha1', kind: 'TestRun', spec: { parallelism: 4, script: { configMap: { name: 'gitlab-load-gitlab-3k-script', file: 'suite.js' } } } });
    const env = Object.fromEntries((tr.spec.runner.env as Array<{ name: string; value?: string; valueFrom?: unknown }>).map((e) => [e.name, e.value ?? e.valueFrom]));
    expect(env).toMatchObject({
      LOAD_TEST_ENV_FILE: '/test/environment.json',
      LOAD_TEST_PARALLELISM: '4',
      LOAD_TEST_SUMMARY_STDOUT: 'true',
      LOAD_TEST_HOLD_SECONDS: '1800',
      GITLAB_TOKEN: { secretKeyRef: { name: 'gitlab-load-test-token', key: 'token' } },
    });
    expect(tr.spec.runner.image).toMatch(/^grafana\/k6:/);
    expect(lines[0]).toContain('3k mixed over 4 runners (each api 15, web 1.5, gitPull 1.5 RPS)');
  });

  it('rejects a missing or bad parallelism', () => {
    expect(() => operatorMain(['--environment', 'gitlab-3k'], () => undefined, root, bundle)).toThrow('--parallelism must be a whole number of runners');
    expect(() => operatorMain(['--environment', 'gitlab-3k', '--parallelism', '0'], () => undefined, root, bundle)).toThrow('--parallelism');
  });
});
