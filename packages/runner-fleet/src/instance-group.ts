import type { Construct } from 'constructs';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { AutoscalingPolicy } from '@cdktf/provider-aws/lib/autoscaling-policy';
import { AutoscalingSchedule } from '@cdktf/provider-aws/lib/autoscaling-schedule';
import { instanceScaling, jobImage } from './fleet-settings';
import { GROUP_METRICS, type FleetGroupContext, type FleetGroups, drainHook, groupTags, mixedInstances } from './group-parts';
import { RunnerLaunchTemplate } from './launch-template';

/** Seconds a new runner instance needs before its CPU and memory say anything about load. */
const INSTANCE_WARMUP_SECONDS = 300;

/**
 * Instance mode (the seed's design): every instance is a runner with the docker executor. Target
 * tracking holds average CPU and memory (CloudWatch agent mem_used_percent) near their targets;
 * scheduled actions change the bounds (for example zero at night). Scale-in never kills a job:
 * the terminating hook holds the instance while its runner stops gracefully.
 */
export function addInstanceGroup(scope: Construct, ctx: FleetGroupContext): FleetGroups {
  const { fleet, names } = ctx;
  const scaling = instanceScaling(fleet);
  const lt = new RunnerLaunchTemplate(scope, 'runner-lt', {
    name: names.name('runners'),
    architecture: names.architecture,
    imageId: jobImage(fleet, names.architecture),
    userData: ctx.userData,
    securityGroupIds: [ctx.runnerSg.id],
    instanceProfileArn: ctx.runnerRole.profile.arn,
    volumeSizeGb: fleet.volumeSizeGb,
    tags: { ...ctx.instanceTags, Name: names.name('runner'), 'gitlab-runner-fleet': fleet.name, 'gitlab-runner-role': 'runner' },
  });
  const group = new AutoscalingGroup(scope, 'runners', {
    name: names.jobGroupName,
    minSize: scaling.minInstances,
    maxSize: fleet.maxInstances,
    vpcZoneIdentifier: ctx.subnetIds,
    mixedInstancesPolicy: mixedInstances(fleet, lt.template.id),
    initialLifecycleHook: drainHook(fleet, names),
    defaultInstanceWarmup: INSTANCE_WARMUP_SECONDS,
    // Spot rebalancing would start a replacement and then drain the old instance: fine with the hook.
    capacityRebalance: fleet.onDemandBase < fleet.maxInstances,
    instanceRefresh: { strategy: 'Rolling', preferences: { minHealthyPercentage: 50, maxHealthyPercentage: 100 } },
    enabledMetrics: GROUP_METRICS,
    metricsGranularity: '1Minute',
    tag: groupTags({ Name: names.jobGroupName }),
    // Target tracking owns the desired size; with a schedule, the scheduled actions own the bounds too.
    lifecycle: { ignoreChanges: ['desired_capacity', ...(fleet.schedule?.length ? ['min_size', 'max_size'] : [])] },
  });

  new AutoscalingPolicy(scope, 'cpu-target', {
    name: 'cpu-target',
    autoscalingGroupName: group.name,
    policyType: 'TargetTrackingScaling',
    estimatedInstanceWarmup: INSTANCE_WARMUP_SECONDS,
    targetTrackingConfiguration: {
      targetValue: scaling.cpuTargetPercent,
      predefinedMetricSpecification: { predefinedMetricType: 'ASGAverageCPUUtilization' },
    },
  });
  new AutoscalingPolicy(scope, 'memory-target', {
    name: 'memory-target',
    autoscalingGroupName: group.name,
    policyType: 'TargetTrackingScaling',
    estimatedInstanceWarmup: INSTANCE_WARMUP_SECONDS,
    targetTrackingConfiguration: {
      targetValue: scaling.memoryTargetPercent,
      customizedMetricSpecification: {
        metricName: 'mem_used_percent',
        namespace: 'CWAgent',
        statistic: 'Average',
        metricDimension: [{ name: 'AutoScalingGroupName', value: names.jobGroupName }],
      },
    },
  });

  for (const action of fleet.schedule ?? []) {
    new AutoscalingSchedule(scope, `schedule-${action.name}`, {
      scheduledActionName: action.name,
      autoscalingGroupName: group.name,
      recurrence: action.recurrence,
      timeZone: action.timeZone,
      minSize: action.minInstances,
      maxSize: action.maxInstances ?? fleet.maxInstances,
    });
  }
  return { jobGroupName: names.jobGroupName };
}
