import { chooseWorkers, WORKER_BYTES } from './worker-count';
import { sharesProvider } from './verify';
import type { MirroredProvider } from '../terraform/provider-mirror';
import type { SynthesizedStack } from './synthesized-stacks';

const GiB = 2 ** 30;

describe('chooseWorkers', () => {
  it('takes one worker per core when memory allows, and says why', () => {
    const c = chooseWorkers({ cores: 4, availableBytes: 16 * GiB, processes: 1 }, {});
    expect(c.workers).toBe(4);
    expect(c.reason).toMatch(/4 cores, 16\.0 GiB available.*VERIFY_WORKERS/);
  });
  it('takes fewer when memory holds fewer provider processes', () => {
    expect(chooseWorkers({ cores: 8, availableBytes: 3 * WORKER_BYTES + 1, processes: 1 }, {}).workers).toBe(3);
  });
  it('divides the machine among parallel Nx tasks, never below one', () => {
    expect(chooseWorkers({ cores: 8, availableBytes: 64 * GiB, processes: 2 }, {}).workers).toBe(4);
    expect(chooseWorkers({ cores: 2, availableBytes: 20 * GiB, processes: 2 }, {}).workers).toBe(1);
    expect(chooseWorkers({ cores: 2, availableBytes: 100 * 2 ** 20, processes: 3 }, {}).workers).toBe(1);
  });
  it('lets VERIFY_WORKERS override, and rejects a value that is not a whole number', () => {
    expect(chooseWorkers({ cores: 2, availableBytes: GiB, processes: 2 }, { VERIFY_WORKERS: '6' })).toEqual({ workers: 6, reason: '6 workers (VERIFY_WORKERS=6)' });
    expect(() => chooseWorkers({ cores: 2, availableBytes: GiB, processes: 1 }, { VERIFY_WORKERS: '0' })).toThrow(/VERIFY_WORKERS="0": expected a whole number/);
  });
});

describe('sharesProvider', () => {
  const build = { host: 'registry.terraform.io', namespace: 'hashicorp', type: 'aws', version: '5.100.0' } as MirroredProvider;
  const stack = (name: string, aws?: object | object[]) => ({ name, json: { provider: aws ? { aws } : {} } }) as unknown as SynthesizedStack;
  const builds = new Map([['one', build], ['none', build], ['aliased', build]]);
  it('shares the process with a stack of one AWS provider block (or none)', () => {
    expect(sharesProvider(stack('one', [{ region: 'eu-west-1' }]), build, builds)).toBe(true);
    expect(sharesProvider(stack('none'), build, builds)).toBe(true);
  });
  it("not with a stack of several blocks (aliases), which would plan with each other's configuration", () => {
    expect(sharesProvider(stack('aliased', [{ region: 'eu-west-1' }, { alias: 'us', region: 'us-east-1' }]), build, builds)).toBe(false);
  });
  it('not with a stack that plans with another build, or without AWS', () => {
    expect(sharesProvider(stack('other', [{ region: 'eu-west-1' }]), build, builds)).toBe(false);
  });
});
