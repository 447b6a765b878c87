import { Construct } from 'constructs';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { AutoscalingAttachment } from '@cdktf/provider-aws/lib/autoscaling-attachment';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup, type LbTargetGroupConfig } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbTargetGroupAttachment } from '@cdktf/provider-aws/lib/lb-target-group-attachment';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { CHART_INGRESS_HEALTH_PATH, CHART_INGRESS_NODE_PORTS, type GitLabConfig, type GitLabNodeRole, type ResourceNames } from '@gitlab-aws/core';
import { PORTS } from './port-matrix';

/** GitLab's readiness endpoint (the LB's addresses must be in GitLab's monitoring allowlist). */
export const READINESS_PATH = '/-/readiness';
/** TLS 1.3/1.2 only. */
export const TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

interface Targets {
  readonly [name: string]: string;
}

export interface ExternalLoadBalancerProps {
  readonly config: GitLabConfig;
  readonly names: ResourceNames;
  readonly vpcId: string;
  readonly publicSubnetIds: readonly string[];
  readonly securityGroupId: string;
  /**
   * Where it forwards: the Rails instances (IDs by node name; `role` names theirs, default "rails",
   * "allInOne" in 1k) on NGINX's ports 80 and 22, or
   * (Cloud Native Hybrid) the Auto Scaling groups of EKS node groups (names by pool) on the chart
   * NGINX's NodePorts, every node of those groups registered as it starts.
   */
  readonly backend: { readonly rails: Targets; readonly role?: GitLabNodeRole } | { readonly kubernetesNodeGroups: Targets };
}

/** A target group a load balancer forwards to: which nodes, on which port. */
export interface LoadBalancerTarget {
  readonly loadBalancer: 'external-lb' | 'internal-lb';
  /** Target group name, e.g. "web-http". */
  readonly name: string;
  /** Role of the registered instances ("kubernetes": the EKS nodes). */
  readonly role: GitLabNodeRole | 'kubernetes';
  readonly port: number;
}

interface Backend {
  readonly role: 'rails' | 'kubernetes';
  /** Plain HTTP: the Rails nodes' NGINX, where the web listener forwards; the chart NGINX's redirect to https. Health checks go here. */
  readonly http: number;
  /**
   * The chart NGINX's HTTPS NodePort, where the web listener re-encrypts to (no certificate is
   * validated by the load balancer), so NGINX itself sees https and sets X-Forwarded-Proto to it.
   * Default: none (web traffic goes to `http`).
   */
  readonly https?: number;
  readonly ssh: number;
  readonly healthPath: string;
}

/** Forwarding ports and the health check of each backend kind. */
const BACKENDS: Readonly<Record<Backend['role'], Backend>> = {
  // GitLab's readiness endpoint on NGINX's port 80; gitlab.rb forces X-Forwarded-Proto https there.
  rails: { role: 'rails', http: PORTS.http, ssh: PORTS.gitSsh, healthPath: READINESS_PATH },
  // ingress-nginx's default server answers the health path with any Host header. Health checks
  // stay on the HTTP NodePort: both NodePorts lead to the same NGINX pods (externalTrafficPolicy
  // Cluster), so either picks the same healthy nodes, and that port is open for the redirect anyway.
  kubernetes: { role: 'kubernetes', http: CHART_INGRESS_NODE_PORTS.http, https: CHART_INGRESS_NODE_PORTS.https, ssh: CHART_INGRESS_NODE_PORTS.gitlabShell, healthPath: CHART_INGRESS_HEALTH_PATH },
};

/**
 * The entry point users reach, ending TLS with the ACM certificate (given, or requested in the
 * hosted zone): an NLB (443 TLS, 80, Git SSH on 22) or an ALB (HTTPS, least outstanding requests,
 * 80 redirected) with an NLB beside it for Git SSH. To the Rails nodes' NGINX it forwards plain
 * HTTP on port 80; to the chart NGINX on the EKS nodes it re-encrypts web traffic to the HTTPS
 * NodePort (NGINX's own certificate, not validated), so NGINX sees https, and sends port 80 to
 * the HTTP NodePort, where NGINX redirects to https. Optional Route 53 alias records.
 */
