import { blocks, bool, strings, type TfResource } from '../terraform-json';
import { perResource, type Rule } from './rule';

const LISTENERS = ['aws_lb_listener', 'aws_alb_listener'];
const MODERN_TLS = /TLS13|TLS-1-2/;

const redirectsToHttps = (r: TfResource) =>
  blocks(r.values.default_action).some((a) => a.type === 'redirect' && blocks(a.redirect).some((x) => x.protocol === 'HTTPS'));

export const loadBalancerRules: Rule[] = [
  {
    id: 'GLA-LB-001',
    severity: 'high',
    title: 'Load balancers serve HTTP only to redirect to HTTPS',
    checkov: ['CKV_AWS_2'],
    trivy: ['AWS-0054'],
    fix: 'Use protocol HTTPS with a certificate, or make the HTTP listener\'s default action a redirect to HTTPS.',
    check: perResource(LISTENERS, (r) =>
      r.values.protocol === 'HTTP' && !redirectsToHttps(r) ? `${r.address} serves plain HTTP (port ${String(r.values.port ?? '?')}) without redirecting to HTTPS` : undefined,
    ),
  },
  {
    id: 'GLA-LB-002',
    severity: 'medium',
    title: 'TLS listeners use a TLS 1.2+ policy',
    checkov: ['CKV_AWS_103'],
    trivy: ['AWS-0047'],
    fix: 'Set ssl_policy to ELBSecurityPolicy-TLS13-1-2-2021-06 (or another TLS 1.2/1.3 policy).',
    check: perResource(LISTENERS, (r) => {
      if (r.values.protocol !== 'HTTPS' && r.values.protocol !== 'TLS') return undefined;
      const policy = r.values.ssl_policy;
      if (typeof policy === 'string' && MODERN_TLS.test(policy)) return undefined;
      return `${r.address} uses ${typeof policy === 'string' ? `ssl_policy "${policy}"` : 'the default ssl_policy'}, which accepts TLS versions older than 1.2`;
    }),
  },
  {
    id: 'GLA-LB-003',
    severity: 'high',
    title: 'Application load balancers drop invalid header fields',
    checkov: ['CKV_AWS_131'],
    trivy: ['AWS-0052'],
    fix: 'Set drop_invalid_header_fields = true on the application load balancer.',
    check: perResource(['aws_lb', 'aws_alb'], (r) => {
      const type = r.values.load_balancer_type ?? 'application';
      if (type !== 'application') return undefined;
      return bool(r.values.drop_invalid_header_fields) === true ? undefined : `${r.address} forwards requests with invalid HTTP headers (drop_invalid_header_fields is not true)`;
    }),
  },
  {
    id: 'GLA-EKS-001',
    severity: 'high',
    title: 'EKS API endpoints are not open to the internet',
    checkov: ['CKV_AWS_38', 'CKV_AWS_39'],
    trivy: ['AWS-0040', 'AWS-0041'],
    fix: 'Set vpc_config { endpoint_public_access = false } or limit public_access_cidrs to known ranges.',
    check: perResource(['aws_eks_cluster'], (r) => {
      const vpc = blocks(r.values.vpc_config)[0] ?? {};
      if (bool(vpc.endpoint_public_access) === false) return undefined;
      const cidrs = strings(vpc.public_access_cidrs);
      return !cidrs.length || cidrs.includes('0.0.0.0/0') ? `${r.address} exposes the Kubernetes API to the whole internet` : undefined;
    }),
  },
  {
    id: 'GLA-EKS-002',
    severity: 'medium',
    title: 'EKS encrypts Kubernetes secrets',
    checkov: ['CKV_AWS_58'],
    trivy: ['AWS-0039'],
    fix: 'Add encryption_config { resources = ["secrets"], provider { key_arn = <KMS key> } }.',
    check: perResource(['aws_eks_cluster'], (r) =>
      blocks(r.values.encryption_config).some((c) => strings(c.resources).includes('secrets')) ? undefined : `${r.address} does not encrypt Kubernetes secrets with KMS`,
    ),
  },
];
