import type { Construct } from 'constructs';
import { AutoscalingGroup } from '@cdktf/provider-aws/lib/autoscaling-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { instanceArchitecture } from '@gitlab-aws/core';
import { jobImage } from './fleet-settings';
import { GROUP_METRICS, type FleetGroupContext, type FleetGroups, drainHook, groupTags, mixedInstances } from './group-parts';
import { InstanceRole } from './instance-role';
import { RunnerLaunchTemplate } from './launch-template';
import { workerUserData } from './user-data/worker';

/**
 * docker-autoscaler mode: a manager group of exactly one on-demand instance running gitlab-runner
 * with the fleeting plugin, and a worker group the plugin alone sizes. The worker group starts
 * empty, has no scaling policy, protects its instances from scale-in (only the plugin removes
 * them, once idle), and Terraform ignores its desired capacity so a deploy never fights the plugin.
 */
export function addAutoscalerGroups(scope: Construct, ctx: FleetGroupContext): FleetGroups {
  const { fleet, names } = ctx;
  const tags = (role: string) => ({ ...ctx.instanceTags, Name: names.name(role), 'gitlab-runner-fleet': fleet.name, 'gitlab-runner-role': role });

  const managerLt = new RunnerLaunchTemplate(scope, 'manager-lt', {
    name: names.name('manager'),
    architecture: instanceArchitecture(fleet.managerInstanceType),
    instanceType: fleet.managerInstanceType,
    userData: ctx.userData,
    securityGroupIds: [ctx.runnerSg.id],
    instanceProfileArn: ctx.runnerRole.profile.arn,
    volumeSizeGb: 20,
    tags: tags('manager'),
  });
  new AutoscalingGroup(scope, 'manager', {
    name: names.managerGroupName,
    minSize: 1,
    maxSize: 1,
    desiredCapacity: 1,
    vpcZoneIdentifier: ctx.subnetIds,
    launchTemplate: { id: managerLt.template.id, version: '$Latest' },
    healthCheckType: 'EC2',
    initialLifecycleHook: drainHook(fleet, names),
    // A new template replaces the manager: the old one drains first (one manager per worker group).
    instanceRefresh: { strategy: 'Rolling', preferences: { minHealthyPercentage: 0, maxHealthyPercentage: 100 } },
    enabledMetrics: GROUP_METRICS,
    metricsGranularity: '1Minute',
    tag: groupTags({ Name: names.managerGroupName }),
  });

  const workerSg = new SecurityGroup(scope, 'worker-sg', {
    name: names.name('workers', 'securityGroup'),
    description: `docker-autoscaler workers of fleet ${fleet.name}: SSH from the fleet's manager only`,
    vpcId: ctx.vpcId,
    ingress: [{ description: 'SSH from the runner manager (fleeting connector)', protocol: 'tcp', fromPort: 22, toPort: 22, securityGroups: [ctx.runnerSg.id] }],
    egress: [{ description: 'Outbound to registries and package mirrors', protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }],
    tags: { Name: names.name('workers') },
  });
  // Jobs run on workers; hop limit 1 keeps their containers off the metadata service, and the role holds nothing but Session Manager anyway.
  const workerRole = new InstanceRole(scope, 'worker-role', { name: names.name('worker', 'iamRole') });
  const workerLt = new RunnerLaunchTemplate(scope, 'worker-lt', {
    name: names.name('workers'),
    architecture: names.architecture,
    imageId: jobImage(fleet, names.architecture),
    userData: workerUserData(`${names.jobGroupName}`),
    securityGroupIds: [workerSg.id],
    instanceProfileArn: workerRole.profile.arn,
    volumeSizeGb: fleet.volumeSizeGb,
    tags: tags('worker'),
  });
  new AutoscalingGroup(scope, 'workers', {
    name: names.jobGroupName,
    minSize: 0,
    maxSize: fleet.maxInstances,
    vpcZoneIdentifier: ctx.subnetIds,
    mixedInstancesPolicy: mixedInstances(fleet, workerLt.template.id),
    protectFromScaleIn: true,
    capacityRebalance: false,
    // AZRebalance would terminate workers (running jobs included) to even out the zones behind the
    // plugin's back; GitLab's docker-autoscaler docs require it off on multi-zone groups.
    suspendedProcesses: ['AZRebalance'],
    enabledMetrics: GROUP_METRICS,
    metricsGranularity: '1Minute',
    tag: groupTags({ Name: names.jobGroupName }),
    lifecycle: { ignoreChanges: ['desired_capacity'] },
  });
  return { jobGroupName: names.jobGroupName, managerGroupName: names.managerGroupName };
}
