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
    expect(lines[0]).toContain('3k mixed over 4 runners [set by --parallelism] (each api 15, web 1.5, gitPull 1.5 RPS)');
    expect(tr.spec.runner.nodeSelector).toBeUndefined();
    expect(tr.spec.runner.tolerations).toBeUndefined();
  });

  it('rejects a bad parallelism, a bad capacity, both at once, and a bad pool name', () => {
    const run = (...args: string[]) => () => operatorMain(['--environment', 'gitlab-3k', ...args], () => undefined, root, bundle);
    expect(run('--parallelism', '0')).toThrow('--parallelism must be a whole number of runners');
    expect(run('--parallelism', '1.5')).toThrow('--parallelism must be a whole number of runners');
    expect(run('--rps-per-runner', '0')).toThrow('--rps-per-runner must be a positive number');
    expect(run('--rps-per-runner', 'fast')).toThrow('--rps-per-runner must be a positive number');
    expect(run('--parallelism', '2', '--rps-per-runner', '50')).toThrow('not both');
    expect(run('--parallelism', '2', '--node-pool', 'Load_Test')).toThrow('--node-pool Load_Test');
  });

  /** The TestRun and first log line of one run. */
  function operate(...args: string[]) {
    const out = mkdtempSync(join(tmpdir(), 'op-'));
    const lines: string[] = [];
    expect(operatorMain(['--environment', 'gitlab-3k', '--out', out, ...args], (l) => lines.push(l), root, bundle)).toBe(0);
    return { tr: parse(readFileSync(join(out, 'testrun.yaml'), 'utf8')), line: lines[0] };
  }

  it('sizes the runner count from the size\'s total rate when no parallelism is given, and says why', () => {
    // 3k mixed: api 60 + web 6 + gitPull 6 = 72 RPS.
    const byDefault = operate();
    expect(byDefault.tr.spec.parallelism).toBe(1);
    expect(byDefault.line).toContain('over 1 runners [72 RPS in all at 200 RPS per runner (the default; measure yours and pass --rps-per-runner)]');
    const small = operate('--rps-per-runner', '10');
    expect(small.tr.spec.parallelism).toBe(8);
    expect(small.line).toContain('over 8 runners [72 RPS in all at 10 RPS per runner] (each api 7.5,');
    const env = Object.fromEntries((small.tr.spec.runner.env as Array<{ name: string; value?: string }>).map((e) => [e.name, e.value]));
    expect(env.LOAD_TEST_PARALLELISM).toBe('8');
    expect(operate('--rps-per-runner', '72').tr.spec.parallelism).toBe(1);
    expect(operate('--rps-per-runner', '71.9').tr.spec.parallelism).toBe(2);
  });

  it('puts the runners on a tainted pool of their own when asked', () => {
    const { tr } = operate('--parallelism', '2', '--node-pool', 'load-test');
    expect(tr.spec.runner.nodeSelector).toEqual({ 'gitlab.com/node-pool': 'load-test' });
    expect(tr.spec.runner.tolerations).toEqual([{ key: 'gitlab.com/node-pool', operator: 'Equal', value: 'load-test', effect: 'NoSchedule' }]);
  });
});
