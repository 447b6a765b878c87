import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { hubPipelineRoleArns, hubRoleArns, loadEnvironments, type EnvironmentConfig } from '@gitlab-aws/core';
import { workspaceRoot } from '../workspace/root';
import { childPipeline, CLI } from './child-pipeline';
import { COMMANDS } from './cli';
import { pipelineSource } from './generate';
import { deploymentOrder, deploymentTier, pipelineRoleArn } from './environment-order';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const root = workspaceRoot();
const ci = parse(readFileSync(join(root, '.gitlab-ci.yml'), 'utf8')) as Json;
const envs = loadEnvironments(join(root, 'environments'));
const KEYWORDS = new Set(['workflow', 'stages', 'variables', 'default', 'include', 'image', 'services', 'cache', 'before_script', 'after_script']);

/** A job of a pipeline, or an error naming the missing job and the jobs there are (never a TypeError). */
export function job(pipeline: Json, name: string, file = '.gitlab-ci.yml'): Json {
  const found = pipeline[name];
  if (!found || typeof found !== 'object') {
    const jobs = Object.keys(pipeline).filter((k) => !KEYWORDS.has(k) && !k.startsWith('.'));
    throw new Error(`${file} has no job "${name}"; its jobs: ${jobs.join(', ') || 'none'}`);
  }
  return found as Json;
}
const jobsOf = (p: Json) => Object.keys(p).filter((k) => !KEYWORDS.has(k) && !k.startsWith('.'));
const spokes = envs.filter((e) => e.kind === 'spoke');
const all = new Set(spokes.map((e) => e.name));
const mr = childPipeline({ source: 'merge_request', environments: envs, affected: all, image: 'node:24-bookworm' });
const main = childPipeline({ source: 'default_branch', environments: envs, affected: all, image: 'node:24-bookworm' });

describe('.gitlab-ci.yml (parent pipeline)', () => {
  it('names a missing job instead of crashing', () => {
    expect(() => job(ci, 'deploy:nowhere')).toThrow('.gitlab-ci.yml has no job "deploy:nowhere"; its jobs: install, verify, generate, environments');
  });

  it('runs schedules (the mutation benchmark alone), merge requests, the default branch and release tags, without duplicate branch pipelines', () => {
    expect(ci.workflow.rules.map((r: Json) => [r.if, r.when])).toEqual([
      ['$CI_PIPELINE_SOURCE == "schedule"', undefined],
      ['$CI_PIPELINE_SOURCE == "merge_request_event"', undefined],
      ['$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS', 'never'],
      ['$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', undefined],
      ['$CI_COMMIT_TAG =~ /^v/', undefined],
    ]);
  });

  it('uses a current Node LTS image while package.json still allows Node 20.11', () => {
    expect(ci.variables.CI_IMAGE).toMatch(/^node:(22|24)-/);
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node).toBe('>=20.11');
  });

  it('pushes the node_modules cache (keyed by the lockfile) from the install job only, and the Nx cache per branch from verify', () => {
    const pushes = Object.entries(ci)
      .filter(([k]) => !KEYWORDS.has(k))
      .flatMap(([name, j]) => ((j as Json).cache ?? []).filter((c: Json) => c.policy !== 'pull').map((c: Json) => [name, c.paths]));
    expect(pushes).toEqual([
      ['install', ['node_modules/']],
      ['verify', ['.nx/cache/']],
    ]);
    expect(job(ci, 'install').cache[0].key).toEqual({ files: ['package-lock.json'] });
    expect(job(ci, 'verify').cache[1]).toMatchObject({ key: 'nx-$CI_COMMIT_REF_SLUG', fallback_keys: ['nx-$CI_DEFAULT_BRANCH'] });
    expect(ci.default.cache[0].policy).toBe('pull');
  });

  it('verifies with the pinned Terraform, then generates the child pipeline and runs it, failing when it fails', () => {
    expect(job(ci, 'verify').script).toEqual(['.ci/install-terraform', 'npx tsx tools/src/ci/cli.ts affected -t lint typecheck test synth plan']);
    expect(job(ci, 'generate')).toMatchObject({ needs: ['verify'], script: ['npx tsx tools/src/ci/cli.ts generate child-pipeline.yml'], artifacts: { paths: ['child-pipeline.yml'] } });
    expect(job(ci, 'environments').trigger).toEqual({ include: [{ artifact: 'child-pipeline.yml', job: 'generate' }], strategy: 'depend' });
    // No shell eval of a sign-in anywhere: a failed sign-in must fail the job.
    expect(readFileSync(join(root, '.gitlab-ci.yml'), 'utf8')).not.toMatch(/eval /);
  });

  it('only calls files and CLI commands that exist', () => {
    for (const p of [ci, mr, main]) {
      for (const name of jobsOf(p)) {
        const j = job(p, name);
        for (const line of [...(p.default?.before_script ?? []), ...(j.script ?? []), ...(j.after_script ?? [])] as string[]) {
          for (const m of line.matchAll(/(?:^|\s)(\.ci\/\S+|tools\/\S+\.ts)/g)) expect([name, m[1], existsSync(join(root, m[1]))]).toEqual([name, m[1], true]);
          const cmd = /cli\.ts (\S+)/.exec(line)?.[1];
          if (cmd) expect([name, cmd in COMMANDS]).toEqual([name, true]);
        }
      }
    }
  });
});

