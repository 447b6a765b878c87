import { TEST_SPOKE, checkEnvironmentText, gitlabComProjectPath } from '@gitlab-aws/core';

/** Problems the loader reports for a dev environment with this amplify section, as "field: message". */
function problems(amplify: Record<string, unknown>): string[] {
  const checked = checkEnvironmentText('environments/dev.json', JSON.stringify({ ...TEST_SPOKE, amplify }));
  return checked.problems.map((p) => `${p.file} ${p.field}: ${p.message}`);
}

const branches = [{ name: 'main', stage: 'PRODUCTION' }];

describe('the amplify section of an environment file', () => {
  it('rejects a self-managed GitLab repository at synth, saying why and what to do', () => {
    expect(problems({ repository: 'https://gitlab.example.com/acme/web-shop', branches })).toEqual([
      'environments/dev.json amplify.repository: "gitlab.example.com" is not gitlab.com: Amplify Hosting connects only to gitlab.com repositories, not to self-managed GitLab. Mirror the project to gitlab.com (a push mirror) and give that URL, e.g. "https://gitlab.com/acme/web-shop", got "https://gitlab.example.com/acme/web-shop"',
    ]);
  });

  it('accepts gitlab.com projects in groups and subgroups, with or without .git', () => {
    expect(problems({ repository: 'https://gitlab.com/acme/web-shop', branches })).toEqual([]);
    expect(gitlabComProjectPath('https://gitlab.com/acme/frontend/web-shop.git')).toBe('acme/frontend/web-shop');
    expect(problems({ repository: 'https://gitlab.com/acme', branches })[0]).toContain('expected a gitlab.com project URL');
    expect(problems({ repository: 'git@gitlab.com:acme/web-shop.git', branches })[0]).toContain('expected a gitlab.com project URL');
  });

  it('keeps basic auth off production branches', () => {
    expect(problems({ repository: 'https://gitlab.com/a/b', branches: [{ name: 'main', stage: 'PRODUCTION', basicAuth: true }] })).toEqual([
      'environments/dev.json amplify.branches[0].basicAuth: basic auth is for non-production branches: remove it or change the stage, got true',
    ]);
  });

  it('checks branch names, stages and subdomains', () => {
    const found = problems({
      repository: 'https://gitlab.com/a/b',
      branches: [
        { name: 'main', stage: 'LIVE' },
        { name: 'feature/a', stage: 'DEVELOPMENT' },
        { name: 'feature-a', stage: 'DEVELOPMENT', domainPrefix: 'dev' },
      ],
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining('amplify.branches[0].stage: expected "PRODUCTION", "BETA", "DEVELOPMENT", "EXPERIMENTAL" or "PULL_REQUEST"'),
      ]),
    );
    const valid = [{ name: 'feature/a', stage: 'DEVELOPMENT' }, { name: 'feature-a', stage: 'DEVELOPMENT', domainPrefix: 'dev' }];
    expect(problems({ repository: 'https://gitlab.com/a/b', branches: valid })).toEqual([
      'environments/dev.json amplify.branches[1].name: "feature-a" and "feature/a" would share the subdomain "feature-a": host only one of them, got "feature-a"',
      'environments/dev.json amplify.branches[1].domainPrefix: needs amplify.customDomain: add { "domainName": "example.com" } or remove domainPrefix, got "dev"',
    ]);
  });

  it('needs a branch mapped to a custom domain, and no SPA rewrites on WEB_COMPUTE', () => {
    expect(problems({ repository: 'https://gitlab.com/a/b', branches, customDomain: { domainName: 'example.com' } })).toEqual([
      'environments/dev.json amplify.customDomain: maps no branch: set "domainPrefix" on at least one branch (e.g. "" for main, "dev" for develop), got "example.com"',
    ]);
    expect(problems({ repository: 'https://gitlab.com/a/b', branches, platform: 'WEB_COMPUTE', spaRewrites: true })[0]).toContain(
      'amplify.spaRewrites: single-page rewrites are for platform "WEB"',
    );
  });

  it('rejects reserved variable names and a rotation window longer than the token lives', () => {
    expect(problems({ repository: 'https://gitlab.com/a/b', branches, environmentVariables: { AWS_REGION: 'x' } })[0]).toContain('reserved by Amplify');
    expect(problems({ repository: 'https://gitlab.com/a/b', branches, gitlabToken: { expirationDays: 7, rotateBeforeDays: 7 } })[0]).toContain(
      'amplify.gitlabToken.rotateBeforeDays: must be smaller than expirationDays (7), got 7',
    );
  });

  it('is for spoke environments only', () => {
    const checked = checkEnvironmentText(
      'environments/devops.json',
      JSON.stringify({ name: 'devops', kind: 'hub', accountId: '111111111111', region: 'eu-west-1', owner: 'x', amplify: { repository: 'https://gitlab.com/a/b', branches } }),
    );
    expect(checked.problems.map((p) => p.field)).toContain('amplify');
  });
});
