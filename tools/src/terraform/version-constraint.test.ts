import { bestVersion, satisfies } from './version-constraint';

describe('version constraints', () => {
  it.each([
    ['5.100.0', '5.100.0', true],
    ['5.100.1', '5.100.0', false],
    ['5.100.0', '= 5.100.0', true],
    ['5.100.0', '>= 5.0, < 6.0', true],
    ['6.0.0', '>= 5.0, < 6.0', false],
    ['5.100.3', '~> 5.100.0', true],
    ['5.101.0', '~> 5.100.0', false],
    ['5.101.0', '~> 5.100', true],
    ['6.0.0', '~> 5.100', false],
    ['5.99.0', '~> 5.100', false],
    ['5.100.0', '!= 5.100.0', false],
    ['18.6.1', undefined, true],
  ])('%s meets "%s": %s', (version, constraint, expected) => {
    expect(satisfies(version, constraint)).toBe(expected);
  });

  it('picks the highest matching version', () => {
    expect(bestVersion(['5.90.0', '5.100.0', '6.1.0'], '~> 5.0')).toBe('5.100.0');
    expect(bestVersion(['5.90.0'], '5.100.0')).toBeUndefined();
  });

  it('rejects syntax it does not understand instead of guessing', () => {
    expect(() => satisfies('1.0.0', '^1.0')).toThrow('unsupported version constraint: "^1.0"');
  });
});
