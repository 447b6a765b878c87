import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EnvironmentValidationError, loadEnvironmentFile } from '@gitlab-aws/core';
import { type SimAutoscalerFleet, type SimResult, simulate } from './engine';
import { type FleetOverrides, simFleetFromConfig } from './fleet-model';
import { searchPolicies } from './policy-search';
import { formatComparison } from './report';
import { DEFAULT_START, generateWorkload, parseTraceCsv, type SimJob } from './workload';

const USAGE = `usage: npm run simulate -w @gitlab-aws/runner-fleet -- [options]
       (or: npx nx run runner-fleet:simulate --args="[options]")

Replays a job workload against a runner fleet of an environment file and prints queue wait
(p50/p95/max) and instance-hours, beside an always-on fleet of the same peak size.

  --env NAME|FILE          environment (environments/NAME.json). Default: devops
  --fleet NAME             fleet of that environment. Default: its first fleet
  --trace FILE.csv         replay a trace: header "arrival,duration" (seconds or ISO times; seconds)
  --days N                 generated workload: days to simulate. Default: 7
  --peak-jobs-per-hour N   generated workload: arrival rate in working hours. Default: 30
  --mean-minutes N         generated workload: mean job duration. Default: 8
  --seed N                 generated workload: random seed. Default: 42
  --boot-seconds N         what-if: instance boot time (default: the fleet's bootSeconds)
  --max-instances N        what-if: maxInstances
  --capacity N             what-if: capacityPerInstance
  --idle-count N           what-if: idle_count of every policy
  --max-use-count N        what-if: maxUseCount
  --target-p95 SECONDS     autoscaler fleets: search idle count, idle time and scale factor of each
                           idle policy (its periods kept) for the fewest instance-hours whose p95
                           queue wait is at most SECONDS, and print that setting
  --json                   print the results as JSON`;

function workspaceRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name}: expected a non-negative number, got "${value}"`);
  return n;
}

class UsageError extends Error {}

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      env: { type: 'string', default: 'devops' },
      fleet: { type: 'string' },
      trace: { type: 'string' },
      days: { type: 'string', default: '7' },
      'peak-jobs-per-hour': { type: 'string', default: '30' },
      'mean-minutes': { type: 'string', default: '8' },
      seed: { type: 'string', default: '42' },
      'boot-seconds': { type: 'string' },
      'max-instances': { type: 'string' },
      capacity: { type: 'string' },
      'idle-count': { type: 'string' },
      'max-use-count': { type: 'string' },
      'target-p95': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const root = workspaceRoot(process.cwd());
  const envFile = /[/\\]|\.json$/.test(values.env) ? resolve(values.env) : join(root, 'environments', `${values.env}.json`);
  const env = loadEnvironmentFile(envFile, { displayRoot: root });
  const fleets = env.runners?.fleets ?? [];
  if (fleets.length === 0) throw new UsageError(`${envFile}: no runner fleets (runners.fleets)`);
  const fleet = values.fleet ? fleets.find((f) => f.name === values.fleet) : fleets[0];
  if (!fleet) throw new UsageError(`--fleet: no fleet "${values.fleet}" in ${env.name}; expected one of ${fleets.map((f) => f.name).join(', ')}`);

  const overrides: FleetOverrides = {
    bootSeconds: number('boot-seconds', values['boot-seconds']),
    maxInstances: number('max-instances', values['max-instances']),
    capacityPerInstance: number('capacity', values.capacity),
    idleCount: number('idle-count', values['idle-count']),
    maxUseCount: number('max-use-count', values['max-use-count']),
  };
  let jobs: SimJob[];
  let start = DEFAULT_START;
  let horizonSeconds: number | undefined;
  let source: string;
  if (values.trace) {
    const trace = parseTraceCsv(readFileSync(values.trace, 'utf8'), values.trace);
    jobs = trace.jobs;
    start = trace.start ?? start;
    source = `trace ${values.trace}`;
  } else {
    const days = number('days', values.days)!;
    const seed = number('seed', values.seed)!;
    jobs = generateWorkload({ seed, days, peakJobsPerHour: number('peak-jobs-per-hour', values['peak-jobs-per-hour'])!, meanDurationMinutes: number('mean-minutes', values['mean-minutes'])! });
    horizonSeconds = days * 86400;
    source = `Poisson workload, seed ${seed}, ${days} days from ${DEFAULT_START.toISOString().slice(0, 10)} (a Monday), ${values['peak-jobs-per-hour']} jobs/h at peak, mean ${values['mean-minutes']} min`;
  }
  const model = simFleetFromConfig(fleet, overrides);
  const target = number('target-p95', values['target-p95']);
  if (target !== undefined && model.mode !== 'autoscaler') throw new UsageError(`--target-p95: fleet "${fleet.name}" is in ${fleet.mode} mode; the search tunes autoscaler idle policies`);
  const result = simulate(jobs, model, { start, horizonSeconds });
  const alwaysOnOf = (r: SimResult) => simulate(jobs, { mode: 'fixed', capacityPerInstance: model.capacityPerInstance, instances: Math.max(1, r.peakInstances) }, { start, horizonSeconds: r.endSeconds });
  const alwaysOn = alwaysOnOf(result);
  const strip = ({ waits: _waits, ...rest }: SimResult) => rest;
  const search = target === undefined ? undefined : searchPolicies(jobs, model as SimAutoscalerFleet, target, { start, horizonSeconds });
  const best = search?.best;
  const idlePolicies = best && fleet.idlePolicies ? best.settings.map((s, i) => ({ ...fleet.idlePolicies![i], ...s })) : best?.settings.map((s) => ({ periods: ['* * * * *'], timeZone: 'UTC', ...s }));
  if (values.json) {
    const found = search && {
      targetP95Seconds: target,
      simulations: search.evaluated,
      ...(best ? { idlePolicies, fleetResult: strip(best.result), alwaysOn: strip(alwaysOnOf(best.result)) } : { found: false }),
    };
    process.stdout.write(`${JSON.stringify({ environment: env.name, fleet: fleet.name, mode: fleet.mode, source, jobs: jobs.length, fleetResult: strip(result), alwaysOn: strip(alwaysOn), ...(found ? { search: found } : {}) }, null, 2)}\n`);
  } else {
    const title = `${env.name}/${fleet.name} (${fleet.mode} mode), ${jobs.length} jobs: ${source}`;
    process.stdout.write(`${formatComparison({ title, fleet: result, alwaysOn })}\n`);
    if (search && !best) {
      process.stdout.write(`\nno idle policy in the search space keeps p95 queue wait at or under ${target} s (${search.evaluated} simulations); raise maxInstances or lower bootSeconds\n`);
    } else if (search && best) {
      const title2 = `cheapest idle policies found with p95 queue wait <= ${target} s (${search.evaluated} simulations):`;
      process.stdout.write(`\n${formatComparison({ title: title2, fleet: best.result, alwaysOn: alwaysOnOf(best.result) })}\n"idlePolicies": ${JSON.stringify(idlePolicies)}\n`);
    }
  }
  return 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError || e instanceof EnvironmentValidationError || (e instanceof Error && /^(--|.*trace|.*\.csv)/.test(e.message))) {
      process.stderr.write(`${e.message}\n\n${USAGE}\n`);
      process.exitCode = 2;
    } else {
      throw e;
    }
  }
}

export { main as runSimulatorCli };
