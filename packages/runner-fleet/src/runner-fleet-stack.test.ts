import { join } from 'node:path';
import { Testing } from 'cdktf';
import { SESSION_MANAGER_POLICY, TEST_HUB, loadEnvironmentFile, testEnvironment } from '@gitlab-aws/core';
import { type Json, resourceWhere, resources, runnerEnvironment, synthRunnerStacks } from './__fixtures__/runner-stacks';
import { RunnerFleetStack } from './runner-fleet-stack';
import { RunnerTokenStack } from './runner-token-stack';

const ARN_ASG = 'arn:aws:autoscaling:eu-west-1:111111111111:autoScalingGroup:*:autoScalingGroupName/';

let aws: Json;
beforeAll(() => {
  ({ aws } = synthRunnerStacks());
});

/** Inline policies of the role whose name is given, parsed: its own, or with `sessionManager` the SSM agent's only. */
function rolePolicies(roleName: string, sessionManager = false): Json[] {
  const roleKey = Object.entries(aws.resource.aws_iam_role).find(([, r]) => (r as Json).name === roleName)?.[0];
  if (!roleKey) throw new Error(`no role ${roleName}`);
  return resources(aws, 'aws_iam_role_policy')
    .filter((p) => p.role === `\${aws_iam_role.${roleKey}.id}` && (p.name === 'session-manager') === sessionManager)
    .map((p) => JSON.parse(p.policy));
}
const statements = (roleName: string) => rolePolicies(roleName).flatMap((p) => p.Statement as Json[]);

