import { z } from 'zod';
import { cronProblem, isTimeZone } from '../cron';
import { httpsUrl } from './gitlab';

/** GitLab Runner release the fleets install unless told otherwise (the release line of GitLab 19.x). */
export const DEFAULT_RUNNER_VERSION = '19.3.0';
/** The AWS fleeting plugin, pinned to its current major. */
export const DEFAULT_FLEETING_PLUGIN = 'aws:1';

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** EC2 families whose processors are AWS Graviton (arm64), e.g. m7g, c6gn, t4g, r8gd. */
const ARM_TYPE = /^[a-z]+\d+g[a-z]*\./;

export function instanceArchitecture(instanceType: string): 'arm64' | 'x86_64' {
  return ARM_TYPE.test(instanceType) ? 'arm64' : 'x86_64';
}

const cron = z.string().superRefine((value, ctx) => {
  const problem = cronProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', input: value, message: `expected a five-field cron expression such as "* 7-19 * * mon-fri" (${problem})` });
});

const timeZone = z
  .string()
  .refine(isTimeZone, { error: 'expected an IANA time zone name such as "UTC" or "Europe/Berlin"' })
  .default('UTC');

const instanceType = z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, { error: 'expected an EC2 instance type such as "m7i.large"' });

/** One `[[runners.autoscaler.policy]]` entry: how much idle capacity to keep during some periods. */
const idlePolicy = z.strictObject({
  /** Cron periods during which the policy applies; the last matching policy wins. */
  periods: z.array(cron).min(1, { error: 'expected at least one cron period, e.g. ["* * * * *"]' }),
  /** Time zone the periods are read in. Default: "UTC". */
  timeZone,
  /** Idle job slots (not machines) to keep ready. Default: 0 (scale to zero). */
  idleCount: z.number().int().min(0, { error: 'expected 0 or more idle job slots' }).default(0),
  /** Minutes an idle instance lives before it is removed. Default: 30. */
  idleTimeMinutes: z.number().int().min(1, { error: 'expected 1-1440 minutes' }).max(1440, { error: 'expected 1-1440 minutes' }).default(30),
  /**
   * Idle job slots to keep as a share of the slots in use (0.5 = one idle slot per two busy ones);
   * `idleCount` is then the least and `scaleFactorLimit` the most. Default: 0 (idleCount alone).
   */
  scaleFactor: z.number().min(0, { error: 'expected 0-10' }).max(10, { error: 'expected 0-10' }).default(0),
  /** Most idle job slots the scale factor may ask for. Default: none (the fleet's job slots bound it). */
  scaleFactorLimit: z.number().int().min(1, { error: 'expected 1 or more job slots' }).optional(),
});

/** Instance mode: an EC2 Auto Scaling scheduled action (for example scale to zero at night). */
const scheduledAction = z.strictObject({
  /** Name of the action, unique within the fleet. */
  name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/, { error: 'expected up to 31 lowercase letters, digits and hyphens, e.g. "night"' }),
  /** When it fires (cron, five fields). */
  recurrence: cron,
  /** Time zone of the recurrence. Default: "UTC". */
  timeZone,
  /** Minimum instances from then on. */
  minInstances: z.number().int().min(0, { error: 'expected 0 or more' }),
  /** Maximum instances from then on. Default: the fleet's maxInstances. */
  maxInstances: z.number().int().min(0, { error: 'expected 0 or more' }).optional(),
});

/** Instance mode: target tracking on the instances' own load. */
const instanceScaling = z.strictObject({
  /** Instances kept at all times unless a scheduled action says otherwise. Default: 1. */
  minInstances: z.number().int().min(0, { error: 'expected 0 or more' }).default(1),
  /** Average CPU utilisation to hold the group at. Default: 60. */
  cpuTargetPercent: z.number().min(10, { error: 'expected 10-95' }).max(95, { error: 'expected 10-95' }).default(60),
  /** Average memory use (CloudWatch agent mem_used_percent) to hold the group at. Default: 70. */
  memoryTargetPercent: z.number().min(10, { error: 'expected 10-95' }).max(95, { error: 'expected 10-95' }).default(70),
});

