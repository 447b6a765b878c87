import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { type EnvironmentConfig, type RunnerFleetConfig, type RunnersConfig, partitionOf } from '@gitlab-aws/core';
import { addFleetAlarms } from './fleet-alarms';
import { addAutoscalerGroups } from './autoscaler-groups';
import { renderConfigToml } from './config-toml';
import { FleetNames, gitlabUrl, stopTimeoutSeconds } from './fleet-settings';
import { cachePolicy, drainHookPolicy, fleetingPluginPolicy, tokenReadPolicy, telemetryPolicy, type PolicyDocument } from './iam-policies';
import { addInstanceGroup } from './instance-group';
import { InstanceRole } from './instance-role';
import { runnerHostUserData } from './user-data/runner-host';

export interface RunnerFleetProps {
  readonly environment: EnvironmentConfig;
  /** The environment's `runners` section (fleet-independent settings). */
  readonly runners: RunnersConfig;
  readonly fleet: RunnerFleetConfig;
  readonly vpcId: string;
  /** Private subnets across availability zones. */
  readonly subnetIds: string[];
  readonly cacheBucket: { readonly arn: string; readonly name: string };
  /** ARN of the KMS key the token parameter is encrypted with. */
  readonly tokenKeyArn: string;
  /** Tags for instances and volumes (the provider's default tags do not reach them). */
  readonly instanceTags: Record<string, string>;
  /** SNS topic the alarms notify. Default: none. */
  readonly alarmTopicArn?: string;
}

/**
 * One runner fleet: its log group, the role of the host that runs gitlab-runner, and either the
 * docker-autoscaler manager and worker groups or a group of runner instances, plus its alarms.
 */
export class RunnerFleet extends Construct {
  readonly names: FleetNames;
  /** The group whose instances run jobs (workers or runner instances). */
  readonly jobGroupName: string;
  readonly runnerRoleName: string;

  constructor(scope: Construct, id: string, props: RunnerFleetProps) {
    super(scope, id);
    const { environment: env, fleet, runners } = props;
    if (props.subnetIds.length < 2) {
      throw new Error(`RunnerFleet "${fleet.name}": expected private subnets in at least 2 availability zones, got ${props.subnetIds.length}`);
    }
    const names = new FleetNames(env, fleet);
    this.names = names;
    this.jobGroupName = names.jobGroupName;
    const partition = partitionOf(env.region);

    const logGroup = new CloudwatchLogGroup(this, 'logs', { name: names.logGroupName, retentionInDays: runners.logRetentionDays });

    const runnerSg = new SecurityGroup(this, 'runner-sg', {
      name: names.name(fleet.mode === 'autoscaler' ? 'manager' : 'runners', 'securityGroup'),
      description: `GitLab Runner ${fleet.mode === 'autoscaler' ? 'manager' : 'instances'} of fleet ${fleet.name}: no inbound, outbound to GitLab, registries and AWS APIs`,
      vpcId: props.vpcId,
      egress: [{ description: 'Outbound to GitLab, registries and AWS APIs', protocol: '-1', fromPort: 0, toPort: 0, cidrBlocks: ['0.0.0.0/0'] }],
      tags: { Name: names.name(fleet.mode === 'autoscaler' ? 'manager' : 'runners') },
    });

    const runnerGroupArn = names.groupArn(names.runnerGroupName);
    const policies: Record<string, PolicyDocument> = {
      'read-runner-token': tokenReadPolicy({ parameterArn: names.tokenParameterArn, keyArn: props.tokenKeyArn, region: env.region }),
      'runner-cache': cachePolicy({ bucketArn: props.cacheBucket.arn, prefix: names.cachePrefix }),
      telemetry: telemetryPolicy({ logGroupArn: logGroup.arn }),
      'drain-hook': drainHookPolicy({ groupArn: runnerGroupArn }),
    };
    if (fleet.mode === 'autoscaler') {
      policies['fleeting-plugin'] = fleetingPluginPolicy({
        workerGroupArn: names.groupArn(names.jobGroupName),
        workerGroupName: names.jobGroupName,
        instanceArnPattern: `arn:${partition}:ec2:${env.region}:${env.accountId}:instance/*`,
      });
    }
    const roleName = names.name(fleet.mode === 'autoscaler' ? 'manager' : 'runner', 'iamRole');
    this.runnerRoleName = roleName;
    const runnerRole = new InstanceRole(this, 'runner-role', { name: roleName, policies });

    const configToml = renderConfigToml({
      fleet,
      name: fleet.description ?? `${env.name} ${fleet.name} fleet`,
      gitlabUrl: gitlabUrl(env, runners),
      region: env.region,
      cacheBucket: props.cacheBucket.name,
      cachePrefix: names.cachePrefix,
      workerGroupName: fleet.mode === 'autoscaler' ? names.jobGroupName : undefined,
      fleetingPlugin: runners.fleetingPlugin,
    });
    const userData = runnerHostUserData({
      label: `${env.name}/${fleet.name} (${fleet.mode === 'autoscaler' ? 'manager' : 'runner'})`,
      region: env.region,
      runnerVersion: runners.runnerVersion,
      configToml,
      tokenParameterName: names.tokenParameterName,
      logGroupName: names.logGroupName,
      groupName: names.runnerGroupName,
      drainHookName: names.drainHookName,
      stopTimeoutSeconds: stopTimeoutSeconds(fleet),
      runsJobs: fleet.mode === 'instance',
      installFleetingPlugin: fleet.mode === 'autoscaler',
      // The docker-autoscaler keys its instances by token: a token swapped in place prunes running workers.
      rotateTokenInPlace: fleet.mode === 'instance',
    });

    const common = { fleet, names, partition, subnetIds: props.subnetIds, instanceTags: props.instanceTags, userData, runnerRole, runnerSg, vpcId: props.vpcId };
    const groups = fleet.mode === 'autoscaler' ? addAutoscalerGroups(this, common) : addInstanceGroup(this, common);
    addFleetAlarms(this, { fleet, names, logGroupName: logGroup.name, groups, alarmTopicArn: props.alarmTopicArn });
  }
}
