import { messagesOf, type Values } from '../__fixtures__/findings';

const listener = (type: string, values: Values) => ({ [`${type}.l`]: values });
const redirect = (protocol: string) => ({ type: 'redirect', redirect: { protocol, port: '443', status_code: 'HTTP_301' } });

describe('GLA-LB-001: plain HTTP listeners', () => {
  it('flags an HTTP listener that forwards, or redirects to plain HTTP', () => {
    expect(messagesOf('GLA-LB-001', listener('aws_alb_listener', { protocol: 'HTTP', default_action: [{ type: 'forward', target_group_arn: 'x' }] }))).toEqual([
      'aws_alb_listener.l serves plain HTTP (port ?) without redirecting to HTTPS',
    ]);
    expect(messagesOf('GLA-LB-001', listener('aws_lb_listener', { protocol: 'HTTP', port: 8080, default_action: [redirect('HTTP')] }))).toEqual([
      'aws_lb_listener.l serves plain HTTP (port 8080) without redirecting to HTTPS',
    ]);
    // A redirect action without its redirect block redirects nowhere.
    expect(messagesOf('GLA-LB-001', listener('aws_lb_listener', { protocol: 'HTTP', port: 80, default_action: [{ type: 'redirect' }] }))).toHaveLength(1);
    // The protocol belongs to the redirect, not to the action.
    expect(messagesOf('GLA-LB-001', listener('aws_lb_listener', { protocol: 'HTTP', port: 80, default_action: [{ type: 'forward', protocol: 'HTTPS', redirect: { protocol: 'HTTPS' } }] }))).toHaveLength(1);
  });

  it('accepts a redirect to HTTPS among the default actions, and listeners of other protocols', () => {
    expect(messagesOf('GLA-LB-001', listener('aws_alb_listener', { protocol: 'HTTP', port: 80, default_action: [{ type: 'fixed-response' }, redirect('HTTPS')] }))).toEqual([]);
    expect(messagesOf('GLA-LB-001', listener('aws_lb_listener', { protocol: 'HTTP', port: 80, default_action: [redirect('HTTPS'), redirect('HTTP')] }))).toEqual([]);
    expect(messagesOf('GLA-LB-001', listener('aws_lb_listener', { protocol: 'TCP', port: 80, default_action: [{ type: 'forward' }] }))).toEqual([]);
  });
});

describe('GLA-LB-002: TLS policies', () => {
  it('flags an old or missing policy on HTTPS and TLS listeners', () => {
    expect(messagesOf('GLA-LB-002', listener('aws_lb_listener', { protocol: 'TLS', port: 443, ssl_policy: 'ELBSecurityPolicy-2016-08' }))).toEqual([
      'aws_lb_listener.l uses ssl_policy "ELBSecurityPolicy-2016-08", which accepts TLS versions older than 1.2',
    ]);
    expect(messagesOf('GLA-LB-002', listener('aws_alb_listener', { protocol: 'HTTPS' }))).toEqual([
      'aws_alb_listener.l uses the default ssl_policy, which accepts TLS versions older than 1.2',
    ]);
  });

  it('accepts TLS 1.2+ policies and ignores plain listeners', () => {
    expect(messagesOf('GLA-LB-002', listener('aws_lb_listener', { protocol: 'TLS', ssl_policy: 'ELBSecurityPolicy-TLS-1-2-Ext-2018-06' }))).toEqual([]);
    expect(messagesOf('GLA-LB-002', listener('aws_lb_listener', { protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-TLS13-1-3-2021-06' }))).toEqual([]);
    expect(messagesOf('GLA-LB-002', listener('aws_lb_listener', { protocol: 'HTTP' }))).toEqual([]);
    expect(messagesOf('GLA-LB-002', listener('aws_lb_listener', { protocol: 'TCP' }))).toEqual([]);
  });
});

describe('GLA-LB-003: invalid header fields', () => {
  it('checks application load balancers (the default type), under both resource names', () => {
    expect(messagesOf('GLA-LB-003', { 'aws_alb.a': {}, 'aws_lb.b': { load_balancer_type: 'application', drop_invalid_header_fields: 'false' } })).toEqual([
      'aws_alb.a forwards requests with invalid HTTP headers (drop_invalid_header_fields is not true)',
      'aws_lb.b forwards requests with invalid HTTP headers (drop_invalid_header_fields is not true)',
    ]);
    expect(messagesOf('GLA-LB-003', { 'aws_alb.a': { drop_invalid_header_fields: 'true' } })).toEqual([]);
  });

  it('skips network and gateway load balancers', () => {
    expect(messagesOf('GLA-LB-003', { 'aws_lb.n': { load_balancer_type: 'network' }, 'aws_lb.g': { load_balancer_type: 'gateway' } })).toEqual([]);
  });
});

describe('GLA-EKS-001: public API endpoint', () => {
  const cluster = (vpc_config?: Values) => messagesOf('GLA-EKS-001', { 'aws_eks_cluster.k': vpc_config ? { vpc_config } : {} });
  const open = ['aws_eks_cluster.k exposes the Kubernetes API to the whole internet'];

  it('flags a public endpoint open to every address', () => {
    expect(cluster()).toEqual(open);
    expect(cluster({ endpoint_public_access: true })).toEqual(open);
    expect(cluster({ endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24', '0.0.0.0/0'] })).toEqual(open);
  });

  it('accepts a private endpoint, or a public one limited to known networks', () => {
    expect(cluster({ endpoint_public_access: false })).toEqual([]);
    expect(cluster({ endpoint_public_access: 'false', public_access_cidrs: ['0.0.0.0/0'] })).toEqual([]);
    expect(cluster({ endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] })).toEqual([]);
  });
});

describe('GLA-EKS-002: secrets encryption', () => {
  it('needs an encryption_config that covers secrets', () => {
    const cluster = (encryption_config: unknown) => messagesOf('GLA-EKS-002', { 'aws_eks_cluster.k': { encryption_config } });
    expect(cluster([{ resources: ['configmaps'] }])).toEqual(['aws_eks_cluster.k does not encrypt Kubernetes secrets with KMS']);
    expect(cluster([{ resources: ['configmaps'] }, { resources: 'secrets' }])).toEqual([]);
  });
});
