import { arrivalRate, vuPool, weightedSchedule } from './arrival';

describe('arrivalRate', () => {
  it('keeps whole rates per second and turns fractions into whole rates per minute or hour', () => {
    expect(arrivalRate(40)).toEqual({ rate: 40, timeUnit: '1s' });
    expect(arrivalRate(0.5)).toEqual({ rate: 30, timeUnit: '1m' });
    expect(arrivalRate(4 / 7)).toEqual({ rate: 2057, timeUnit: '1h' });
  });
  it('rejects a zero rate', () => {
    expect(() => arrivalRate(0)).toThrow('expected a rate above 0');
  });
});

describe('vuPool', () => {
  it("sizes the pool by Little's law with headroom", () => {
    // 40 RPS x 0.5 s = 20 busy VUs; x2 headroom = 40.
    expect(vuPool(40, 500, 2, 500)).toEqual({ preAllocatedVUs: 20, maxVUs: 40 });
  });
  it('never exceeds the cap, even for the pre-allocated VUs', () => {
    expect(vuPool(60, 7000, 2, 100)).toEqual({ preAllocatedVUs: 100, maxVUs: 100 });
  });
  it('keeps at least one VU for slow rates', () => {
    expect(vuPool(0.1, 100, 2, 500)).toEqual({ preAllocatedVUs: 1, maxVUs: 2 });
  });
});

describe('weightedSchedule', () => {
  it('gives each name exactly its share and spreads it evenly', () => {
    const s = weightedSchedule([{ name: 'a', weight: 1 }, { name: 'b', weight: 1 }, { name: 'c', weight: 2 }], 100);
    expect(s.filter((x) => x === 'c')).toHaveLength(50);
    expect(s.filter((x) => x === 'a')).toHaveLength(25);
    // Evenly spread: no name repeats more than once in a row when its share is at most half.
    expect(s.join(',')).not.toMatch(/c,c,c/);
    expect(s.join(',')).not.toMatch(/a,a/);
  });
  it('drops names with no weight', () => {
    expect(new Set(weightedSchedule([{ name: 'a', weight: 0 }, { name: 'b', weight: 1 }], 10))).toEqual(new Set(['b']));
  });
});