export class ExternalLoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  /** The NLB carrying Git SSH (the same as loadBalancer for "nlb"). */
  readonly sshLoadBalancer: Lb;
  readonly certificateArn: string;
  /** Every target group and the port it forwards to (checked against what the nodes serve). */
  readonly targets: LoadBalancerTarget[] = [];

  constructor(scope: Construct, id: string, props: ExternalLoadBalancerProps) {
    super(scope, id);
    const { config, names } = props;
    const host = new URL(config.externalUrl).hostname;
    const certificateArn = config.domain?.certificateArn ?? (config.domain?.hostedZoneId ? this.requestCertificate(host, config.domain.hostedZoneId) : undefined);
    if (!certificateArn) throw new Error('ExternalLoadBalancer: TLS ends here in every size: set gitlab.domain.certificateArn or gitlab.domain.hostedZoneId');
    this.certificateArn = certificateArn;
    const lb = (lbId: string, type: 'network' | 'application') =>
      new Lb(this, lbId, {
        name: names.name(lbId, 'loadBalancer'),
        loadBalancerType: type,
        internal: false,
        subnets: [...props.publicSubnetIds],
        securityGroups: [props.securityGroupId],
        enableCrossZoneLoadBalancing: true,
        ...(type === 'application' ? { dropInvalidHeaderFields: true } : {}),
        tags: { Name: names.name(lbId) },
      });
    const backend = 'rails' in props.backend ? BACKENDS.rails : BACKENDS.kubernetes;
    const httpHealth = { enabled: true, protocol: 'HTTP', port: String(backend.http), path: backend.healthPath, matcher: '200', interval: 15, healthyThreshold: 3, unhealthyThreshold: 3 };
    const group = (tgId: string, port: number, extra: Partial<LbTargetGroupConfig> = {}) => {
      const tg = new LbTargetGroup(this, tgId, { name: names.name(tgId, 'targetGroup'), port, protocol: 'TCP', vpcId: props.vpcId, targetType: 'instance', healthCheck: httpHealth, ...extra });
      if ('rails' in props.backend) {
        for (const [node, instanceId] of Object.entries(props.backend.rails)) new LbTargetGroupAttachment(this, `${tgId}-${node}`, { targetGroupArn: tg.arn, targetId: instanceId, port });
      } else {
        // Instances of the groups register on the target group's port as the autoscaler starts them.
        for (const [pool, asg] of Object.entries(props.backend.kubernetesNodeGroups)) new AutoscalingAttachment(this, `${tgId}-${pool}`, { autoscalingGroupName: asg, lbTargetGroupArn: tg.arn });
      }
      this.targets.push({ loadBalancer: 'external-lb', name: tgId, role: 'rails' in props.backend ? (props.backend.role ?? 'rails') : backend.role, port });
      return tg;
    };
    const listen = (listenerId: string, on: Lb, port: number, protocol: string, tg: LbTargetGroup, tls = false) =>
      new LbListener(this, listenerId, {
        loadBalancerArn: on.arn,
        port,
        protocol,
        ...(tls ? { certificateArn: this.certificateArn, sslPolicy: TLS_POLICY } : {}),
        defaultAction: [{ type: 'forward', targetGroupArn: tg.arn }],
      });

    if (config.externalLoadBalancer === 'alb') {
      this.loadBalancer = lb('web', 'application');
      const balanced = { loadBalancingAlgorithmType: 'least_outstanding_requests' };
      const web =
        backend.https === undefined
          ? group('web-http', backend.http, { protocol: 'HTTP', ...balanced, healthCheck: { ...httpHealth, port: 'traffic-port' } })
          : group('web-https', backend.https, { protocol: 'HTTPS', ...balanced });
      listen('https', this.loadBalancer, PORTS.https, 'HTTPS', web, true);
      new LbListener(this, 'http-redirect', {
        loadBalancerArn: this.loadBalancer.arn,
        port: PORTS.http,
        protocol: 'HTTP',
        defaultAction: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: String(PORTS.https), statusCode: 'HTTP_301' } }],
      });
      this.sshLoadBalancer = lb('ssh', 'network');
    } else {
      this.loadBalancer = lb('web', 'network');
      this.sshLoadBalancer = this.loadBalancer;
      const http = group('web-http', backend.http);
      listen('http', this.loadBalancer, PORTS.http, 'TCP', http);
      listen('https', this.loadBalancer, PORTS.https, 'TLS', backend.https === undefined ? http : group('web-https', backend.https, { protocol: 'TLS' }), true);
    }
    listen('git-ssh-listener', this.sshLoadBalancer, PORTS.gitSsh, 'TCP', group('git-ssh', backend.ssh));

    if (config.domain?.hostedZoneId) {
      const alias = (recordId: string, name: string, target: Lb) =>
        new Route53Record(this, recordId, { zoneId: config.domain!.hostedZoneId!, name, type: 'A', alias: { name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: true } });
      alias('dns', host, this.loadBalancer);
      if (this.sshLoadBalancer !== this.loadBalancer) alias('ssh-dns', `ssh.${host}`, this.sshLoadBalancer);
    }
  }

  private requestCertificate(host: string, zoneId: string): string {
    const cert = new AcmCertificate(this, 'certificate', { domainName: host, validationMethod: 'DNS', lifecycle: { createBeforeDestroy: true } });
    const option = cert.domainValidationOptions.get(0);
    const record = new Route53Record(this, 'certificate-validation-record', {
      zoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: 300,
      allowOverwrite: true,
    });
    return new AcmCertificateValidation(this, 'certificate-validation', { certificateArn: cert.arn, validationRecordFqdns: [record.fqdn] }).certificateArn;
  }
}