/** Whether some Allow statement names the action (exactly or by wildcard) on the resource ("*" only by "*"). */
function allows(roleName: string, action: string, resource = '*'): boolean {
  const glob = (pattern: string, value: string) => new RegExp(`^${pattern.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(value);
  return statements(roleName).some((st) => {
    if (st.Effect !== 'Allow') return false;
    const actions: string[] = [st.Action].flat();
    const resources: string[] = [st.Resource].flat();
    return actions.some((a) => glob(a, action)) && resources.some((r) => r === resource || (resource !== '*' && glob(r, resource)));
  });
}

describe('autoscaler mode', () => {
  const workers = () => resourceWhere(aws, 'aws_autoscaling_group', 'name', 'devops-runners-mr-workers');

  it('gives the plugin a worker group that starts empty, is protected from scale-in and whose size Terraform ignores', () => {
    const g = workers();
    expect(g).toMatchObject({ min_size: 0, max_size: 12, protect_from_scale_in: true, lifecycle: { ignore_changes: ['desired_capacity'] } });
    expect(g.desired_capacity).toBeUndefined();
    const policiesOnWorkers = resources(aws, 'aws_autoscaling_policy').filter((p) => String(p.autoscaling_group_name).includes('fleet-mr'));
    expect(policiesOnWorkers).toEqual([]);
  });

  it('buys spot over several types above an on-demand base', () => {
    const mip = workers().mixed_instances_policy;
    expect(mip.instances_distribution).toMatchObject({ on_demand_base_capacity: 1, on_demand_percentage_above_base_capacity: 0, spot_allocation_strategy: 'price-capacity-optimized' });
    expect(mip.launch_template.override).toEqual([{ instance_type: 'm7i.xlarge' }, { instance_type: 'm6i.xlarge' }]);
  });

  it('runs exactly one manager, which drains before it is replaced', () => {
    const m = resourceWhere(aws, 'aws_autoscaling_group', 'name', 'devops-runners-mr-manager');
    expect(m).toMatchObject({ min_size: 1, max_size: 1, desired_capacity: 1 });
    // (60 min job timeout + 5 min margin) x 60 + 300 s shutdown_timeout: the same bound systemd gives the stop.
    expect(m.initial_lifecycle_hook).toEqual([
      { name: 'drain-runner', lifecycle_transition: 'autoscaling:EC2_INSTANCE_TERMINATING', heartbeat_timeout: 4200, default_result: 'CONTINUE' },
    ]);
    // Never two managers on one worker group: the old one leaves (drained) before the new one starts.
    expect(m.instance_refresh.preferences).toEqual({ min_healthy_percentage: 0, max_healthy_percentage: 100 });
  });

  it('suspends AZRebalance on the worker group, so AWS never terminates a busy worker to even out zones', () => {
    expect(workers().suspended_processes).toEqual(['AZRebalance']);
    const others = resources(aws, 'aws_autoscaling_group').filter((g) => g.name !== 'devops-runners-mr-workers');
    for (const g of others) expect([g.name, g.suspended_processes]).toEqual([g.name, undefined]);
  });

  it('grants the fleeting plugin its recommended policy on its own worker group, and the drain hook\'s actions only on the manager group', () => {
    const plugin = rolePolicies('devops-runners-mr-manager').find((_, i, all) => all[i].Statement.some((x: Json) => x.Sid === 'ScaleOwnWorkerGroup'))!;
    expect(plugin.Statement.flatMap((x: Json) => x.Action).sort()).toEqual([
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:SetDesiredCapacity',
      'autoscaling:TerminateInstanceInAutoScalingGroup',
      'ec2-instance-connect:SendSSHPublicKey',
      'ec2:DescribeInstances',
      'ec2:GetPasswordData',
    ]);
    const workerGroup = `${ARN_ASG}devops-runners-mr-workers`;
    expect(allows('devops-runners-mr-manager', 'autoscaling:SetDesiredCapacity', workerGroup)).toBe(true);
    expect(allows('devops-runners-mr-manager', 'autoscaling:SetDesiredCapacity', `${ARN_ASG}devops-runners-mr-manager`)).toBe(false);
    // Lifecycle actions: on the manager's group (its drain hook), never on the workers (they have no hook).
    expect(allows('devops-runners-mr-manager', 'autoscaling:CompleteLifecycleAction', workerGroup)).toBe(false);
    expect(allows('devops-runners-mr-manager', 'autoscaling:CompleteLifecycleAction', `${ARN_ASG}devops-runners-mr-manager`)).toBe(true);
    expect(allows('devops-runners-mr-manager', 'autoscaling:RecordLifecycleActionHeartbeat', `${ARN_ASG}devops-runners-mr-manager`)).toBe(true);
    const names = resources(aws, 'aws_iam_role_policy').map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['fleeting-plugin', 'drain-hook']));
  });

  it('scopes the fleeting plugin to its own worker group and that group\'s instances', () => {
    const s = statements('devops-runners-mr-manager');
    const scale = s.find((x) => x.Action.includes('autoscaling:SetDesiredCapacity'))!;
    expect(scale.Resource).toBe(`${ARN_ASG}devops-runners-mr-workers`);
    const connect = s.find((x) => x.Action.includes('ec2-instance-connect:SendSSHPublicKey'))!;
    expect(connect.Resource).toBe('arn:aws:ec2:eu-west-1:111111111111:instance/*');
    expect(connect.Condition).toEqual({ StringEquals: { 'ec2:ResourceTag/aws:autoscaling:groupName': 'devops-runners-mr-workers' } });
    // Only read-only describes may use "*", and no action is a wildcard.
    for (const st of s.filter((x) => x.Resource === '*')) {
      expect(st.Action.every((a: string) => /:(Describe\w+|PutMetricData)$/.test(a))).toBe(true);
    }
    expect(s.flatMap((x) => x.Action).some((a: string) => a.includes('*'))).toBe(false);
  });

  it('gives workers, where jobs run, nothing but Session Manager, and no role AmazonSSMManagedInstanceCore (its GetParameter covers every parameter)', () => {
    expect(rolePolicies('devops-runners-mr-worker')).toEqual([]);
    for (const role of ['devops-runners-mr-worker', 'devops-runners-mr-manager']) {
      expect(rolePolicies(role, true)).toEqual([SESSION_MANAGER_POLICY]);
    }
    expect(resources(aws, 'aws_iam_role_policy_attachment')).toEqual([]);
    const agentActions = SESSION_MANAGER_POLICY.Statement.flatMap((st) => [st.Action].flat());
    expect(agentActions.filter((a) => /^ssm:GetParameter/.test(a))).toEqual([]);
  });

  it('lets only the manager reach workers, on SSH', () => {
    const sg = resourceWhere(aws, 'aws_security_group', 'name', 'devops-runners-mr-workers');
    expect(sg.ingress).toHaveLength(1);
    expect(sg.ingress[0]).toMatchObject({ from_port: 22, to_port: 22, protocol: 'tcp', cidr_blocks: null });
    expect(sg.ingress[0].security_groups).toHaveLength(1);
    expect(resourceWhere(aws, 'aws_security_group', 'name', 'devops-runners-mr-manager').ingress ?? []).toEqual([]);
  });
});

describe('instance mode', () => {
  const group = () => resourceWhere(aws, 'aws_autoscaling_group', 'name', 'devops-runners-deploy-runners');

  it('tracks CPU and the CloudWatch agent\'s memory metric of its own group', () => {
    const policies = resources(aws, 'aws_autoscaling_policy');
    expect(policies.map((p) => p.autoscaling_group_name)).toEqual([expect.stringMatching(/^\$\{aws_autoscaling_group\.fleet-deploy_runners_\w+\.name\}$/), expect.anything()]);
    const cpu = policies.find((p) => p.name === 'cpu-target')!.target_tracking_configuration;
    const mem = policies.find((p) => p.name === 'memory-target')!.target_tracking_configuration;
    expect(cpu).toEqual({ target_value: 55, predefined_metric_specification: { predefined_metric_type: 'ASGAverageCPUUtilization' } });
    expect(mem).toEqual({
      target_value: 75,
      customized_metric_specification: {
        metric_name: 'mem_used_percent',
        namespace: 'CWAgent',
        statistic: 'Average',
        metric_dimension: [{ name: 'AutoScalingGroupName', value: 'devops-runners-deploy-runners' }],
      },
    });
  });

  it('drains a runner for the job timeout plus margin (and the runner\'s shutdown_timeout) before its instance goes', () => {
    expect(group().initial_lifecycle_hook).toEqual([
      { name: 'drain-runner', lifecycle_transition: 'autoscaling:EC2_INSTANCE_TERMINATING', heartbeat_timeout: 6300, default_result: 'CONTINUE' },
    ]);
    const drain = statements('devops-runners-deploy-runner').find((s) => s.Sid === 'DrainBeforeTermination')!;
    expect(drain.Resource).toBe(`${ARN_ASG}devops-runners-deploy-runners`);
  });

  it('lets the CloudWatch agent resolve its AutoScalingGroupName dimension (ec2:DescribeTags), or memory tracking gets no data', () => {
    for (const role of ['devops-runners-deploy-runner', 'devops-runners-mr-manager']) {
      expect([role, allows(role, 'ec2:DescribeTags')]).toEqual([role, true]);
    }
    // Nothing else is granted on "*" beyond describes and the agent's metrics.
    for (const st of statements('devops-runners-deploy-runner').filter((x) => x.Resource === '*')) {
      expect(st.Action.every((a: string) => /:(Describe\w+|PutMetricData)$/.test(a))).toBe(true);
    }
  });

  it('scales to zero on a schedule, and leaves the bounds to the schedule', () => {
    const schedules = resources(aws, 'aws_autoscaling_schedule');
    expect(schedules.map((s) => [s.scheduled_action_name, s.recurrence, s.time_zone, s.min_size, s.max_size]).sort()).toEqual([
      ['morning', '0 7 * * mon-fri', 'Europe/Dublin', 1, 4],
      ['night', '0 20 * * *', 'Europe/Dublin', 0, 0],
    ]);
    expect(group().lifecycle.ignore_changes).toEqual(['desired_capacity', 'min_size', 'max_size']);
    expect(group()).toMatchObject({ min_size: 1, max_size: 4 });
  });
});

describe('launch templates', () => {
  const templates = () => resources(aws, 'aws_launch_template');

  it('require IMDSv2 with hop limit 1 (job containers cannot take the instance role), encrypt gp3 volumes, give no public IP and no SSH key', () => {
    expect(templates()).toHaveLength(3);
    for (const t of templates()) {
      expect(t.metadata_options).toMatchObject({ http_tokens: 'required', http_put_response_hop_limit: 1, http_endpoint: 'enabled' });
      expect(t.block_device_mappings[0].ebs).toMatchObject({ volume_type: 'gp3', encrypted: 'true' });
      expect(t.network_interfaces[0].associate_public_ip_address).toBe('false');
      expect(t.key_name).toBeUndefined();
      expect(t.iam_instance_profile.arn).toMatch(/^\$\{aws_iam_instance_profile\./);
    }
  });

  it('boot Amazon Linux 2023 through its public SSM parameter, in the fleet\'s architecture', () => {
    expect(templates().map((t) => t.image_id)).toEqual(
      expect.arrayContaining(['resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64']),
    );
    const { aws: arm } = synthRunnerStacks([{ name: 'arm', tags: ['arm'], instanceTypes: ['m7g.large', 'c7g.large'] }]);
    const worker = resourceWhere(arm, 'aws_launch_template', 'name', 'devops-runners-arm-workers');
    expect(worker.image_id).toBe('resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64');
  });

  it('boot the jobs\' instances from a pre-built image when the fleet names one; the manager stays on Amazon Linux', () => {
    const { aws: baked } = synthRunnerStacks([
      { name: 'mr', tags: ['docker'], imageId: 'resolve:ssm:/images/runner-worker' },
      { name: 'deploy', mode: 'instance', tags: ['deploy'], protectedOnly: true, imageId: 'ami-0123456789abcdef0' },
    ]);
    const image = (name: string) => resourceWhere(baked, 'aws_launch_template', 'name', name).image_id;
    expect(image('devops-runners-mr-workers')).toBe('resolve:ssm:/images/runner-worker');
    expect(image('devops-runners-deploy-runners')).toBe('ami-0123456789abcdef0');
    expect(image('devops-runners-mr-manager')).toBe('resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64');
  });

  it('spread every group over the private subnets of at least two zones', () => {
    for (const g of resources(aws, 'aws_autoscaling_group')) {
      expect(g.vpc_zone_identifier).toHaveLength(2);
      for (const id of g.vpc_zone_identifier) expect(id).toMatch(/^\$\{aws_subnet\.network_private-\d_/);
    }
  });
});

describe('token, cache and logs', () => {
  it('lets each runner role read only its own fleet\'s token, decrypting through SSM only', () => {
    for (const [fleet, role] of [['mr', 'devops-runners-mr-manager'], ['deploy', 'devops-runners-deploy-runner']]) {
      const s = statements(role);
      const read = s.find((x) => x.Action.includes('ssm:GetParameter'))!;
      expect(read.Resource).toBe(`arn:aws:ssm:eu-west-1:111111111111:parameter/gitlab-aws/devops/runners/${fleet}/token`);
      const decrypt = s.find((x) => x.Action.includes('kms:Decrypt'))!;
      expect(decrypt.Resource).toMatch(/^\$\{aws_kms_key\.token-key\.arn\}$/);
      expect(decrypt.Condition.StringEquals).toEqual({ 'kms:ViaService': 'ssm.eu-west-1.amazonaws.com', 'kms:EncryptionContext:PARAMETER_ARN': read.Resource });
    }
    const readers = resources(aws, 'aws_iam_role_policy').filter((p) => p.policy.includes('ssm:GetParameter'));
    expect(readers).toHaveLength(2);
  });

  it('keeps the cache private, encrypted and expiring, each fleet in its own folder', () => {
    const bucket = resources(aws, 'aws_s3_bucket')[0];
    expect(bucket.bucket).toBe('devops-runner-cache-111111111111');
    expect(resources(aws, 'aws_s3_bucket_public_access_block')[0]).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(resources(aws, 'aws_s3_bucket_server_side_encryption_configuration')[0].rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe('AES256');
    expect(resources(aws, 'aws_s3_bucket_lifecycle_configuration')[0].rule[0].expiration).toEqual([{ days: 14 }]);
    const cache = statements('devops-runners-mr-manager').find((s) => s.Sid === 'CacheObjects')!;
    expect(cache.Resource).toMatch(/^\$\{aws_s3_bucket\.cache_bucket_\w+\.arn\}\/mr\/\*$/);
  });

  it('keeps runner logs for the configured days', () => {
    const groups = resources(aws, 'aws_cloudwatch_log_group').filter((g) => String(g.name).startsWith('/gitlab-runner/'));
    expect(groups.map((g) => [g.name, g.retention_in_days]).sort()).toEqual([
      ['/gitlab-runner/devops/deploy', 30],
      ['/gitlab-runner/devops/mr', 30],
    ]);
  });
});

describe('alarms', () => {
  it('warns when capacity was requested but none runs, when the manager is down, and when GitLab rejects the token', () => {
    const alarms = resources(aws, 'aws_cloudwatch_metric_alarm');
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual([
      'devops-runners-deploy-no-capacity',
      'devops-runners-deploy-token-rejected',
      'devops-runners-mr-manager-down',
      'devops-runners-mr-no-capacity',
      'devops-runners-mr-token-rejected',
    ]);
    const starved = alarms.find((a) => a.alarm_name === 'devops-runners-mr-no-capacity')!;
    expect(starved.metric_query[0].expression).toBe('IF(desired > 0 AND running == 0, 1, 0)');
    expect(starved.metric_query[1].metric.dimensions).toEqual({ AutoScalingGroupName: 'devops-runners-mr-workers' });
    for (const a of alarms) expect(a.alarm_actions).toEqual(['${aws_sns_topic.alarms.arn}']);
    expect(resources(aws, 'aws_sns_topic_subscription')[0]).toMatchObject({ protocol: 'email', endpoint: 'oncall@example.com' });
    const groups = resources(aws, 'aws_autoscaling_group');
    for (const g of groups) expect(g.enabled_metrics).toEqual(expect.arrayContaining(['GroupDesiredCapacity', 'GroupInServiceInstances']));
  });
});

describe('bad input', () => {
  it('names the missing section and the fix', () => {
    expect(() => new RunnerFleetStack(Testing.app(), { environment: testEnvironment(TEST_HUB) })).toThrow(
      'environments/devops.json: runners: no "runners" section',
    );
    const noNetwork = testEnvironment(TEST_HUB, { runners: { fleets: [{ name: 'mr', tags: ['x'] }] } });
    expect(() => new RunnerFleetStack(Testing.app(), { environment: noNetwork })).toThrow('environments/devops.json: network: the runner fleets need a "network" section');
  });
});

describe('token key', () => {
  it('survives any plan in production and may go with a throw-away environment', () => {
    const key = (production: boolean) => {
      const environment = { ...runnerEnvironment(), guardrails: { production } };
      const json = JSON.parse(Testing.synth(new RunnerFleetStack(Testing.app(), { environment })));
      return resources(json, 'aws_kms_key')[0];
    };
    expect(key(true).lifecycle).toEqual({ prevent_destroy: true });
    expect(key(false).lifecycle).toEqual({ prevent_destroy: false });
  });
});

describe('the protected deploy fleet of the example environment', () => {
  const environment = loadEnvironmentFile(join(__dirname, '..', '..', '..', 'environments', 'devops.json'));
  const app = Testing.app();
  const example = JSON.parse(Testing.synth(new RunnerFleetStack(app, { environment })));
  const tokens = JSON.parse(Testing.synth(new RunnerTokenStack(app, { environment })));
  const runner = (fleet: string) => resources(tokens, 'gitlab_user_runner').find((r) => String(r.description).includes(fleet))!;

  it('runs protected refs only, never untagged jobs, and holds tags no other fleet serves', () => {
    expect(runner('deploys')).toMatchObject({ access_level: 'ref_protected', untagged: false, tag_list: ['deploy', 'aws'] });
    expect(runner('merge-request')).toMatchObject({ access_level: 'not_protected', untagged: true });
    const others = resources(tokens, 'gitlab_user_runner').filter((r) => r.access_level !== 'ref_protected');
    for (const r of others) expect(r.tag_list.filter((t: string) => ['deploy', 'aws'].includes(t))).toEqual([]);
  });

  it('shares no group, instance role, security group or launch template with the merge-request fleet', () => {
    const names = (type: string, field: string) => resources(example, type).map((r) => String(r[field]));
    for (const [type, field] of [
      ['aws_autoscaling_group', 'name'],
      ['aws_iam_role', 'name'],
      ['aws_security_group', 'name'],
      ['aws_launch_template', 'name'],
    ]) {
      // Every fleet resource is named <env>-runners-<fleet>-...: none is shared or unnamed.
      const all = names(type, field).filter((n) => /^devops-runners-(deploy|mr)-/.test(n));
      const deploy = all.filter((n) => n.startsWith('devops-runners-deploy-'));
      expect([type, deploy.length > 0, all.length > deploy.length]).toEqual([type, true, true]);
    }
    const deployLt = resourceWhere(example, 'aws_launch_template', 'name', 'devops-runners-deploy-runners');
    const mrLts = resources(example, 'aws_launch_template').filter((t) => String(t.name).startsWith('devops-runners-mr-'));
    for (const t of mrLts) {
      expect(t.iam_instance_profile.arn).not.toBe(deployLt.iam_instance_profile.arn);
      expect(t.network_interfaces[0].security_groups).not.toEqual(deployLt.network_interfaces[0].security_groups);
    }
    // Its instances carry its own role, and jobs on them cannot reach that role through IMDS.
    const lt = resourceWhere(example, 'aws_launch_template', 'name', 'devops-runners-deploy-runners');
    expect(lt.iam_instance_profile.arn).toMatch(/fleet-deploy_runner-role/);
    expect(lt.metadata_options.http_put_response_hop_limit).toBe(1);
  });
});

