import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { workspaceRoot } from '../workspace/root';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// The scheduled mutation benchmark (.gitlab/ci/mutation.yml) as written; gitlab-ci-local.test.ts
// proves which jobs each pipeline kind really runs.
const root = workspaceRoot();
const ci = parse(readFileSync(join(root, '.gitlab-ci.yml'), 'utf8')) as Json;
const mutation = parse(readFileSync(join(root, '.gitlab/ci/mutation.yml'), 'utf8')) as Json;
const KEYWORDS = new Set(['workflow', 'stages', 'variables', 'default', 'include']);

describe('scheduled mutation benchmark', () => {
  it('is included by .gitlab-ci.yml, and schedules pass its workflow', () => {
    expect(ci.include).toContainEqual({ local: '.gitlab/ci/mutation.yml' });
    expect(ci.workflow.rules[0]).toEqual({ if: '$CI_PIPELINE_SOURCE == "schedule"' });
  });

  it('keeps every job of .gitlab-ci.yml out of scheduled pipelines', () => {
    const jobs = Object.keys(ci).filter((k) => !KEYWORDS.has(k) && !k.startsWith('.'));
    expect(jobs.map((j) => [j, ci[j].extends, ci[j].rules])).toEqual(jobs.map((j) => [j, '.not-scheduled', undefined]));
    expect(ci['.not-scheduled'].rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "schedule"', when: 'never' }, { when: 'on_success' }]);
  });

  it('runs on schedules only, one job per package with a StrykerJS configuration, each keeping its incremental file', () => {
    const job = mutation.mutation;
    expect(job.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "schedule"' }]);
    const configured = readdirSync(join(root, 'packages')).filter((p) => existsSync(join(root, 'packages', p, 'stryker.config.mjs')));
    expect([...job.parallel.matrix[0].PACKAGE].sort()).toEqual(configured.sort());
    expect(job.script).toEqual(['npm run mutation -- $PACKAGE --incremental --concurrency 2']);
    expect(job.cache).toContainEqual({ key: 'mutation-$PACKAGE', paths: ['reports/mutation/$PACKAGE/stryker-incremental.json'] });
    expect(job.artifacts).toMatchObject({ when: 'always', paths: ['reports/mutation/$PACKAGE/'] });
  });
});
