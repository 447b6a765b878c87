import type { GitLabTopology, NodeRole, TopologyNode } from './topology';
import { nodesOf } from './topology';
import type { SharedFile } from './secrets';

/**
 * Gitaly and Praefect speak only TLS (Gitaly on 9999, Praefect on 3305), with certificates from the
 * environment's own CA. The first Gitaly or Praefect node to boot generates the CA and keeps it in
 * Secrets Manager (create-secret is the race guard); every Gitaly and Praefect node issues its own
 * certificate from it at boot, and every client (Rails, Sidekiq, Praefect, Gitaly) trusts the CA
 * certificate through /etc/gitlab/trusted-certs. See docs/gitlab-on-nodes.md (TLS) for the trade-off.
 */

/** The node's own certificate and key (read by Gitaly or Praefect as the git user). */
export const NODE_CERTIFICATE_PATH = '/etc/gitlab/ssl/gitlab-node.crt';
export const NODE_KEY_PATH = '/etc/gitlab/ssl/gitlab-node.key';
/** The CA certificate; reconfigure adds /etc/gitlab/trusted-certs to the package's trust store. */
export const INTERNAL_CA_CERT_PATH = '/etc/gitlab/trusted-certs/gitlab-internal-ca.crt';

/** Roles that serve TLS with a certificate of their own (and so hold the CA key to issue it). */
export const TLS_SERVER_ROLES: readonly NodeRole[] = ['gitaly', 'praefect'];
/** Roles that only call them, and need the CA certificate alone. */
export const TLS_CLIENT_ROLES: readonly NodeRole[] = ['rails', 'sidekiq'];

/** What a node does with the internal CA at boot: issue its own certificate, only trust the CA, or nothing. */
export function internalCaMode(role: NodeRole): 'issue' | 'trust' | '' {
  if (TLS_SERVER_ROLES.includes(role)) return 'issue';
  if (TLS_CLIENT_ROLES.includes(role)) return 'trust';
  return '';
}

/**
 * Names the node's certificate holds (OpenSSL subjectAltName entries): its private address, which
 * Praefect and peers dial, and for Praefect the internal load balancer's name, which Rails dials.
 */
export function certificateNames(t: GitLabTopology, node: TopologyNode): string[] {
  if (!TLS_SERVER_ROLES.includes(node.role)) return [];
  return [`IP:${node.privateIp}`, ...(node.role === 'praefect' && t.internalLoadBalancerDns ? [`DNS:${t.internalLoadBalancerDns}`] : [])];
}

/**
 * The CA's Secrets Manager secrets: the key and certificate (Gitaly and Praefect only), and the
 * certificate alone (also Rails and Sidekiq). Whichever Gitaly or Praefect node comes first creates them.
 */
export function internalCaFiles(t: GitLabTopology): (SharedFile & { publishers: NodeRole[] })[] {
  const present = (roles: readonly NodeRole[]) => roles.filter((r) => nodesOf(t, r).length > 0);
  const servers = present(TLS_SERVER_ROLES);
  if (servers.length === 0) return [];
  return [
    { name: 'internal-ca', description: "the internal CA's key and certificate (issues Gitaly's and Praefect's certificates)", roles: servers, publishers: servers },
    { name: 'internal-ca-cert', description: "the internal CA's certificate, trusted by every Gitaly client", roles: present([...TLS_SERVER_ROLES, ...TLS_CLIENT_ROLES]), publishers: servers },
  ];
}
