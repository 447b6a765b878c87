import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceRoot } from '../workspace/root';
import { collectJestResults } from './jest-results';
import { ensureSystemTools, SYSTEM_TOOLS } from './system-tools';
import { NX_ONE_SHOT_ENV } from '../workspace/nx-env';

/**
 * `npm test`: type-check, lint and unit-test every project, then the integration test (synth of
 * every example environment and an offline plan of every AWS stack). Ends with one line,
 * "tests: N passed, N failed", adding up every jest run.
 */
function main(): number {
  const root = workspaceRoot();
  const reports = join(root, 'reports', 'jest');
  rmSync(reports, { recursive: true, force: true });
  const env = { ...process.env, ...NX_ONE_SHOT_ENV };
  const nx = (args: string[]) =>
    spawnSync(join(root, 'node_modules', '.bin', 'nx'), [...args, '--outputStyle=stream'], { cwd: root, stdio: 'inherit', env }).status ?? 1;

  const notEvaluated = ensureSystemTools(SYSTEM_TOOLS);
  // The web app's packages, before Nx runs tasks in parallel: its deps target would otherwise add
  // them while other projects' tests read node_modules.
  const webDeps = spawnSync(process.execPath, [join(root, 'tools', 'bin', 'web-deps.js')], { cwd: root, stdio: 'inherit' }).status ?? 1;
  const checks = webDeps === 0 ? nx(['run-many', '-t', 'typecheck', 'lint', 'test']) : webDeps;
  const integration = nx(['run', 'tools:integration']);

  const projects = JSON.parse(
    spawnSync(join(root, 'node_modules', '.bin', 'nx'), ['show', 'projects', '--withTarget', 'test', '--json'], { cwd: root, env, encoding: 'utf8' }).stdout,
  ) as string[];
  const totals = collectJestResults(reports, [...projects, 'tools-integration']);
  process.stdout.write('\n');
  for (const p of totals.perProject) process.stdout.write(`  ${p.project.padEnd(24)} ${p.passed} passed, ${p.failed} failed${p.skipped ? `, ${p.skipped} skipped` : ''}\n`);
  for (const m of totals.missing) process.stdout.write(`  ${m.padEnd(24)} NO RESULTS (the run did not finish)\n`);
  const failed = totals.failed + totals.missing.length;
  for (const t of notEvaluated) process.stdout.write(`  NOT EVALUATED: ${t.neededBy} (no ${t.command})\n`);
  process.stdout.write(`tests: ${totals.passed} passed, ${failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}\n`);
  return checks !== 0 || integration !== 0 || failed > 0 ? 1 : 0;
}

process.exit(main());
