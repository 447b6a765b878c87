import { connections } from './connections';
import { renderGitlabRb } from './gitlab-rb';
import { iamNeeds } from './iam';
import { generatedSecrets, managedSecrets } from './secrets';
import { defineTopology, TopologyError, type GitLabTopologyInput, type ManagedEndpoints } from './topology';
import { nodeEnvironment } from './user-data';
import { RDS, topologyInput } from './__fixtures__/topologies';
import type { GitLabSize } from '@gitlab-aws/core';

/** A Cloud Native Hybrid topology: the size's stateful nodes only, Rails and Sidekiq on Kubernetes. */
function hybridInput(size: GitLabSize, managed: ManagedEndpoints = {}): GitLabTopologyInput {
  const input = topologyInput(size, managed);
  return { ...input, applicationTier: 'kubernetes', nodes: input.nodes.filter((n) => !['rails', 'sidekiq', 'monitoring'].includes(n.role)) };
}
const hybrid = (size: GitLabSize, managed: ManagedEndpoints = {}) => defineTopology(hybridInput(size, managed));

describe('applicationTier "kubernetes" (Cloud Native Hybrid)', () => {
  it('accepts the stateful nodes alone and refuses Rails, Sidekiq or monitoring nodes', () => {
    expect(() => hybrid('2k')).not.toThrow();
    expect(() => hybrid('3k', { postgres: RDS })).not.toThrow();
    const withRails = { ...hybridInput('2k'), nodes: topologyInput('2k').nodes };
    expect(() => defineTopology(withRails)).toThrow(TopologyError);
    expect(() => defineTopology(withRails)).toThrow(/"rails" nodes run on Kubernetes when applicationTier is "kubernetes"/);
    expect(() => defineTopology({ ...hybridInput('2k'), applicationTier: 'helm' as never })).toThrow(/applicationTier: "helm" must be/);
  });

  it('still requires Rails nodes for the Linux-package tier', () => {
    expect(() => defineTopology({ ...hybridInput('2k'), applicationTier: undefined })).toThrow(/2k needs at least 1 "rails" node/);
  });

  it("points Gitaly's internal API at the external URL (the chart's ingress), over HTTPS", () => {
    for (const size of ['2k', '3k'] as const) {
      const rb = renderGitlabRb(hybrid(size), 'gitaly-1');
      expect(rb).toContain("gitlab_rails['internal_api_url'] = 'https://gitlab.example.com'");
      expect(rb).not.toMatch(/internal_api_url'\] = 'http:/);
    }
  });

  it('lists the chart pods as the "kubernetes" peer with exactly the stateful ports they call', () => {
    const flows = (size: GitLabSize, managed: ManagedEndpoints = {}) =>
      connections(hybrid(size, managed))
        .filter((c) => c.fromRole === 'kubernetes')
        .map((c) => `${c.toRole}:${c.port}`)
        .sort();
    expect(flows('2k')).toEqual(['gitaly:9999', 'postgres:5432', 'redis:6379']);
    // 3k self-managed: PgBouncer and Praefect through the internal LB, DB load balancing, Redis with Sentinel.
    expect(flows('3k')).toEqual(['internal-lb:3305', 'internal-lb:6432', 'postgres:6432', 'redis:26379', 'redis:6379']);
    const all = connections(hybrid('3k'));
    expect(all.some((c) => c.toRole === 'rails' || c.fromRole === 'rails')).toBe(false);
    // The external load balancer reaches exactly the chart NGINX's NodePorts on the cluster's nodes:
    // HTTPS for web traffic (TLS again, so NGINX sees https), HTTP for the redirect and health checks, SSH.
    expect(all.filter((c) => c.fromRole === 'external-lb').map((c) => `${c.toRole}:${c.port}`).sort()).toEqual(['kubernetes:32022', 'kubernetes:32080', 'kubernetes:32443']);
    expect(all.find((c) => c.fromRole === 'external-lb' && c.port === 32443)!.purpose).toMatch(/^web and API/);
    // Gitaly's internal API calls leave the VPC through NAT, like the AWS APIs: no flow inside it.
    expect(all.some((c) => c.fromRole === 'gitaly' && c.port === 80)).toBe(false);
  });

  it("moves the Rails seed node's database duties to Gitaly's seed node", () => {
    const t = hybrid('2k', { postgres: RDS });
    const generated = Object.fromEntries(generatedSecrets(t).map((s) => [s.name, s.roles]));
    expect(generated['initial-root-password']).toEqual(['gitaly']);
    expect(generated['gitlab-db-password']).toEqual(['gitaly']);
    expect(managedSecrets(t).filter((s) => s.file.startsWith('gitlab-db-master')).map((s) => s.roles)).toEqual([['gitaly'], ['gitaly']]);
    const seed = nodeEnvironment(t, 'gitaly-1');
    expect(seed.DB_BOOTSTRAP).toBe(`${RDS!.host} 5432 gitlabhq_production gitlab gitlab-db`);
    expect(seed.RDS_CA_BUNDLE).not.toBe('');
    expect(seed.GENERATED_SECRETS).toContain('initial-root-password:hex32');
    expect(connections(t)).toContainEqual(expect.objectContaining({ fromRole: 'gitaly', toRole: 'managed-postgres', port: 5432 }));
    expect(iamNeeds(t).find((n) => n.role === 'gitaly')!.seedOnlySecretArns).toEqual([RDS!.masterSecretArn]);
  });

  it('leaves the database password with the PostgreSQL node when PostgreSQL is self-managed', () => {
    const t = hybrid('2k');
    expect(generatedSecrets(t).find((s) => s.name === 'gitlab-db-password')!.roles).toEqual(['postgres']);
    expect(nodeEnvironment(t, 'gitaly-1').DB_BOOTSTRAP).toBe('');
    expect(connections(t).some((c) => c.fromRole === 'gitaly' && c.toRole === 'postgres')).toBe(false);
  });

  it('publishes no Rails-only shared file (the chart generates its own Rails secrets and host keys)', () => {
    const t = hybrid('3k');
    expect(iamNeeds(t).flatMap((n) => n.secretsCreate).filter((s) => /gitlab-secrets-json|ssh-host-keys/.test(s))).toEqual([]);
  });
});
