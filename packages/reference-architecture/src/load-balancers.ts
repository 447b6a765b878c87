import { Construct } from 'constructs';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation';
import { Lb } from '@cdktf/provider-aws/lib/lb';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener';
import { LbTargetGroup, type LbTargetGroupConfig } from '@cdktf/provider-aws/lib/lb-target-group';
import { LbTargetGroupAttachment } from '@cdktf/provider-aws/lib/lb-target-group-attachment';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import type { GitLabConfig, GitLabNodeRole, ResourceNames } from '@gitlab-aws/core';
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
  /** Rails instance IDs by node name (1k: the all-in-one node's). */
  readonly rails: Targets;
  /** Role of those instances. Default: "rails" ("allInOne" in 1k). */
  readonly targetRole?: GitLabNodeRole;
}

/** A target group a load balancer forwards to: which nodes, on which port. */
export interface LoadBalancerTarget {
  readonly loadBalancer: 'external-lb' | 'internal-lb';
  /** Target group name, e.g. "web-http". */
  readonly name: string;
  /** Role of the registered instances. */
  readonly role: GitLabNodeRole;
  readonly port: number;
}

const httpHealth = { enabled: true, protocol: 'HTTP', port: String(PORTS.http), path: READINESS_PATH, matcher: '200', interval: 15, healthyThreshold: 3, unhealthyThreshold: 3 };

/**
 * The entry point users reach, ending TLS with the ACM certificate (given, or requested in the
 * hosted zone) and forwarding plain HTTP to NGINX on the Rails nodes' port 80: an NLB (443 TLS,
 * 80, Git SSH on 22) or an ALB (HTTPS, least outstanding requests, 80 redirected) with an NLB
 * beside it for Git SSH. Optional Route 53 alias records.
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
    const group = (tgId: string, port: number, extra: Partial<LbTargetGroupConfig> = {}) => {
      const tg = new LbTargetGroup(this, tgId, { name: names.name(tgId, 'targetGroup'), port, protocol: 'TCP', vpcId: props.vpcId, targetType: 'instance', healthCheck: httpHealth, ...extra });
      for (const [node, instanceId] of Object.entries(props.rails)) new LbTargetGroupAttachment(this, `${tgId}-${node}`, { targetGroupArn: tg.arn, targetId: instanceId, port });
      this.targets.push({ loadBalancer: 'external-lb', name: tgId, role: props.targetRole ?? 'rails', port });
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
      const web = group('web-http', PORTS.http, { protocol: 'HTTP', loadBalancingAlgorithmType: 'least_outstanding_requests', healthCheck: { ...httpHealth, port: 'traffic-port' } });
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
      const http = group('web-http', PORTS.http);
      listen('http', this.loadBalancer, PORTS.http, 'TCP', http);
      listen('https', this.loadBalancer, PORTS.https, 'TLS', http, true);
    }
    listen('git-ssh-listener', this.sshLoadBalancer, PORTS.gitSsh, 'TCP', group('git-ssh', PORTS.gitSsh));

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