const runnerScope = z
  .strictObject({
    /** instance (needs an admin token), group or project runner. Default: "instance". */
    type: z.enum(['instance', 'group', 'project'], { error: 'expected "instance", "group" or "project"' }).default('instance'),
    /** Numeric group or project ID; required for group and project runners. */
    id: z.number().int().positive({ error: 'expected the numeric group or project ID' }).optional(),
  })
  .default({ type: 'instance' });

/** A runner fleet: one registered runner and the EC2 capacity behind it. */
export const runnerFleet = z
  .strictObject({
    /** Short name, unique in the environment; part of resource names and the token parameter. */
    name: z.string().regex(/^[a-z][a-z0-9-]{0,14}[a-z0-9]$/, { error: 'expected 2-16 lowercase letters, digits and hyphens, starting with a letter (e.g. "mr" or "deploy")' }),
    /** "autoscaler": docker-autoscaler + fleeting plugin; "instance": every instance is a runner. Default: "autoscaler". */
    mode: z.enum(['autoscaler', 'instance'], { error: 'expected "autoscaler" (docker-autoscaler executor) or "instance" (one runner per instance)' }).default('autoscaler'),
    /** Description shown in GitLab. Default: "<environment> <fleet> fleet". */
    description: z.string().min(1).max(255).optional(),
    /** Job tags the runner picks up. Default: none (then runUntagged must be true). */
    tags: z.array(z.string().regex(/^[\w.:/-]{1,64}$/, { error: 'expected a tag of letters, digits and . : / _ - (no commas or spaces)' })).default([]),
    /** Also run jobs without tags. Default: false. */
    runUntagged: z.boolean().default(false),
    /** Only run jobs of protected branches and tags. Default: false. */
    protectedOnly: z.boolean().default(false),
    /** Lock a project runner to its project. Default: false. */
    locked: z.boolean().default(false),
    /** Where the runner is registered. Default: { "type": "instance" }. */
    scope: runnerScope,
    /** Instance types, in order of preference; several spread spot risk. Default: m7i.large, m6i.large, m5.large. */
    instanceTypes: z.array(instanceType).min(1, { error: 'expected at least one instance type' }).max(20).default(['m7i.large', 'm6i.large', 'm5.large']),
    /** Instances bought on demand before any spot is used. Default: 0 (all spot). */
    onDemandBase: z.number().int().min(0).default(0),
    /** Percentage of on-demand above the base. Default: 0. */
    onDemandPercentAboveBase: z.number().int().min(0).max(100, { error: 'expected 0-100' }).default(0),
    /** Upper bound of the fleet. Default: 10. */
    maxInstances: z.number().int().min(1, { error: 'expected 1-500' }).max(500, { error: 'expected 1-500' }).default(10),
    /** Jobs one instance runs at once. Default: 1. */
    capacityPerInstance: z.number().int().min(1, { error: 'expected 1-64' }).max(64, { error: 'expected 1-64' }).default(1),
    /** Autoscaler: jobs an instance runs before it is replaced; 0 = unlimited. Default: 1 (a fresh VM per job). */
    maxUseCount: z.number().int().min(0).default(1),
    /** Longest a job may run, in minutes (GitLab's minimum is 10). Default: 60. */
    jobTimeoutMinutes: z.number().int().min(10, { error: 'expected 10-1440 minutes' }).max(1440, { error: 'expected 10-1440 minutes' }).default(60),
    /** Extra minutes a draining instance waits beyond the job timeout. Default: 5. */
    drainMarginMinutes: z.number().int().min(1).max(60).default(5),
    /**
     * Image of the instances that run jobs (autoscaler workers, instance-mode runners): an AMI ID, or
     * "resolve:ssm:<parameter>" naming one, of an image with Docker installed and ec2-user in the
     * docker group (see docs/runner-fleet.md, "Worker images"). Resolved by EC2 at launch.
     * Default: Amazon Linux 2023, with Docker installed at boot.
     */
    imageId: z
      .string()
      .regex(/^(ami-[0-9a-f]{8,17}|resolve:ssm:\/[\w./-]+(:\d+)?)$/, { error: 'expected an AMI ID such as "ami-0123456789abcdef0" or "resolve:ssm:/my/images/runner-worker"' })
      .optional(),
    /** Docker privileged mode (Docker-in-Docker). Default: false. */
    privileged: z.boolean().default(false),
    /** Image for jobs that name none. Default: "public.ecr.aws/docker/library/alpine:3". */
    defaultImage: z.string().min(1).default('public.ecr.aws/docker/library/alpine:3'),
    /** Root volume of each instance, GiB (gp3, encrypted). Default: 50. */
    volumeSizeGb: z.number().int().min(20, { error: 'expected 20-2000 GiB' }).max(2000, { error: 'expected 20-2000 GiB' }).default(50),
    /** Autoscaler: instance type of the runner manager. Default: "t3.small". */
    managerInstanceType: instanceType.default('t3.small'),
    /** Autoscaler: boot time the simulator assumes, seconds. Default: 90. */
    bootSeconds: z.number().int().min(0).max(3600).default(90),
    /** Autoscaler: `[[runners.autoscaler.policy]]` entries. Default: one policy, idle 0 at all times (scale to zero after 30 idle minutes). */
    idlePolicies: z.array(idlePolicy).min(1).optional(),
    /** Instance mode: target tracking settings. Default: min 1, CPU 60 %, memory 70 %. */
    scaling: instanceScaling.optional(),
    /** Instance mode: scheduled actions, e.g. scale to zero at night. Default: none. */
    schedule: z.array(scheduledAction).optional(),
  })
  .superRefine((fleet, ctx) => {
    // The offending value is passed as input so the message ends with what was found.
    const issue = (path: (string | number)[], message: string) =>
      ctx.addIssue({ code: 'custom', path, message, input: path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], fleet) });
    // A protected fleet serves deploy jobs only: they find it by tag, never by accident.
    if (fleet.protectedOnly && fleet.runUntagged) issue(['runUntagged'], 'a protected fleet must not pick up untagged jobs (any branch can push one): set "runUntagged": false and give deploy jobs its tags');
    if (fleet.tags.length === 0 && !fleet.runUntagged) {
      issue(['tags'], 'a runner without tags only picks up untagged jobs: add tags, or set "runUntagged": true');
    }
    if (fleet.scope.type === 'instance' && fleet.scope.id !== undefined) issue(['scope', 'id'], 'an instance runner has no group or project ID: remove "id"');
    if (fleet.scope.type !== 'instance' && fleet.scope.id === undefined) issue(['scope', 'id'], `a ${fleet.scope.type} runner needs the numeric ${fleet.scope.type} ID`);
    if (fleet.locked && fleet.scope.type !== 'project') issue(['locked'], 'only project runners can be locked: set scope.type "project" or remove "locked"');
    const archs = new Set(fleet.instanceTypes.map(instanceArchitecture));
    if (archs.size > 1) issue(['instanceTypes'], 'mixes arm64 (Graviton) and x86_64 types; one AMI cannot boot both: use one architecture per fleet');
    if (fleet.onDemandBase > fleet.maxInstances) issue(['onDemandBase'], `expected at most maxInstances (${fleet.maxInstances})`);
    if (fleet.mode === 'instance') {
      if (fleet.idlePolicies) issue(['idlePolicies'], 'applies to mode "autoscaler"; an instance-mode fleet scales with "scaling" and "schedule"');
      if (fleet.scaling && fleet.scaling.minInstances > fleet.maxInstances) issue(['scaling', 'minInstances'], `expected at most maxInstances (${fleet.maxInstances})`);
      const names = new Set<string>();
      (fleet.schedule ?? []).forEach((a, i) => {
        if (names.has(a.name)) issue(['schedule', i, 'name'], 'duplicate scheduled action name: give each action its own name');
        names.add(a.name);
        const max = a.maxInstances ?? fleet.maxInstances;
        if (max > fleet.maxInstances) issue(['schedule', i, 'maxInstances'], `expected at most the fleet's maxInstances (${fleet.maxInstances})`);
        if (a.minInstances > max) issue(['schedule', i, 'minInstances'], `expected at most maxInstances (${max})`);
      });
    } else {
      if (fleet.scaling) issue(['scaling'], 'applies to mode "instance"; an autoscaler fleet scales with "idlePolicies"');
      if (fleet.schedule) issue(['schedule'], 'applies to mode "instance"; an autoscaler fleet scales to zero with "idlePolicies" periods');
      const slots = fleet.maxInstances * fleet.capacityPerInstance;
      (fleet.idlePolicies ?? []).forEach((p, i) => {
        if (p.idleCount > slots) issue(['idlePolicies', i, 'idleCount'], `expected at most the job slots the fleet holds (maxInstances x capacityPerInstance = ${slots})`);
        if (p.scaleFactorLimit !== undefined && p.scaleFactor === 0) issue(['idlePolicies', i, 'scaleFactorLimit'], 'limits the scale factor, which is 0 here: set "scaleFactor" or remove the limit');
        if (p.scaleFactorLimit !== undefined && p.scaleFactorLimit < p.idleCount) issue(['idlePolicies', i, 'scaleFactorLimit'], `expected at least idleCount (${p.idleCount}), the least idle capacity`);
        if (p.scaleFactorLimit !== undefined && p.scaleFactorLimit > slots) issue(['idlePolicies', i, 'scaleFactorLimit'], `expected at most the job slots the fleet holds (${slots})`);
      });
    }
  });

