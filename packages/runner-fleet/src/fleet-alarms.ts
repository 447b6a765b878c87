import type { Construct } from 'constructs';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import type { RunnerFleetConfig } from '@gitlab-aws/core';
import type { FleetNames } from './fleet-settings';
import type { FleetGroups } from './group-parts';

export interface FleetAlarmsProps {
  readonly fleet: RunnerFleetConfig;
  readonly names: FleetNames;
  readonly logGroupName: string;
  readonly groups: FleetGroups;
  /** Notified on alarm and on recovery. Default: none. */
  readonly alarmTopicArn?: string;
}

/** Namespace of the metrics the fleets' log filters publish. */
export const RUNNER_METRIC_NAMESPACE = 'GitLabRunner';

const groupMetric = (id: string, metricName: string, group: string, stat = 'Maximum') => ({
  id,
  metric: { namespace: 'AWS/AutoScaling', metricName, period: 60, stat, dimensions: { AutoScalingGroupName: group } },
});

/**
 * Alarms a team acts on: capacity was asked for but none is running (jobs are waiting: spot
 * shortage, launch failures, a broken image), the autoscaler's manager is down, and GitLab rejects
 * the runner token (revoked, or a rotation the hosts have not picked up).
 */
export function addFleetAlarms(scope: Construct, p: FleetAlarmsProps): void {
  const actions = p.alarmTopicArn ? { alarmActions: [p.alarmTopicArn], okActions: [p.alarmTopicArn] } : {};
  const { names, fleet } = p;

  new CloudwatchMetricAlarm(scope, 'alarm-no-capacity', {
    alarmName: names.name('no-capacity'),
    alarmDescription: `Fleet ${fleet.name}: instances were requested for jobs but none has been in service for 10 minutes (spot capacity, launch failures or a broken image). Check the group's activity history.`,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    threshold: 1,
    evaluationPeriods: 10,
    treatMissingData: 'notBreaching',
    metricQuery: [
      { id: 'starved', expression: 'IF(desired > 0 AND running == 0, 1, 0)', label: 'requested but none in service', returnData: true },
      groupMetric('desired', 'GroupDesiredCapacity', p.groups.jobGroupName),
      groupMetric('running', 'GroupInServiceInstances', p.groups.jobGroupName),
    ],
    ...actions,
  });

  if (p.groups.managerGroupName) {
    new CloudwatchMetricAlarm(scope, 'alarm-manager-down', {
      alarmName: names.name('manager-down'),
      alarmDescription: `Fleet ${fleet.name}: the runner manager has not been in service for 5 minutes; no job of this fleet can start.`,
      namespace: 'AWS/AutoScaling',
      metricName: 'GroupInServiceInstances',
      dimensions: { AutoScalingGroupName: p.groups.managerGroupName },
      statistic: 'Minimum',
      period: 60,
      evaluationPeriods: 5,
      comparisonOperator: 'LessThanThreshold',
      threshold: 1,
      // No data means the group reports nothing at all: treat as down.
      treatMissingData: 'breaching',
      ...actions,
    });
  }

  const metricName = `TokenRejected-${fleet.name}`;
  new CloudwatchLogMetricFilter(scope, 'token-rejected-filter', {
    name: names.name('token-rejected'),
    logGroupName: p.logGroupName,
    // GitLab answers 403 to a job request with an unknown or revoked token.
    pattern: '"Checking for jobs" "forbidden"',
    metricTransformation: { name: metricName, namespace: RUNNER_METRIC_NAMESPACE, value: '1', defaultValue: '0' },
  });
  new CloudwatchMetricAlarm(scope, 'alarm-token-rejected', {
    alarmName: names.name('token-rejected'),
    alarmDescription: `Fleet ${fleet.name}: GitLab rejects the runner token. After a rotation, rerun /usr/local/sbin/runner-config on the hosts (see docs/runner-fleet.md).`,
    namespace: RUNNER_METRIC_NAMESPACE,
    metricName,
    statistic: 'Sum',
    period: 300,
    evaluationPeriods: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    threshold: 3,
    treatMissingData: 'notBreaching',
    ...actions,
  });
}
