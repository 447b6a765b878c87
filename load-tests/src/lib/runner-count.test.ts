import { DEFAULT_RPS_PER_RUNNER, runnerCount } from './runner-count';

describe('runnerCount', () => {
  it.each([
    [0, 200, 1],
    [1, 200, 1],
    [200, 200, 1],
    [200.5, 200, 2],
    [401, 200, 3],
    [1260, 200, 7],
    [1260, 100, 13],
  ])('%d RPS at %d per runner: %d runners', (total, per, expected) => {
    expect(runnerCount(total, per)).toBe(expected);
  });

  it('refuses a capacity that is not a positive number, and a negative total', () => {
    for (const bad of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => runnerCount(100, bad)).toThrow(/requests per runner must be a positive number/);
    expect(() => runnerCount(-1, 100)).toThrow(/total rate/);
    expect(() => runnerCount(Number.NaN, 100)).toThrow(/total rate/);
  });

  it('has a documented default a 1-vCPU runner can hold', () => {
    expect(DEFAULT_RPS_PER_RUNNER).toBe(200);
  });
});
