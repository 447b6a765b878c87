import { arrivalRate, ratePerSecond, vuPool } from './arrival';

describe('arrivalRate', () => {
  it('keeps whole rates per second', () => {
    expect(arrivalRate(40)).toEqual({ rate: 40, timeUnit: '1s' });
    expect(arrivalRate(1)).toEqual({ rate: 1, timeUnit: '1s' });
  });
  it('gives a fraction exactly, as a whole rate over the shortest whole-second unit', () => {
    expect(arrivalRate(0.5)).toEqual({ rate: 1, timeUnit: '2s' });
    // A 2K API endpoint of weight 1 in a traffic type of weight 19.5: 40/19.5 = 80 per 39 s.
    expect(arrivalRate(40 / 19.5)).toEqual({ rate: 80, timeUnit: '39s' });
    expect(arrivalRate((40 * 0.25) / 19.5)).toEqual({ rate: 20, timeUnit: '39s' });
    expect(arrivalRate(4 / 9)).toEqual({ rate: 4, timeUnit: '9s' });
    for (const rps of [40 / 19.5, 60 / 19.5, 4 / 9, 6 / 9, 0.1, 2.05]) expect(ratePerSecond(arrivalRate(rps))).toBeCloseTo(rps, 12);
  });
  it('rounds per hour only when no unit up to an hour is exact', () => {
    expect(arrivalRate(Math.PI)).toEqual({ rate: 11310, timeUnit: '3600s' });
    expect(arrivalRate(1 / 3601)).toEqual({ rate: 1, timeUnit: '3600s' });
  });
  it('rejects a zero, negative or infinite rate', () => {
    expect(() => arrivalRate(0)).toThrow('expected a rate above 0, got 0');
    expect(() => arrivalRate(-1)).toThrow('expected a rate above 0');
    expect(() => arrivalRate(Infinity)).toThrow('expected a rate above 0');
  });
  it('reads back only whole-second units', () => {
    expect(ratePerSecond({ rate: 80, timeUnit: '39s' })).toBeCloseTo(2.0513, 4);
    expect(() => ratePerSecond({ rate: 1, timeUnit: '1m' })).toThrow('expected a time unit in whole seconds, got 1m');
  });
});

describe('vuPool', () => {
  it("pre-allocates Little's law times headroom plus a spare, since k6 drops while it adds VUs", () => {
    // 40 RPS x 0.5 s = 20 busy VUs; x2 headroom = 40, +1 spare.
    expect(vuPool(40, 500, 2, 500)).toEqual({ preAllocatedVUs: 41, maxVUs: 82 });
    // The 2K git_pull at a share of 2 RPS, two requests within 400 ms each: 1.6 busy -> 5.
    expect(vuPool(2, 800, 2, 500)).toEqual({ preAllocatedVUs: 5, maxVUs: 10 });
  });
  it('never exceeds the cap, even for the pre-allocated VUs', () => {
    expect(vuPool(60, 7000, 2, 100)).toEqual({ preAllocatedVUs: 100, maxVUs: 100 });
    expect(vuPool(10, 1000, 2, 30)).toEqual({ preAllocatedVUs: 21, maxVUs: 30 });
  });
  it('keeps two VUs for slow rates', () => {
    expect(vuPool(0.1, 100, 2, 500)).toEqual({ preAllocatedVUs: 2, maxVUs: 4 });
  });
});
