import { fitName, slug } from './fit-name';
import { ResourceNames } from './resource-names';

describe('naming', () => {
  it('leaves names within the limit alone', () => {
    expect(fitName('dev-baseline-analyzer', 64)).toBe('dev-baseline-analyzer');
  });

  it('shortens long names to the limit and keeps them distinct', () => {
    const a = fitName(`prod-reference-architecture-${'x'.repeat(40)}-a`, 32);
    const b = fitName(`prod-reference-architecture-${'x'.repeat(40)}-b`, 32);
    expect(a).toHaveLength(32);
    expect(b).toHaveLength(32);
    expect(a).not.toBe(b);
    expect(a).toMatch(/^prod-reference-architect-[0-9a-f]{7}$/);
  });

  it('is deterministic', () => {
    expect(fitName('a'.repeat(100), 20)).toBe(fitName('a'.repeat(100), 20));
  });

  it('refuses limits too small for a hash', () => {
    expect(() => fitName('abc', 8)).toThrow('use at least 12');
  });

  it('slugs parts into lowercase hyphenated names', () => {
    expect(slug('Dev', 'Runner Fleet', 'cache__bucket')).toBe('dev-runner-fleet-cache-bucket');
  });

  it('fits names to the kind of resource', () => {
    const names = new ResourceNames('production-eu', 'reference-architecture');
    expect(names.name('external-load-balancer', 'loadBalancer').length).toBeLessThanOrEqual(32);
    expect(names.name('gitaly')).toBe('production-eu-reference-architecture-gitaly');
    expect(names.bucket('gitlab-artifacts', '123456789012')).toBe('production-eu-gitlab-artifacts-123456789012');
    expect(names.bucket('a-very-long-purpose-for-a-bucket-name-here', '123456789012').length).toBeLessThanOrEqual(63);
  });
});
