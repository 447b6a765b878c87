import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_FILE } from '@gitlab-aws/policy/src/report-text';

/**
 * Removes what a previous run left for each environment (offline plan report and plan JSON, guardrail
 * report, reports/<env>/), so that an environment whose synth or plan fails this time shows no
 * results at all rather than the last run's.
 */
export function clearPreviousResults(root: string, apps: readonly { name: string; dir: string }[]): void {
  for (const app of apps) {
    rmSync(join(app.dir, '.verify', 'report.json'), { force: true });
    rmSync(join(app.dir, '.verify', 'plans'), { recursive: true, force: true });
    rmSync(join(app.dir, 'cdktf.out', REPORT_FILE), { force: true });
    rmSync(join(root, 'reports', app.name), { recursive: true, force: true });
  }
}
