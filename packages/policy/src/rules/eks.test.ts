import { messagesOf, ref } from '../__fixtures__/findings';

const goodLaunchTemplate = { metadata_options: { http_tokens: 'required', http_put_response_hop_limit: 1 } };

describe('GLA-EKS-003: control-plane logs', () => {
  it('accepts api, audit and authenticator (more is fine)', () => {
    expect(messagesOf('GLA-EKS-003', { 'aws_eks_cluster.c': { enabled_cluster_log_types: ['api', 'audit', 'authenticator', 'scheduler'] } })).toEqual([]);
  });

  it('names the missing log types', () => {
    expect(messagesOf('GLA-EKS-003', { 'aws_eks_cluster.c': {} })).toEqual(['aws_eks_cluster aws_eks_cluster.c: control-plane logs api, audit, authenticator are off (enabled_cluster_log_types)']);
    expect(messagesOf('GLA-EKS-003', { 'aws_eks_cluster.c': { enabled_cluster_log_types: ['api', 'scheduler'] } })).toEqual([
      'aws_eks_cluster aws_eks_cluster.c: control-plane logs audit, authenticator are off (enabled_cluster_log_types)',
    ]);
  });
});

describe('GLA-EKS-004: node metadata', () => {
  const group = (launchTemplate?: Record<string, unknown>) => ({ 'aws_eks_node_group.g': launchTemplate ? { launch_template: launchTemplate } : {} });

  it('accepts a node group whose launch template requires IMDSv2 with a hop limit of 1', () => {
    expect(messagesOf('GLA-EKS-004', { ...group({ id: ref('aws_launch_template.lt'), version: '1' }), 'aws_launch_template.lt': goodLaunchTemplate })).toEqual([]);
    expect(messagesOf('GLA-EKS-004', { ...group({ name: '${aws_launch_template.lt.name}' }), 'aws_launch_template.lt': { metadata_options: [{ http_tokens: 'required', http_put_response_hop_limit: '1' }] } })).toEqual([]);
  });

  it("flags EKS's default launch template", () => {
    expect(messagesOf('GLA-EKS-004', group())).toEqual([
      "aws_eks_node_group aws_eks_node_group.g uses EKS's default launch template, which allows IMDSv1 and a hop limit of 2 (pods can reach the node role)",
    ]);
  });

  it('flags IMDSv1 and a hop limit other than 1, naming both', () => {
    const messages = (options: Record<string, unknown>) => messagesOf('GLA-EKS-004', { ...group({ id: ref('aws_launch_template.lt') }), 'aws_launch_template.lt': { metadata_options: options } });
    expect(messages({ http_tokens: 'optional', http_put_response_hop_limit: 2 })).toEqual([
      'aws_eks_node_group aws_eks_node_group.g: launch template aws_launch_template.lt lets pods reach the node\'s credentials (http_tokens is "optional", http_put_response_hop_limit is 2)',
    ]);
    expect(messages({ http_tokens: 'required' })).toEqual([
      "aws_eks_node_group aws_eks_node_group.g: launch template aws_launch_template.lt lets pods reach the node's credentials (http_put_response_hop_limit is not set)",
    ]);
    expect(messages({ http_put_response_hop_limit: 1 })).toEqual([
      "aws_eks_node_group aws_eks_node_group.g: launch template aws_launch_template.lt lets pods reach the node's credentials (http_tokens is not set)",
    ]);
  });

  it('does not pass a launch template it cannot see', () => {
    expect(messagesOf('GLA-EKS-004', group({ name: 'made-elsewhere', version: '$Latest' }))).toEqual([
      'aws_eks_node_group aws_eks_node_group.g: its launch template is not in this stack, so its metadata options cannot be evaluated here',
    ]);
  });
});
