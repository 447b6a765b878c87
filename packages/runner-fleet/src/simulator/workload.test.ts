import { OFFICE_HOURS, generateWorkload, parseTraceCsv, seededRandom } from './workload';

describe('generated workload', () => {
  const week = (seed: number) => generateWorkload({ seed, days: 7, peakJobsPerHour: 60, meanDurationMinutes: 10 });

  it('is the same for the same seed and differs for another', () => {
    expect(week(7)).toEqual(week(7));
    expect(week(8)).not.toEqual(week(7));
    expect([seededRandom(1)(), seededRandom(1)()]).toEqual([seededRandom(1)(), seededRandom(1)()]);
  });

  it('follows the daily pattern: busy working hours, quiet nights and weekends', () => {
    const jobs = week(3);
    const perHour = (test: (h: number, d: number) => boolean, hoursInWeek: number) =>
      jobs.filter((j) => {
        const at = new Date(Date.UTC(2024, 0, 1) + j.arrival * 1000);
        return test(at.getUTCHours(), at.getUTCDay());
      }).length / hoursInWeek;
    const office = perHour((h, d) => d >= 1 && d <= 5 && h >= 8 && h < 18, 50);
    const night = perHour((h, d) => d >= 1 && d <= 5 && (h < 7 || h >= 20), 55);
    const weekend = perHour((_h, d) => d === 0 || d === 6, 48);
    // Expected 60, 3 and 3 per hour; a week of Poisson arrivals stays well within these bounds.
    expect(office).toBeGreaterThan(50);
    expect(office).toBeLessThan(70);
    expect(night).toBeLessThan(8);
    expect(weekend).toBeLessThan(8);
    expect(OFFICE_HOURS(12, 3)).toBe(1);
  });

  it('has the requested mean duration and arrivals in order', () => {
    const jobs = week(5);
    const mean = jobs.reduce((s, j) => s + j.duration, 0) / jobs.length / 60;
    expect(mean).toBeGreaterThan(9);
    expect(mean).toBeLessThan(11);
    expect(jobs.every((j, i) => i === 0 || j.arrival >= jobs[i - 1].arrival)).toBe(true);
  });
});

describe('CSV traces', () => {
  it('reads seconds, in any order of rows and columns', () => {
    expect(parseTraceCsv('duration,arrival\n30,100\n60,5\n').jobs).toEqual([
      { arrival: 5, duration: 60 },
      { arrival: 100, duration: 30 },
    ]);
  });

  it('reads ISO times relative to the first day, and keeps that day as the start', () => {
    const t = parseTraceCsv('arrival,duration\n2024-03-04T09:00:00Z,120\n2024-03-04T09:01:30Z,60\n');
    expect(t.start?.toISOString()).toBe('2024-03-04T00:00:00.000Z');
    expect(t.jobs).toEqual([
      { arrival: 9 * 3600, duration: 120 },
      { arrival: 9 * 3600 + 90, duration: 60 },
    ]);
  });

  it('names the file, line and fault', () => {
    expect(() => parseTraceCsv('when,how long\n1,2', 'jobs.csv')).toThrow('jobs.csv:1: expected a header with "arrival" and "duration" columns');
    expect(() => parseTraceCsv('arrival,duration\n1,2\n3,-4', 'jobs.csv')).toThrow('jobs.csv:3: duration "-4" is not a positive number of seconds');
    expect(() => parseTraceCsv('arrival,duration\nyesterday,5', 'jobs.csv')).toThrow('jobs.csv:2: arrival "yesterday" is neither seconds nor an ISO-8601 time');
  });
});
