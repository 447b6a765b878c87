// Pure module: gitlab-config (flows), cloud-native-hybrid (chart values) and reference-architecture
// (load balancer, security groups) all read these, so the three cannot drift apart.

/**
 * The fixed NodePorts of the GitLab chart's NGINX ingress controller Service in a Cloud Native
 * Hybrid deployment (`nginx-ingress.controller.service.nodePorts`). The environment's load
 * balancer ends the users' TLS with the ACM certificate and encrypts web traffic again to `https`
 * (NGINX's own certificate), so NGINX sees the https scheme; plain HTTP (port 80) goes to `http`,
 * where NGINX redirects to https and the health checks ask; Git SSH goes to `gitlabShell`. All
 * within Kubernetes' default NodePort range 30000-32767.
 */
export const CHART_INGRESS_NODE_PORTS = { http: 32080, https: 32443, gitlabShell: 32022 } as const;

/** Path ingress-nginx's default server answers 200 on, for the load balancer's health checks (no Host header needed). */
export const CHART_INGRESS_HEALTH_PATH = '/healthz';
