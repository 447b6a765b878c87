import type { RunnerFleetConfig } from '@gitlab-aws/core';
import { DEFAULT_FLEETING_PLUGIN } from '@gitlab-aws/core';
import { SHUTDOWN_TIMEOUT_SECONDS, idlePolicies } from './fleet-settings';

/**
 * Stands where the token goes. The instance swaps in the real token after reading it from SSM,
 * so the rendered file (and the user data that carries it) never holds a secret.
 */
export const TOKEN_PLACEHOLDER = '@RUNNER_TOKEN@';

export interface ConfigTomlProps {
  readonly fleet: RunnerFleetConfig;
  /** Runner name shown in GitLab's runner list. */
  readonly name: string;
  readonly gitlabUrl: string;
  readonly region: string;
  readonly cacheBucket: string;
  readonly cachePrefix: string;
  /** Autoscaler mode: the worker ASG the fleeting plugin drives. */
  readonly workerGroupName?: string;
  /** Fleeting plugin reference. Default: "aws:1". */
  readonly fleetingPlugin?: string;
}

/**
 * What the manager runs on a new worker (over the connector) before it gives the worker a job:
 * wait for cloud-init to finish the user data, then prove Docker answers. Without it a job can land
 * on a worker whose Docker is still being installed.
 */
export const WORKER_READY_COMMAND = 'cloud-init status --wait >/dev/null && docker info >/dev/null';

/** TOML basic string; JSON's escapes are a subset of TOML's. */
const q = (s: string) => JSON.stringify(s);
const list = (items: readonly string[]) => `[${items.map(q).join(', ')}]`;

/** Jobs the whole fleet runs at once: max instances x capacity per instance (one instance in instance mode). */
export function fleetConcurrency(fleet: RunnerFleetConfig): number {
  return fleet.mode === 'autoscaler' ? fleet.maxInstances * fleet.capacityPerInstance : fleet.capacityPerInstance;
}

/** The runner's config.toml, with the token as a placeholder. */
export function renderConfigToml(p: ConfigTomlProps): string {
  const { fleet } = p;
  const concurrency = fleetConcurrency(fleet);
  const lines = [
    `# GitLab Runner configuration of fleet "${fleet.name}" (${fleet.mode} mode), rendered from the environment file.`,
    `concurrent = ${concurrency}`,
    'check_interval = 3',
    // Not the drain: a graceful stop (SIGQUIT) waits for running jobs with no limit of its own, and
    // systemd's TimeoutStopSec bounds it. shutdown_timeout bounds the forceful stop (jobs aborted)
    // and the executor providers' shutdown after the drain.
    `shutdown_timeout = ${SHUTDOWN_TIMEOUT_SECONDS}`,
    'log_format = "text"',
    '',
    '[[runners]]',
    `  name = ${q(p.name)}`,
    `  url = ${q(p.gitlabUrl)}`,
    `  token = ${q(TOKEN_PLACEHOLDER)}`,
    `  executor = ${q(fleet.mode === 'autoscaler' ? 'docker-autoscaler' : 'docker')}`,
    `  limit = ${concurrency}`,
    '  [runners.cache]',
    '    Type = "s3"',
    `    Path = ${q(p.cachePrefix)}`,
    '    Shared = true',
    '    [runners.cache.s3]',
    `      ServerAddress = ${q(`s3.${p.region}.amazonaws.com`)}`,
    `      BucketName = ${q(p.cacheBucket)}`,
    `      BucketLocation = ${q(p.region)}`,
    '      AuthenticationType = "iam"',
    '  [runners.docker]',
    `    image = ${q(fleet.defaultImage)}`,
    `    privileged = ${fleet.privileged}`,
    '    tls_verify = false',
    '    disable_cache = false',
    '    volumes = ["/cache"]',
    '    shm_size = 0',
    '    pull_policy = ["always", "if-not-present"]',
  ];
  if (fleet.mode === 'autoscaler') {
    if (!p.workerGroupName) throw new Error(`renderConfigToml: fleet "${fleet.name}" is in autoscaler mode and needs workerGroupName`);
    lines.push(
      '  [runners.autoscaler]',
      `    plugin = ${q(p.fleetingPlugin ?? DEFAULT_FLEETING_PLUGIN)}`,
      `    capacity_per_instance = ${fleet.capacityPerInstance}`,
      `    max_use_count = ${fleet.maxUseCount}`,
      `    max_instances = ${fleet.maxInstances}`,
      `    instance_ready_command = ${q(WORKER_READY_COMMAND)}`,
      '    [runners.autoscaler.plugin_config]',
      `      name = ${q(p.workerGroupName)}`,
      `      region = ${q(p.region)}`,
      '    [runners.autoscaler.connector_config]',
      '      username = "ec2-user"',
      '      use_external_addr = false',
    );
    for (const policy of idlePolicies(fleet)) {
      lines.push(
        '    [[runners.autoscaler.policy]]',
        `      periods = ${list(policy.periods)}`,
        `      timezone = ${q(policy.timeZone)}`,
        `      idle_count = ${policy.idleCount}`,
        `      idle_time = ${q(`${policy.idleTimeMinutes}m0s`)}`,
        // A TOML float even when whole: the runner decodes it into a float64.
        ...(policy.scaleFactor > 0 ? [`      scale_factor = ${Number.isInteger(policy.scaleFactor) ? policy.scaleFactor.toFixed(1) : policy.scaleFactor}`] : []),
        ...(policy.scaleFactor > 0 && policy.scaleFactorLimit !== undefined ? [`      scale_factor_limit = ${policy.scaleFactorLimit}`] : []),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
