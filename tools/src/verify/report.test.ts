import { acceptedNotPlanned, GITLAB_PROVIDER, verificationProblems, type StackReport } from './report';

const HELM = 'registry.terraform.io/hashicorp/helm';
const KUBERNETES = 'registry.terraform.io/hashicorp/kubernetes';
const notPlanned = (missingProviders: string[]): StackReport => ({ stack: 's', status: 'not-planned', resources: 3, reason: 'provider not available offline', missingProviders });

describe('stacks not planned for a missing provider', () => {
  it('accepts the Kubernetes-side providers (helm, kubernetes) like the GitLab one, only when allowed', () => {
    for (const missing of [[GITLAB_PROVIDER], [HELM, KUBERNETES], [KUBERNETES]]) {
      expect(acceptedNotPlanned(notPlanned(missing), { allowGitlabNotPlanned: true })).toBe(true);
      expect(acceptedNotPlanned(notPlanned(missing), {})).toBe(false);
    }
  });

  it('never accepts a missing AWS provider, alone or beside helm', () => {
    const aws = 'registry.terraform.io/hashicorp/aws';
    expect(acceptedNotPlanned(notPlanned([aws]), { allowGitlabNotPlanned: true })).toBe(false);
    expect(acceptedNotPlanned(notPlanned([HELM, aws]), { allowGitlabNotPlanned: true })).toBe(false);
    expect(verificationProblems({ outdir: 'o', stacks: [notPlanned([HELM, aws])] } as never, { allowGitlabNotPlanned: true })).toEqual(['s: not planned']);
  });

  it('names the missing service providers and the allowance when not allowed', () => {
    expect(verificationProblems({ outdir: 'o', stacks: [notPlanned([HELM, KUBERNETES])] } as never)).toEqual([
      `s: not planned (only providers of a running service are missing (${HELM}, ${KUBERNETES}): set VERIFY_ALLOW_GITLAB_NOT_PLANNED=1 or pass --allow-gitlab-not-planned where they cannot plan)`,
    ]);
  });
});
