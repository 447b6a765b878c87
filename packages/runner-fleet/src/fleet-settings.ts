import {
  type EnvironmentConfig,
  type IdlePolicyConfig,
  type InstanceScalingConfig,
  type RunnerFleetConfig,
  type RunnersConfig,
  ResourceNames,
  instanceArchitecture,
  partitionOf,
} from '@gitlab-aws/core';

/** Component names of the two stacks; resource names derive from them. */
export const FLEET_COMPONENT = 'runners';
export const TOKEN_COMPONENT = 'runner-tokens';

/** What a fleet gets when the environment file leaves the mode-specific settings out. */
export const DEFAULT_IDLE_POLICY: IdlePolicyConfig = { periods: ['* * * * *'], timeZone: 'UTC', idleCount: 0, idleTimeMinutes: 30, scaleFactor: 0 };
export const DEFAULT_INSTANCE_SCALING: InstanceScalingConfig = { minInstances: 1, cpuTargetPercent: 60, memoryTargetPercent: 70 };

/** Seconds a leaving runner may spend finishing its jobs: the job timeout plus the margin. */
export function drainSeconds(fleet: RunnerFleetConfig): number {
  return (fleet.jobTimeoutMinutes + fleet.drainMarginMinutes) * 60;
}

/**
 * config.toml `shutdown_timeout`: how long the runner waits for aborted jobs in a forceful stop
 * (SIGTERM/SIGINT), and for its executor providers (the fleeting autoscaler) to shut down after a
 * graceful one. It does not limit the graceful drain.
 */
export const SHUTDOWN_TIMEOUT_SECONDS = 300;

/**
 * systemd's TimeoutStopSec for gitlab-runner: the graceful drain (SIGQUIT, running jobs finish)
 * plus the providers' shutdown. When it runs out systemd sends SIGKILL, which nothing survives.
 */
export function stopTimeoutSeconds(fleet: RunnerFleetConfig): number {
  return drainSeconds(fleet) + SHUTDOWN_TIMEOUT_SECONDS;
}

/** Where the runners register. */
export function gitlabUrl(env: EnvironmentConfig, runners: RunnersConfig): string {
  return runners.gitlabUrl ?? env.gitlab?.externalUrl ?? 'https://gitlab.com';
}

/**
 * Names and ARNs both runner stacks derive from the environment alone, so the GitLab-side stack
 * and the AWS stack meet at the token parameter without reading each other's state.
 */
export class FleetNames {
  private readonly names: ResourceNames;
  private readonly partition: string;

  constructor(
    private readonly env: EnvironmentConfig,
    readonly fleet: RunnerFleetConfig,
  ) {
    this.names = new ResourceNames(env.name, FLEET_COMPONENT);
    this.partition = partitionOf(env.region);
  }

  /** `<env>-runners-<fleet>-<purpose>`, fitted to the resource kind's limit. */
  name(purpose: string, kind?: Parameters<ResourceNames['name']>[1]): string {
    return this.names.name(`${this.fleet.name}-${purpose}`, kind);
  }

  /** The ASG whose instances run jobs: the fleeting workers, or the runner instances. */
  get jobGroupName(): string {
    return this.name(this.fleet.mode === 'autoscaler' ? 'workers' : 'runners');
  }

  get managerGroupName(): string {
    return this.name('manager');
  }

  /** The ASG the runner process lives in (the one that drains on scale-in). */
  get runnerGroupName(): string {
    return this.fleet.mode === 'autoscaler' ? this.managerGroupName : this.jobGroupName;
  }

  get drainHookName(): string {
    return 'drain-runner';
  }

  groupArn(groupName: string): string {
    return `arn:${this.partition}:autoscaling:${this.env.region}:${this.env.accountId}:autoScalingGroup:*:autoScalingGroupName/${groupName}`;
  }

  /** SSM SecureString holding the fleet's glrt- token. */
  get tokenParameterName(): string {
    return `/gitlab-aws/${this.env.name}/runners/${this.fleet.name}/token`;
  }

  get tokenParameterArn(): string {
    return `arn:${this.partition}:ssm:${this.env.region}:${this.env.accountId}:parameter${this.tokenParameterName}`;
  }

  get logGroupName(): string {
    return `/gitlab-runner/${this.env.name}/${this.fleet.name}`;
  }

  /** The fleet's folder in the shared cache bucket. */
  get cachePrefix(): string {
    return this.fleet.name;
  }

  get architecture(): 'arm64' | 'x86_64' {
    return instanceArchitecture(this.fleet.instanceTypes[0]);
  }
}

/** KMS alias of the key that encrypts every fleet's token parameter in an environment. */
export function tokenKeyAlias(env: EnvironmentConfig): string {
  return `alias/${env.name}-runner-tokens`;
}

export function cacheBucketName(env: EnvironmentConfig): string {
  return new ResourceNames(env.name, FLEET_COMPONENT).bucket('runner-cache', env.accountId);
}

/** Image of the instances that run jobs: the fleet's pre-built image, else Amazon Linux 2023. */
export function jobImage(fleet: RunnerFleetConfig, architecture: 'arm64' | 'x86_64'): string {
  return fleet.imageId ?? amiParameter(architecture);
}

/** Amazon Linux 2023 through its public SSM parameter: resolved by EC2 at launch, not at plan. */
export function amiParameter(architecture: 'arm64' | 'x86_64'): string {
  return `resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`;
}

export function idlePolicies(fleet: RunnerFleetConfig): IdlePolicyConfig[] {
  return fleet.idlePolicies ?? [DEFAULT_IDLE_POLICY];
}

export function instanceScaling(fleet: RunnerFleetConfig): InstanceScalingConfig {
  return fleet.scaling ?? DEFAULT_INSTANCE_SCALING;
}
