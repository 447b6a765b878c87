import { casesFromJest, casesFromVerification, junitXml } from './junit';

describe('JUnit report', () => {
  it('turns jest results into cases, failures and skips included', () => {
    const cases = casesFromJest(
      {
        testResults: [
          {
            name: '/repo/packages/x/a.test.ts',
            assertionResults: [
              { fullName: 'a works', title: 'works', status: 'passed', duration: 12 },
              { fullName: 'a breaks', title: 'breaks', status: 'failed', duration: 3, failureMessages: ['expected <1> & got 2\u001b[31m'] },
              { title: 'later', status: 'todo' },
            ],
          },
        ],
      },
      '/repo',
    );
    expect(cases).toEqual([
      { suite: 'packages/x/a.test.ts', name: 'a works', seconds: 0.012 },
      { suite: 'packages/x/a.test.ts', name: 'a breaks', seconds: 0.003, failure: 'expected <1> & got 2\u001b[31m' },
      { suite: 'packages/x/a.test.ts', name: 'later', seconds: 0, skipped: 'todo' },
    ]);
    const xml = junitXml(cases);
    expect(xml).toContain('<testsuite name="packages/x/a.test.ts" tests="3" failures="1" skipped="1" time="0.015">');
    // Escaped, and the terminal colour code (not allowed in XML) dropped.
    expect(xml).toContain('<failure message="failed">expected &lt;1&gt; &amp; got 2[31m</failure>');
  });

  it('reports each stack plan: failed plans fail, unplannable stacks are skipped with the reason', () => {
    const cases = casesFromVerification(
      {
        outdir: '',
        providers: [],
        wallMs: 0,
        stacks: [
          { stack: 'dev-baseline', status: 'planned', resources: 7, initMs: 1000, planMs: 2000 },
          { stack: 'devops-gitlab-ci', status: 'not-planned', resources: 9, reason: 'gitlabhq/gitlab is in no provider mirror' },
          { stack: 'dev-broken', status: 'failed', resources: 1, reason: 'Error: bad' },
        ],
      },
      'dev',
    );
    expect(cases.map((c) => [c.name, c.seconds, c.failure, c.skipped])).toEqual([
      ['dev-baseline', 3, undefined, undefined],
      ['devops-gitlab-ci', 0, undefined, 'gitlabhq/gitlab is in no provider mirror'],
      ['dev-broken', 0, 'Error: bad', undefined],
    ]);
  });
});
