/** IAM policy documents of the runner roles: each grants one job, on named resources only. */

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string[];
  readonly Resource: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: PolicyStatement[];
}

const doc = (...Statement: PolicyStatement[]): PolicyDocument => ({ Version: '2012-10-17', Statement });

export function ec2AssumeRolePolicy(): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
}

/**
 * The AWS fleeting plugin's recommended IAM policy (its README, plugin major 1), scoped to one
 * worker group: change its capacity and remove its instances; describe groups and instances (these
 * actions have no resource-level permissions, so "*"); push a one-time SSH key (or read a Windows
 * password) only on instances carrying that group's tag. Nothing else: the worker group has no
 * lifecycle hook, and the manager's own drain hook has its own policy (drainHookPolicy).
 */
export function fleetingPluginPolicy(p: { workerGroupArn: string; workerGroupName: string; instanceArnPattern: string }): PolicyDocument {
  return doc(
    {
      Sid: 'ScaleOwnWorkerGroup',
      Effect: 'Allow',
      Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
      Resource: p.workerGroupArn,
    },
    {
      Sid: 'DescribeFleet',
      Effect: 'Allow',
      Action: ['autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeInstances'],
      Resource: '*',
    },
    {
      Sid: 'ConnectToOwnWorkers',
      Effect: 'Allow',
      Action: ['ec2-instance-connect:SendSSHPublicKey', 'ec2:GetPasswordData'],
      Resource: p.instanceArnPattern,
      Condition: { StringEquals: { 'ec2:ResourceTag/aws:autoscaling:groupName': p.workerGroupName } },
    },
  );
}

/** Read the fleet's one token parameter, decrypting only through SSM and only for that parameter. */
export function tokenReadPolicy(p: { parameterArn: string; keyArn: string; region: string }): PolicyDocument {
  return doc(
    { Sid: 'ReadRunnerToken', Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: p.parameterArn },
    {
      Sid: 'DecryptRunnerToken',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: p.keyArn,
      Condition: {
        StringEquals: { 'kms:ViaService': `ssm.${p.region}.amazonaws.com`, 'kms:EncryptionContext:PARAMETER_ARN': p.parameterArn },
      },
    },
  );
}

/** The fleet's folder of the cache bucket (the runner hands jobs pre-signed URLs for it). */
export function cachePolicy(p: { bucketArn: string; prefix: string }): PolicyDocument {
  return doc(
    { Sid: 'CacheObjects', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], Resource: `${p.bucketArn}/${p.prefix}/*` },
    { Sid: 'ListCacheFolder', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: p.bucketArn, Condition: { StringLike: { 's3:prefix': `${p.prefix}/*` } } },
  );
}

/**
 * Ship runner logs to the fleet's log group and agent metrics to the CWAgent namespace. The agent
 * resolves `${aws:AutoScalingGroupName}` with ec2:DescribeTags (no resource-level permissions);
 * without it the agent publishes no metric at all, and memory target tracking never acts.
 */
export function telemetryPolicy(p: { logGroupArn: string }): PolicyDocument {
  return doc(
    { Sid: 'WriteRunnerLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: `${p.logGroupArn}:*` },
    { Sid: 'AgentMetrics', Effect: 'Allow', Action: ['cloudwatch:PutMetricData'], Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'CWAgent' } } },
    { Sid: 'AgentResolvesGroupName', Effect: 'Allow', Action: ['ec2:DescribeTags'], Resource: '*' },
  );
}

/** The drain hook's actions: a leaving runner holds, then releases, its own group's terminating hook. */
export function drainHookPolicy(p: { groupArn: string }): PolicyDocument {
  return doc({
    Sid: 'DrainBeforeTermination',
    Effect: 'Allow',
    Action: ['autoscaling:RecordLifecycleActionHeartbeat', 'autoscaling:CompleteLifecycleAction'],
    Resource: p.groupArn,
  });
}
