import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadEnvironments } from '@gitlab-aws/core';
import { PIPELINE_VARIABLE_NAMES } from '@gitlab-aws/hub-account';
import { environmentApps } from '../workspace/environment-apps';
import { workspaceRoot } from '../workspace/root';
import { COMMANDS } from './cli';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const root = workspaceRoot();
const ci = parse(readFileSync(join(root, '.gitlab-ci.yml'), 'utf8')) as Json;
const KEYWORDS = new Set(['workflow', 'stages', 'variables', 'default', 'include', 'image', 'services', 'cache', 'before_script', 'after_script']);

/** A job with its `extends` templates merged in (GitLab merges hashes deeply, other values replace). */
function resolve(name: string): Json {
  const job = ci[name] as Json;
  const parents = [job.extends ?? []].flat().map((p: string) => resolve(p));
  const merge = (a: Json, b: Json): Json => {
    const out: Json = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = v && typeof v === 'object' && !Array.isArray(v) && typeof a[k] === 'object' && !Array.isArray(a[k]) ? merge(a[k], v) : v;
    return out;
  };
  return [...parents, job].reduce(merge, {});
}

const jobs = Object.fromEntries(
  Object.keys(ci)
    .filter((k) => !KEYWORDS.has(k) && !k.startsWith('.'))
    .map((k) => [k, resolve(k)]),
);
/** Every command a job runs, with its job variables and environment name substituted. */
function commands(job: Json): string[] {
  const lines = [...(ci.default?.before_script ?? []), ...(job.before_script ?? []), ...(job.script ?? []), ...(job.after_script ?? [])] as string[];
  const vars: Record<string, string> = { ...(job.variables ?? {}), ...(job.environment ? { CI_ENVIRONMENT_NAME: job.environment.name } : {}) };
  return lines.map((l) => l.replace(/\$\{?(\w+)\}?/g, (m, v: string) => vars[v] ?? m));
}
const nxJson = JSON.parse(readFileSync(join(root, 'nx.json'), 'utf8')) as Json;
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Json;
const deploysTo = (job: Json): string[] => commands(job).flatMap((c) => [...c.matchAll(/cli\.ts deploy (\S+)|nx run (\S+):deploy|cdktf deploy/g)].map((m) => m[1] ?? m[2] ?? '*'));
const mainOnly = (job: Json) => job.rules.every((r: Json) => r.if === '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH');

