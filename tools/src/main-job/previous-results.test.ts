import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { REPORT_FILE } from '@gitlab-aws/policy';
import { workspaceRoot } from '../workspace/root';
import { clearPreviousResults } from './previous-results';

function previousRun(): { root: string; app: { name: string; dir: string }; files: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'previous-'));
  const app = { name: 'dev', dir: join(root, 'apps', 'dev') };
  const files = [join(app.dir, '.verify', 'report.json'), join(app.dir, '.verify', 'plans', 'dev-baseline.json'), join(app.dir, 'cdktf.out', REPORT_FILE), join(root, 'reports', 'dev', 'architecture.md')];
  for (const f of files) {
    mkdirSync(join(f, '..'), { recursive: true });
    writeFileSync(f, '{}');
  }
  return { root, app, files };
}

describe('no stale results after a failed synth', () => {
  it('the main job removes the previous report, plan JSON, guardrail report and reports/<env> before it runs', () => {
    const { root, app, files } = previousRun();
    const other = join(root, 'reports', 'prod', 'architecture.md');
    mkdirSync(join(other, '..'), { recursive: true });
    writeFileSync(other, 'x');
    clearPreviousResults(root, [app]);
    expect(files.filter((f) => existsSync(f))).toEqual([]);
    expect(existsSync(other)).toBe(true); // only the environments it runs
  });

  it('a synth that fails leaves neither synth output nor the previous offline plan report behind', () => {
    const { app, files } = previousRun();
    writeFileSync(join(app.dir, 'main.ts'), 'throw new Error("broken app");\n');
    const r = spawnSync(process.execPath, [join(workspaceRoot(), 'tools/bin/synth.js'), app.dir], { encoding: 'utf8', cwd: workspaceRoot() });
    expect(r.status).not.toBe(0);
    expect(files.slice(0, 3).filter((f) => existsSync(f))).toEqual([]);
    expect(existsSync(join(app.dir, 'cdktf.out'))).toBe(false);
  });
});