export interface InternalLoadBalancerProps {
  readonly names: ResourceNames;
  readonly vpcId: string;
  readonly privateSubnetIds: readonly string[];
  readonly securityGroupId: string;
  /** Backends by port: Praefect on 3305 (TLS, passed through), PgBouncer on 6432, the Rails internal API on 80, each with its instance IDs by node name. */
  readonly backends: readonly { readonly name: string; readonly role: GitLabNodeRole; readonly port: number; readonly targets: Targets }[];
}

/**
 * The internal NLB: one stable address for Praefect (3305, TLS passed through), PgBouncer (6432) and
 * the Rails internal API (80). Client IPs are not preserved, so the backends see the load
 * balancer's group, which their rules name.
 */
export class InternalLoadBalancer extends Construct {
  readonly loadBalancer: Lb;
  readonly targets: LoadBalancerTarget[] = [];

  constructor(scope: Construct, id: string, props: InternalLoadBalancerProps) {
    super(scope, id);
    this.loadBalancer = new Lb(this, 'internal', {
      name: props.names.name('int', 'loadBalancer'),
      loadBalancerType: 'network',
      internal: true,
      subnets: [...props.privateSubnetIds],
      securityGroups: [props.securityGroupId],
      enableCrossZoneLoadBalancing: true,
      tags: { Name: props.names.name('internal') },
    });
    for (const backend of props.backends) {
      const tg = new LbTargetGroup(this, backend.name, {
        name: props.names.name(backend.name, 'targetGroup'),
        port: backend.port,
        protocol: 'TCP',
        vpcId: props.vpcId,
        targetType: 'instance',
        preserveClientIp: 'false',
        healthCheck: { enabled: true, protocol: 'TCP', port: 'traffic-port', interval: 10, healthyThreshold: 3, unhealthyThreshold: 3 },
      });
      for (const [node, instanceId] of Object.entries(backend.targets)) {
        new LbTargetGroupAttachment(this, `${backend.name}-${node}`, { targetGroupArn: tg.arn, targetId: instanceId, port: backend.port });
      }
      this.targets.push({ loadBalancer: 'internal-lb', name: backend.name, role: backend.role, port: backend.port });
      new LbListener(this, `${backend.name}-listener`, { loadBalancerArn: this.loadBalancer.arn, port: backend.port, protocol: 'TCP', defaultAction: [{ type: 'forward', targetGroupArn: tg.arn }] });
    }
  }
}