describe('.gitlab-ci.yml', () => {
  it('runs merge requests and the default branch, without duplicate branch pipelines', () => {
    expect(ci.workflow.rules.map((r: Json) => [r.if, r.when])).toEqual([
      ['$CI_PIPELINE_SOURCE == "merge_request_event"', undefined],
      ['$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS', 'never'],
      ['$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', undefined],
    ]);
  });

  it('has every job in a declared stage, deploy stages in the order dev, staging, prod', () => {
    for (const [name, job] of Object.entries(jobs)) expect([name, ci.stages.includes(job.stage ?? 'test')]).toEqual([name, true]);
    expect(ci.stages.filter((s: string) => s.startsWith('deploy-'))).toEqual(['deploy-dev', 'deploy-staging', 'deploy-prod']);
    expect(Object.entries(jobs).filter(([, j]) => deploysTo(j).length).map(([n, j]) => [n, j.stage])).toEqual([
      ['deploy:dev', 'deploy-dev'],
      ['deploy:staging', 'deploy-staging'],
      ['deploy:prod', 'deploy-prod'],
      ['deploy:gitlab-poc', 'deploy-dev'],
      ['deploy:gitlab-2k', 'deploy-staging'],
      ['deploy:gitlab-3k', 'deploy-prod'],
    ]);
  });

  it('caches node_modules by lockfile and the Nx cache by branch', () => {
    const [node, nx] = ci.default.cache;
    expect(node).toMatchObject({ key: { files: ['package-lock.json'] }, paths: expect.arrayContaining(['node_modules/']) });
    expect(nx.paths).toEqual(['.nx/cache/']);
    expect(ci.variables.NX_CACHE_DIRECTORY).toBe('$CI_PROJECT_DIR/.nx/cache');
    expect(ci.variables.GIT_DEPTH).toBe('0');
  });

  it('verifies merge requests with nx affected -t lint test synth plan, keeping reports and JUnit results', () => {
    const verify = jobs.verify;
    expect(verify.rules.map((r: Json) => r.if)).toContain('$CI_PIPELINE_SOURCE == "merge_request_event"');
    const affected = commands(verify).find((c) => c.includes('cli.ts affected'))!;
    expect(affected.split(' -t ')[1].split(' ')).toEqual(expect.arrayContaining(['lint', 'test', 'synth', 'plan']));
    expect(verify.artifacts.when).toBe('always');
    expect(verify.artifacts.reports.junit).toBe('reports/junit/*.xml');
    expect(commands(verify)).toContain('npx tsx tools/src/ci/cli.ts junit reports/junit');
    expect(verify.artifacts.paths).toEqual(expect.arrayContaining(['reports/', 'apps/*/.verify/report.json']));
  });

  it('only calls files, npm scripts, commands and Nx targets that exist', () => {
    const targets = new Set(Object.keys(nxJson.targetDefaults));
    for (const [name, job] of Object.entries(jobs)) {
      for (const line of commands(job)) {
        for (const m of line.matchAll(/npx tsx (\S+)(?: (\S+))?/g)) {
          expect([name, m[1], existsSync(join(root, m[1]))]).toEqual([name, m[1], true]);
          if (m[1] === 'tools/src/ci/cli.ts') expect([name, m[2] in COMMANDS]).toEqual([name, true]);
        }
        for (const m of line.matchAll(/npm run (\S+)/g)) expect([name, m[1] in packageJson.scripts]).toEqual([name, true]);
        const t = /cli\.ts affected -t (.+)$/.exec(line);
        for (const target of t ? t[1].split(' ') : []) expect([name, target, targets.has(target)]).toEqual([name, target, true]);
        for (const m of line.matchAll(/cli\.ts (?:deploy|live-plan) (\S+)/g)) {
          expect([name, existsSync(join(root, 'apps', m[1], 'project.json')) || job.rules.some((r: Json) => r.exists?.includes(`apps/${m[1]}/project.json`))]).toEqual([name, true]);
        }
      }
    }
  });

  it('signs in with an ID token for the GitLab audience wherever a job needs AWS: plan role for plans, deploy role for deploys', () => {
    for (const [name, job] of Object.entries(jobs)) {
      const profile = commands(job).find((c) => c.includes('aws-profile'));
      if (!profile) continue;
      expect([name, job.id_tokens?.GITLAB_OIDC_TOKEN?.aud]).toEqual([name, '$CI_SERVER_URL']);
      expect([name, profile]).toEqual([name, `eval "$(npx tsx tools/src/ci/cli.ts aws-profile ${deploysTo(job).length ? 'deploy' : 'plan'})"`]);
    }
    expect(Object.values(PIPELINE_VARIABLE_NAMES)).toContain('AWS_HUB_DEPLOY_ROLE_ARN');
  });

  it('plans every spoke read-only in merge requests and never deploys from one', () => {
    for (const app of environmentApps(root)) {
      const env = loadEnvironments(join(root, 'environments')).find((e) => e.name === app.name)!;
      if (env.kind === 'spoke') expect(commands(jobs[`plan:${app.name}`])).toContain(`npx tsx tools/src/ci/cli.ts live-plan ${app.name}`);
    }
    for (const [name, job] of Object.entries(jobs)) {
      if (deploysTo(job).length) expect([name, job.rules.some((r: Json) => String(r.if).includes('merge_request_event'))]).toEqual([name, false]);
    }
  });

  it('deploys each spoke from the default branch only, in its own GitLab environment, one deployment at a time', () => {
    for (const [name, job] of Object.entries(jobs)) {
      const targets = deploysTo(job);
      if (!targets.length) continue;
      expect([name, targets]).toEqual([name, [job.environment.name]]);
      expect([name, mainOnly(job)]).toEqual([name, true]);
      expect(job.resource_group).toBe('$CI_ENVIRONMENT_NAME');
    }
  });

  it('runs deploys only on the protected runner fleet: their tags are served by protected fleets alone, and no other job carries them', () => {
    const hub = loadEnvironments(join(root, 'environments')).find((e) => e.kind === 'hub');
    const fleets = hub?.runners?.fleets ?? [];
    const protectedTags = new Set(fleets.filter((f) => f.protectedOnly).flatMap((f) => f.tags));
    const openTags = new Set(fleets.filter((f) => !f.protectedOnly).flatMap((f) => f.tags));
    expect(protectedTags.size).toBeGreaterThan(0);
    let deploys = 0;
    for (const [name, job] of Object.entries(jobs)) {
      const tags: string[] = job.tags ?? [];
      if (deploysTo(job).length) {
        deploys++;
        expect([name, tags.length > 0, tags.every((t) => protectedTags.has(t)), tags.some((t) => openTags.has(t))]).toEqual([name, true, true, false]);
      } else {
        expect([name, tags.filter((t) => protectedTags.has(t))]).toEqual([name, []]);
      }
    }
    expect(deploys).toBeGreaterThan(0);
  });

  it('never deploys prod (or any protected environment) without the manual, blocking, protected gate', () => {
    const hub = loadEnvironments(join(root, 'environments')).find((e) => e.kind === 'hub');
    const gated = new Set(['prod', ...(hub?.kind === 'hub' && hub.identity ? hub.identity.spokes.filter((s) => s.protected).map((s) => s.environment) : [])]);
    expect(hub?.kind === 'hub' && hub.identity?.spokes.find((s) => s.environment === 'prod')).toMatchObject({ protected: true, requiredApprovals: 1 });
    let checked = 0;
    for (const [name, job] of Object.entries(jobs)) {
      const targets = deploysTo(job);
      if (!targets.some((t) => gated.has(t) || t === '*')) continue;
      checked++;
      expect([name, job.environment?.name, job.environment?.deployment_tier]).toEqual([name, targets[0], 'production']);
      expect([name, job.rules.every((r: Json) => r.when === 'manual')]).toEqual([name, true]);
      expect([name, job.allow_failure]).toEqual([name, false]);
      expect([name, job.stage]).toEqual([name, 'deploy-prod']);
    }
    expect(checked).toBe(gated.size);
  });
});
