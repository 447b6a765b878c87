import type { PolicyStatement } from '@gitlab-aws/core';

/**
 * What the Kubernetes Cluster Autoscaler needs on AWS, limited to this cluster: it may resize or
 * shrink only Auto Scaling groups EKS tagged as owned by this cluster (managed node groups carry
 * the tag), and describe what it must read to simulate a scale-up.
 *
 * Cluster Autoscaler rather than Karpenter: GitLab's tables name an instance type per pool, and
 * managed node groups scaled by the autoscaler keep exactly those types; Karpenter chooses types
 * itself and adds its own controller, queue and node IAM to secure.
 */
export function clusterAutoscalerStatements(p: { clusterName: string; accountId: string; partition: string; region: string }): PolicyStatement[] {
  return [
    {
      Sid: 'ResizeOwnGroups',
      Effect: 'Allow',
      Action: ['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup'],
      Resource: `arn:${p.partition}:autoscaling:${p.region}:${p.accountId}:autoScalingGroup:*:autoScalingGroupName/*`,
      Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${p.clusterName}`]: 'owned' } },
    },
    {
      Sid: 'DescribeForSimulation',
      Effect: 'Allow',
      Action: [
        'autoscaling:DescribeAutoScalingGroups',
        'autoscaling:DescribeAutoScalingInstances',
        'autoscaling:DescribeLaunchConfigurations',
        'autoscaling:DescribeScalingActivities',
        'autoscaling:DescribeTags',
        'ec2:DescribeImages',
        'ec2:DescribeInstanceTypes',
        'ec2:DescribeLaunchTemplateVersions',
        'ec2:GetInstanceTypesFromInstanceRequirements',
      ],
      Resource: '*',
    },
    {
      Sid: 'DescribeOwnNodegroups',
      Effect: 'Allow',
      Action: 'eks:DescribeNodegroup',
      Resource: `arn:${p.partition}:eks:${p.region}:${p.accountId}:nodegroup/${p.clusterName}/*/*`,
    },
  ];
}
