import { awsProfile, signedInEnvironment } from './aws-profile';
import { affectedEnvironments } from './generate';
import { gitlabTokenProblem } from './gitlab-token';
import { lastSuccessfulDeployment, type Fetch } from './last-deployment';
import type { SynthesizedStack } from '../verify/synthesized-stacks';

const vars = { CI_API_V4_URL: 'https://gitlab.example.com/api/v4', CI_PROJECT_ID: '42', CI_JOB_TOKEN: 'job-token', CI_COMMIT_SHA: 'h'.repeat(40) };
function fakeApi(byEnv: Record<string, string | undefined | number>): { fetch: Fetch; calls: { url: string; headers: Record<string, string> }[] } {
  const calls: { url: string; headers: Record<string, string> }[] = [];
  const fetch: Fetch = async (url, init) => {
    calls.push({ url, headers: init.headers });
    const env = new URL(url).searchParams.get('environment')!;
    const v = byEnv[env];
    if (typeof v === 'number') return { ok: false, status: v, json: async () => ({}), text: async () => '403 Forbidden' };
    return { ok: true, status: 200, json: async () => (v ? [{ sha: v }] : []), text: async () => '' };
  };
  return { fetch, calls };
}

describe('last successful deployment', () => {
  it('asks the Deployments API for the newest successful deployment of the environment, with the job token', async () => {
    const api = fakeApi({ dev: 'a'.repeat(40) });
    expect(await lastSuccessfulDeployment('dev', vars, api.fetch)).toBe('a'.repeat(40));
    const url = new URL(api.calls[0].url);
    expect(url.pathname).toBe('/api/v4/projects/42/deployments');
    expect(Object.fromEntries(url.searchParams)).toEqual({ environment: 'dev', status: 'success', order_by: 'finished_at', sort: 'desc', per_page: '1' });
    expect(api.calls[0].headers).toEqual({ 'JOB-TOKEN': 'job-token' });
    await lastSuccessfulDeployment('dev', { ...vars, GITLAB_API_TOKEN: 'pat' }, api.fetch);
    expect(api.calls[1].headers).toEqual({ 'PRIVATE-TOKEN': 'pat' });
  });

  it('fails, naming GITLAB_API_TOKEN, when the API refuses; and outside GitLab', async () => {
    await expect(lastSuccessfulDeployment('dev', vars, fakeApi({ dev: 403 }).fetch)).rejects.toThrow(/answered 403 .*set GITLAB_API_TOKEN/);
    await expect(lastSuccessfulDeployment('dev', {}, fakeApi({}).fetch)).rejects.toThrow('CI_API_V4_URL and CI_PROJECT_ID are not set');
    await expect(lastSuccessfulDeployment('dev', { CI_API_V4_URL: 'x', CI_PROJECT_ID: '1' }, fakeApi({}).fetch)).rejects.toThrow('neither GITLAB_API_TOKEN nor CI_JOB_TOKEN');
  });

  it('on the default branch, counts changes since each environment\'s last successful deployment, not since the last push', async () => {
    const ranges: string[] = [];
    const result = await affectedEnvironments('/repo', 'default_branch', ['dev', 'prod', 'new', 'gone'], { ...vars, CI_COMMIT_BEFORE_SHA: 'p'.repeat(40) }, {
      fetch: fakeApi({ dev: 'd'.repeat(40), prod: 'o'.repeat(40), gone: 'g'.repeat(40) }).fetch,
      commitExists: (_root, sha) => sha !== 'g'.repeat(40),
      affected: (_root, base, head) => {
        ranges.push(`${base[0]}..${head[0]}`);
        return base === 'o'.repeat(40) ? ['prod', 'dev'] : [];
      },
    });
    expect(ranges.sort()).toEqual(['d..h', 'o..h']);
    expect([...result.affected].sort()).toEqual(['gone', 'new', 'prod']);
    expect(result.reasons).toMatchObject({ dev: expect.stringContaining('not affected since its last successful deployment'), new: 'affected (never deployed successfully)' });
  });
});

describe('deploy inputs', () => {
  it('signs in with the profile only: no runner keys, no ~/.aws credentials, no instance metadata', () => {
    const env = { PATH: '/bin', AWS_ACCESS_KEY_ID: 'AKIARUNNER', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't', AWS_PROFILE: 'runner', AWS_ROLE_ARN: 'x', AWS_WEB_IDENTITY_TOKEN_FILE: 'y', AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '/v2' };
    const profile = awsProfile('deploy', { GITLAB_OIDC_TOKEN: 'jwt', PIPELINE_ROLE_ARN: 'arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy' }, '/tmp/p');
    expect(profile.files['/tmp/p/config']).toContain('role_arn = arn:aws:iam::111111111111:role/gitlab-ci-hub-deploy');
    expect(signedInEnvironment(profile, '/tmp/p', env)).toEqual({
      PATH: '/bin',
      AWS_CONFIG_FILE: '/tmp/p/config',
      AWS_PROFILE: 'gitlab-ci',
      AWS_SHARED_CREDENTIALS_FILE: '/tmp/p/no-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  });

  it('stops a deploy that needs the GitLab provider when GITLAB_TOKEN is missing, naming the variable and the stacks', () => {
    const stack = (name: string, key: string) => ({ name, requiredProviders: [{ name: 'p', key }] }) as unknown as SynthesizedStack;
    const stacks = [stack('dev-baseline', 'registry.terraform.io/hashicorp/aws'), stack('dev-amplify-gitlab', 'registry.terraform.io/gitlabhq/gitlab')];
    expect(gitlabTokenProblem(stacks, {})).toMatch(/^GITLAB_TOKEN is not set, and dev-amplify-gitlab uses the GitLab provider: add GITLAB_TOKEN as a masked, protected CI\/CD variable/);
    expect(gitlabTokenProblem(stacks, { GITLAB_TOKEN: 'glpat-x' })).toBeUndefined();
    expect(gitlabTokenProblem(stacks.slice(0, 1), {})).toBeUndefined();
  });
});