/** Runner fleets of an environment, with what they share: cache bucket, logs, alarms. */
export const runnersSection = z
  .strictObject({
    /** GitLab the runners register with. Default: the environment's gitlab.externalUrl, else https://gitlab.com. */
    gitlabUrl: httpsUrl.optional(),
    /** GitLab Runner release installed on the instances (the 19.x line matches GitLab 19.x). Default: "19.3.0". */
    runnerVersion: z.string().regex(/^\d+\.\d+\.\d+$/, { error: 'expected a release such as "19.3.0"' }).default(DEFAULT_RUNNER_VERSION),
    /**
     * Fleeting plugin reference with a version constraint, installed by `gitlab-runner fleeting install`:
     * a major ("aws:1") takes that major's fixes and never a new major. Default: "aws:1".
     */
    fleetingPlugin: z
      .string()
      .regex(/^[\w./-]+:\d+(\.\d+){0,2}$/, { error: 'expected a plugin reference pinned to a version, such as "aws:1" (a major), "aws:1.1" or "aws:1.1.0"; without one ("aws", "aws:latest") a new major is installed unannounced' })
      .default(DEFAULT_FLEETING_PLUGIN),
    /** Days cache objects are kept. Default: 14. */
    cacheExpiryDays: z.number().int().min(1, { error: 'expected 1-365 days' }).max(365, { error: 'expected 1-365 days' }).default(14),
    /** Days runner logs are kept in CloudWatch. Default: 30. */
    logRetentionDays: z
      .number()
      .refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), { error: `expected one of CloudWatch's retention periods: ${LOG_RETENTION_DAYS.join(', ')}` })
      .default(30),
    /** Addresses told when an alarm fires. Default: none (the alarms still show in CloudWatch). */
    alarmEmails: z.array(z.email({ error: 'expected an email address' })).default([]),
    /** The fleets. */
    fleets: z.array(runnerFleet).min(1, { error: 'expected at least one fleet' }).max(10, { error: 'expected at most 10 fleets per environment' }),
  })
  .superRefine((section, ctx) => {
    // A tag of a protected fleet on an unprotected one would let a deploy job run on unprotected VMs.
    const protectedTags = new Map<string, string>();
    for (const f of section.fleets) if (f.protectedOnly) for (const t of f.tags) protectedTags.set(t, f.name);
    section.fleets.forEach((f, i) => {
      if (f.protectedOnly) return;
      f.tags.forEach((t, j) => {
        const owner = protectedTags.get(t);
        if (owner) ctx.addIssue({ code: 'custom', path: ['fleets', i, 'tags', j], input: t, message: `tag of the protected fleet "${owner}": a job with it could run here, on an unprotected fleet; remove it, or set "protectedOnly": true` });
      });
    });
    const seen = new Map<string, number>();
    section.fleets.forEach((f, i) => {
      const first = seen.get(f.name);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['fleets', i, 'name'], input: f.name, message: `duplicate fleet name (fleets[${first}] has it too): give each fleet its own name` });
      else seen.set(f.name, i);
    });
  });

export type RunnersConfig = z.output<typeof runnersSection>;
export type RunnerFleetConfig = z.output<typeof runnerFleet>;
export type IdlePolicyConfig = z.output<typeof idlePolicy>;
export type ScheduledActionConfig = z.output<typeof scheduledAction>;
export type InstanceScalingConfig = z.output<typeof instanceScaling>;
