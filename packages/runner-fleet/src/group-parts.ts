import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { AutoscalingGroupConfig } from '@cdktf/provider-aws/lib/autoscaling-group';
import type { RunnerFleetConfig } from '@gitlab-aws/core';
import { type FleetNames, stopTimeoutSeconds } from './fleet-settings';
import type { InstanceRole } from './instance-role';

/** What the mode-specific builders get from RunnerFleet. */
export interface FleetGroupContext {
  readonly fleet: RunnerFleetConfig;
  readonly names: FleetNames;
  readonly partition: string;
  readonly vpcId: string;
  readonly subnetIds: string[];
  readonly instanceTags: Record<string, string>;
  /** User data of the host that runs gitlab-runner (manager or runner instance). */
  readonly userData: string;
  readonly runnerRole: InstanceRole;
  readonly runnerSg: SecurityGroup;
}

/** Groups a fleet made, for its alarms. */
export interface FleetGroups {
  /** The group of instances that run jobs. */
  readonly jobGroupName: string;
  /** Autoscaler mode: the manager's group. */
  readonly managerGroupName?: string;
}

/** ASG metrics the alarms read (collected at one-minute granularity, free of charge). */
export const GROUP_METRICS = ['GroupDesiredCapacity', 'GroupInServiceInstances', 'GroupPendingInstances', 'GroupTerminatingInstances', 'GroupMaxSize'];

/** Heartbeat timeouts are capped at two hours by EC2 Auto Scaling; the drain script sends heartbeats beyond that. */
export const MAX_HEARTBEAT_SECONDS = 7200;

/** Terminating hook that holds an instance while its runner finishes running jobs. */
export function drainHook(fleet: RunnerFleetConfig, names: FleetNames): NonNullable<AutoscalingGroupConfig['initialLifecycleHook']> {
  return [
    {
      name: names.drainHookName,
      lifecycleTransition: 'autoscaling:EC2_INSTANCE_TERMINATING',
      heartbeatTimeout: Math.min(MAX_HEARTBEAT_SECONDS, stopTimeoutSeconds(fleet)),
      // If the host never answers (crashed), terminate anyway.
      defaultResult: 'CONTINUE',
    },
  ];
}

/** Spot with an on-demand base over several instance types. */
export function mixedInstances(fleet: RunnerFleetConfig, launchTemplateId: string): NonNullable<AutoscalingGroupConfig['mixedInstancesPolicy']> {
  return {
    instancesDistribution: {
      onDemandBaseCapacity: fleet.onDemandBase,
      onDemandPercentageAboveBaseCapacity: fleet.onDemandPercentAboveBase,
      onDemandAllocationStrategy: 'prioritized',
      spotAllocationStrategy: 'price-capacity-optimized',
    },
    launchTemplate: {
      launchTemplateSpecification: { launchTemplateId, version: '$Latest' },
      override: fleet.instanceTypes.map((instanceType) => ({ instanceType })),
    },
  };
}

/** The group's own tags (the provider's default tags do not reach groups); instances get theirs from the launch template. */
export function groupTags(tags: Record<string, string>): NonNullable<AutoscalingGroupConfig['tag']> {
  return Object.entries(tags).map(([key, value]) => ({ key, value, propagateAtLaunch: false }));
}