describe('generated child pipeline', () => {
  it('orders environments hub first, then development, staging, production (protected spokes are production)', () => {
    expect(deploymentOrder(envs).map((e) => `${e.name}:${e.kind === 'hub' ? 'hub' : deploymentTier(e, envs)}`)).toEqual([
      'devops:hub',
      'dev:development',
      'gitlab-poc:other',
      'gitlab-2k:production',
      'gitlab-2k-hybrid:production',
      'gitlab-3k:production',
      'gitlab-3k-hybrid:production',
      'prod:production',
    ]);
  });

  it('plans every affected spoke read-only in a merge request, with the hub plan role, and deploys nothing', () => {
    expect(jobsOf(mr)).toEqual(spokes.map((e) => `plan:${e.name}`).sort((a, b) => jobsOf(mr).indexOf(a) - jobsOf(mr).indexOf(b)));
    for (const e of spokes) {
      const j = job(mr, `plan:${e.name}`, 'child pipeline');
      expect(j.script).toEqual([`${CLI} live-plan ${e.name}`]);
      expect(j.variables.PIPELINE_ROLE_ARN).toBe(hubRoleArns(e).plan);
      expect(j.id_tokens.GITLAB_OIDC_TOKEN.aud).toBe('$CI_SERVER_URL');
      expect(j.environment).toBeUndefined();
    }
  });

  it('runs deploys only on the protected runner fleet: their tags are served by protected fleets alone, and no plan job carries them', () => {
    const hub = envs.find((e) => e.kind === 'hub');
    const fleets = hub?.runners?.fleets ?? [];
    const protectedTags = new Set(fleets.filter((f) => f.protectedOnly).flatMap((f) => f.tags));
    const openTags = new Set(fleets.filter((f) => !f.protectedOnly).flatMap((f) => f.tags));
    expect(protectedTags.size).toBeGreaterThan(0);
    for (const n of jobsOf(main)) {
      const tags: string[] = job(main, n).tags ?? [];
      expect([n, tags.length > 0, tags.every((t) => protectedTags.has(t)), tags.some((t) => openTags.has(t))]).toEqual([n, true, true, false]);
    }
    for (const n of jobsOf(mr)) expect([n, (job(mr, n).tags ?? []).filter((t: string) => protectedTags.has(t))]).toEqual([n, []]);
    const noFleet = envs.map((e) => (e.kind === 'hub' ? { ...e, runners: undefined } : e)) as typeof envs;
    const untagged = childPipeline({ source: 'default_branch', environments: noFleet, affected: all, image: 'x' });
    expect(jobsOf(untagged).map((n) => job(untagged, n).tags)).toEqual(jobsOf(untagged).map(() => undefined));
  });

  it('deploys each spoke in its own environment, one at a time, each tier after the one before, production manual and blocking', () => {
    expect(jobsOf(main).map((n) => [n, job(main, n).needs])).toEqual([
      ['deploy:dev', []],
      ['deploy:gitlab-poc', ['deploy:dev']],
    ]);
    const tag = childPipeline({ source: 'release_tag', environments: envs, affected: all, image: 'node:24-bookworm' });
    expect(jobsOf(tag).map((n) => [n, job(tag, n).needs])).toEqual([
      ['deploy:gitlab-2k', []],
      ['deploy:gitlab-2k-hybrid', []],
      ['deploy:gitlab-3k', []],
      ['deploy:gitlab-3k-hybrid', []],
      ['deploy:prod', []],
    ]);
    for (const e of spokes) {
      const p = jobsOf(main).includes(`deploy:${e.name}`) ? main : tag;
      const j = job(p, `deploy:${e.name}`, 'child pipeline');
      expect(j).toMatchObject({ resource_group: e.name, environment: { name: e.name }, interruptible: false, script: [`${CLI} deploy ${e.name}`] });
      expect(j.variables.PIPELINE_ROLE_ARN).toBe(pipelineRoleArn(e, 'deploy'));
      const production = j.environment.deployment_tier === 'production';
      expect([e.name, j.when, j.allow_failure]).toEqual(production ? [e.name, 'manual', false] : [e.name, undefined, undefined]);
    }
    expect(job(tag, 'deploy:prod').environment.deployment_tier).toBe('production');
  });

  it('deploys protected spokes only from release tags, through the hub protected deploy role, and never from the default branch', () => {
    const tag = childPipeline({ source: 'release_tag', environments: envs, affected: all, image: 'x' });
    const isProt = (n: string) => deploymentTier(envs.find((e) => e.name === n)!, envs) === 'production';
    const protectedSpokes = spokes.filter((e) => isProt(e.name)).map((e) => `deploy:${e.name}`);
    expect(protectedSpokes.length).toBeGreaterThan(0);
    expect(jobsOf(tag).sort()).toEqual([...protectedSpokes].sort());
    expect(jobsOf(main).filter((n) => protectedSpokes.includes(n))).toEqual([]);
    for (const n of jobsOf(tag)) {
      const e = envs.find((x) => x.name === n.slice('deploy:'.length))!;
      expect([n, job(tag, n).variables.PIPELINE_ROLE_ARN, job(tag, n).when]).toEqual([n, hubPipelineRoleArns(e).protectedDeploy, 'manual']);
    }
    for (const n of jobsOf(main)) {
      const e = envs.find((x) => x.name === n.slice('deploy:'.length))!;
      expect([n, job(main, n).variables.PIPELINE_ROLE_ARN]).toEqual([n, hubPipelineRoleArns(e).deploy]);
    }
    expect(pipelineSource({ CI_COMMIT_TAG: 'v1.2.0', CI_PIPELINE_SOURCE: 'push' })).toBe('release_tag');
    expect(pipelineSource({ CI_PIPELINE_SOURCE: 'merge_request_event' })).toBe('merge_request');
    expect(pipelineSource({ CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main' })).toBe('default_branch');
  });

  it('has no production job (so nothing blocks) when production is not affected, and a no-op job when nothing is', () => {
    const devOnly = childPipeline({ source: 'default_branch', environments: envs, affected: new Set(['dev']), image: 'x' });
    expect(jobsOf(devOnly)).toEqual(['deploy:dev']);
    const none = childPipeline({ source: 'default_branch', environments: envs, affected: new Set(), image: 'x' });
    expect(jobsOf(none)).toEqual(['nothing-to-do']);
    expect(none.stages).toContain(job(none, 'nothing-to-do').stage);
  });

  it('gives a new environment its jobs with no hand edit (a spoke named "staging" lands between dev and prod)', () => {
    const dev = envs.find((e) => e.name === 'dev')!;
    const staging = { ...dev, name: 'staging', accountId: '444444444444' } as EnvironmentConfig;
    const withStaging = [...envs, staging];
    const p = childPipeline({ source: 'default_branch', environments: withStaging, affected: new Set(['dev', 'staging', 'gitlab-poc']), image: 'x' });
    expect(jobsOf(p).map((n) => [n, job(p, n).needs])).toEqual([
      ['deploy:dev', []],
      ['deploy:staging', ['deploy:dev']],
      ['deploy:gitlab-poc', ['deploy:staging']],
    ]);
    expect(job(p, 'deploy:staging').environment.deployment_tier).toBe('staging');
  });
});
