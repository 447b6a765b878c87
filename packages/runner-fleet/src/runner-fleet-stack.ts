import type { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { type EnvironmentConfig, EnvironmentStack, Network, type RunnersConfig, defaultTags } from '@gitlab-aws/core';
import { CacheBucket } from './cache-bucket';
import { FLEET_COMPONENT, cacheBucketName, tokenKeyAlias } from './fleet-settings';
import { RunnerFleet } from './runner-fleet';

export interface RunnerFleetStackProps {
  readonly environment: EnvironmentConfig;
}

/** The environment's runners section, or a clear error naming the file and what to add. */
export function requireRunners(env: EnvironmentConfig): RunnersConfig {
  if (!env.runners) {
    throw new Error(`environments/${env.name}.json: runners: no "runners" section; add one with at least one fleet, or do not compose the runner stacks`);
  }
  return env.runners;
}

/**
 * The AWS side of an environment's runner fleets: the network (core Network construct, from the
 * environment's `network` section), the key that encrypts the token parameters, the shared S3
 * cache, the alarm topic, and one RunnerFleet per fleet. Holds no token: hosts read theirs from
 * SSM at boot, by a name both runner stacks derive from the environment file.
 */
export class RunnerFleetStack extends EnvironmentStack {
  readonly network: Network;
  readonly fleets: RunnerFleet[];
  readonly tokenKey: KmsKey;

  constructor(scope: Construct, props: RunnerFleetStackProps) {
    super(scope, { environment: props.environment, component: FLEET_COMPONENT });
    const env = props.environment;
    const runners = requireRunners(env);
    if (!env.network) {
      throw new Error(`environments/${env.name}.json: network: the runner fleets need a "network" section (e.g. { "vpcCidr": "10.20.0.0/16" }) for their private subnets`);
    }
    this.network = new Network(this, 'network', { config: env.network, region: env.region, names: this.names });

    this.tokenKey = new KmsKey(this, 'token-key', {
      description: `Encrypts the GitLab Runner token parameters of ${env.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      // Losing the key makes every stored token unreadable; production keeps it through any plan.
      lifecycle: { preventDestroy: env.guardrails.production },
    });
    // The GitLab-side stack names the key by this alias when it writes a parameter.
    new KmsAlias(this, 'token-key-alias', { name: tokenKeyAlias(env), targetKeyId: this.tokenKey.keyId });

    const cache = new CacheBucket(this, 'cache', { bucketName: cacheBucketName(env), expiryDays: runners.cacheExpiryDays });

    // Not KMS-encrypted: CloudWatch cannot publish to a topic under the AWS-managed SNS key, and
    // alarm messages carry no secret.
    const topic = new SnsTopic(this, 'alarms', { name: this.names.name('alarms') });
    runners.alarmEmails.forEach((email, i) => new SnsTopicSubscription(this, `alarm-email-${i}`, { topicArn: topic.arn, protocol: 'email', endpoint: email }));

    const instanceTags = defaultTags(env, this.stackId);
    this.fleets = runners.fleets.map(
      (fleet) =>
        new RunnerFleet(this, `fleet-${fleet.name}`, {
          environment: env,
          runners,
          fleet,
          vpcId: this.network.vpcId,
          subnetIds: this.network.privateSubnets.map((s) => s.id),
          cacheBucket: { arn: cache.bucket.arn, name: cacheBucketName(env) },
          tokenKeyArn: this.tokenKey.arn,
          instanceTags,
          alarmTopicArn: topic.arn,
        }),
    );
  }
}
