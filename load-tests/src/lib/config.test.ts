import { checkEnvironmentText } from '@gitlab-aws/core';
import { environmentFixture } from '../testing/fixtures';
import { resolveSuiteConfig } from './config';

describe('resolveSuiteConfig', () => {
  it('applies the same defaults as the core schema', () => {
    const raw = environmentFixture('2k');
    const validated = checkEnvironmentText('environments/gitlab-2k.json', JSON.stringify(raw)).config!.loadTest!;
    const c = resolveSuiteConfig('environments/gitlab-2k.json', raw, {});
    expect(c.mode).toBe(validated.mode);
    expect(c.rampUpSeconds).toBe(validated.mixed.rampUpSeconds);
    expect(c.holdSeconds).toBe(validated.mixed.holdSeconds);
    expect(c.vus).toEqual({ ...validated.vus, expectedLatencyMs: undefined });
    expect(c.thresholds).toEqual(validated.thresholds);
    expect(c.unsafeWrites).toBe(validated.unsafeWrites);
    expect(c.groupPath).toBe('perf');
    expect(c.baseUrl).toBe('https://gitlab-2k.example.com');
  });

  it('takes the per-endpoint durations in per-endpoint mode', () => {
    const validated = checkEnvironmentText('environments/gitlab-3k.json', JSON.stringify(environmentFixture('3k'))).config!.loadTest!;
    const c = resolveSuiteConfig('e.json', environmentFixture('3k'), { LOAD_TEST_MODE: 'per-endpoint' });
    expect([c.rampUpSeconds, c.holdSeconds]).toEqual([validated.perEndpoint.rampUpSeconds, validated.perEndpoint.holdSeconds]);
  });

  it('lets environment variables override the URL, mode, durations, endpoints and writes', () => {
    const c = resolveSuiteConfig('e.json', environmentFixture('2k', { unsafeWrites: true }), {
      GITLAB_URL: 'http://127.0.0.1:8080/',
      LOAD_TEST_MODE: 'per-endpoint',
      LOAD_TEST_HOLD_SECONDS: '30',
      LOAD_TEST_RAMP_UP_SECONDS: '0',
      LOAD_TEST_ENDPOINTS: 'api_user, web_group',
      LOAD_TEST_UNSAFE_WRITES: 'false',
    });
    expect(c).toMatchObject({ baseUrl: 'http://127.0.0.1:8080', mode: 'per-endpoint', holdSeconds: 30, rampUpSeconds: 0, onlyEndpoints: ['api_user', 'web_group'], unsafeWrites: false });
  });

  it('explains what is missing, naming the file and field', () => {
    const without = (key: string) => Object.fromEntries(Object.entries(environmentFixture('2k')).filter(([k]) => k !== key));
    const noLoadTest = without('loadTest');
    const noGitlab = without('gitlab');
    expect(() => resolveSuiteConfig('environments/x.json', noLoadTest, {})).toThrow('environments/x.json: loadTest is missing: add { "projectPath": "group/project" }');
    expect(() => resolveSuiteConfig('environments/x.json', noGitlab, {})).toThrow('environments/x.json: gitlab is missing');
    expect(() => resolveSuiteConfig('x.json', { ...noGitlab, gitlab: { size: '100k' } }, {})).toThrow('gitlab.size is "100k": expected one of 1k, poc, 2k, 3k, 5k, 10k, 25k, 50k');
    expect(() => resolveSuiteConfig('x.json', environmentFixture('2k'), { LOAD_TEST_MODE: 'soak' })).toThrow('LOAD_TEST_MODE is "soak": expected "mixed" or "per-endpoint"');
    expect(() => resolveSuiteConfig('x.json', environmentFixture('2k'), { LOAD_TEST_HOLD_SECONDS: 'ten' })).toThrow('LOAD_TEST_HOLD_SECONDS is "ten"');
    expect(() => resolveSuiteConfig('x.json', environmentFixture('2k', { projectPath: 'lonely' }), {})).toThrow('"lonely" has no parent group: set loadTest.groupPath');
  });
});
