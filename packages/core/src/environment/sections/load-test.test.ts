import { checkEnvironmentText } from '../loader';
import { formatProblem } from '../problems';
import { TEST_SPOKE } from '../../testing/environments';
import { LOAD_TEST_DEFAULTS } from './load-test-defaults';

const gitlab = { size: '2k', externalUrl: 'https://gitlab.example.com' };

function check(loadTest: unknown) {
  return checkEnvironmentText('environments/dev.json', JSON.stringify({ ...TEST_SPOKE, gitlab, loadTest }));
}

describe('loadTest section', () => {
  it('applies the documented defaults, the same values the k6 suite applies', () => {
    const { config, problems } = check({ projectPath: 'perf/gitlabhq' });
    expect(problems).toEqual([]);
    expect(config?.loadTest).toEqual({
      projectPath: 'perf/gitlabhq',
      mode: LOAD_TEST_DEFAULTS.mode,
      mixed: LOAD_TEST_DEFAULTS.mixed,
      perEndpoint: LOAD_TEST_DEFAULTS.perEndpoint,
      vus: LOAD_TEST_DEFAULTS.vus,
      thresholds: { ...LOAD_TEST_DEFAULTS.thresholds, ttfbP90Ms: {} },
      excludeEndpoints: [],
      unsafeWrites: false,
    });
  });

  it('is optional', () => {
    const { config } = checkEnvironmentText('environments/dev.json', JSON.stringify(TEST_SPOKE));
    expect(config?.loadTest).toBeUndefined();
  });

  it('names the file, field and the fix for bad values', () => {
    const lines = check({
      projectPath: 'https://gitlab.example.com/perf/x',
      mode: 'soak',
      mixed: { holdSeconds: 0 },
      thresholds: { successRate: 1, ttfbP90Ms: { api_user: -5 } },
      unsafeWrites: 'yes',
    }).problems.map(formatProblem);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/environments\/dev\.json.*loadTest\.projectPath.*expected a GitLab path/),
        expect.stringMatching(/loadTest\.mode.*expected "mixed" or "per-endpoint"/),
        expect.stringMatching(/loadTest\.mixed\.holdSeconds.*at least 1 second/),
        expect.stringMatching(/loadTest\.thresholds\.successRate.*below 1/),
        expect.stringMatching(/loadTest\.thresholds\.ttfbP90Ms\.api_user.*above 0/),
        expect.stringMatching(/loadTest\.unsafeWrites.*true or false/),
      ]),
    );
  });

  it('rejects unknown keys (strict)', () => {
    expect(check({ projectPath: 'perf/x', rps: 100 }).problems.map(formatProblem).join('\n')).toMatch(/loadTest.*rps/);
  });
});
