import { cronMatches, cronProblem, isTimeZone, parseCron, wallClock } from './cron';

const at = (hour: number, minute: number, dayOfWeek: number, dayOfMonth = 15, month = 6) => ({ hour, minute, dayOfWeek, dayOfMonth, month });

describe('parseCron', () => {
  it('expands ranges, lists, steps and names', () => {
    const c = parseCron('*/15 7-19 * jan,jun mon-fri');
    expect(c.minute.values).toEqual([0, 15, 30, 45]);
    expect(c.hour.values).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(c.month.values).toEqual([1, 6]);
    expect(c.dayOfWeek.values).toEqual([1, 2, 3, 4, 5]);
    expect(parseCron('0 0 * * 7').dayOfWeek.values).toEqual([0]);
    expect(parseCron('0 0 * * 5/1').dayOfWeek.values).toEqual([5, 6]);
  });

  it('names the field and the fault', () => {
    expect(cronProblem('* * * *')).toBe('expected 5 fields (minute hour day-of-month month day-of-week), got 4');
    expect(cronProblem('60 * * * *')).toBe('minute: 60 is outside 0-59');
    expect(cronProblem('* 19-7 * * *')).toBe('hour: range "19-7" runs backwards');
    expect(cronProblem('* * * * funday')).toContain('day of week: "funday" is not a number or a name');
    expect(cronProblem('*/0 * * * *')).toBe('minute: step "0" must be a positive number');
    expect(cronProblem('* 7-19 * * mon-fri')).toBeUndefined();
  });
});

describe('cronMatches', () => {
  const workHours = parseCron('* 7-18 * * mon-fri');
  it('matches inside the period and not outside it', () => {
    expect(cronMatches(workHours, at(7, 0, 1))).toBe(true);
    expect(cronMatches(workHours, at(18, 59, 5))).toBe(true);
    expect(cronMatches(workHours, at(19, 0, 5))).toBe(false);
    expect(cronMatches(workHours, at(12, 0, 6))).toBe(false);
  });

  it('ORs the day fields when both are restricted', () => {
    const c = parseCron('0 0 1 * mon');
    expect(cronMatches(c, at(0, 0, 3, 1))).toBe(true);
    expect(cronMatches(c, at(0, 0, 1, 9))).toBe(true);
    expect(cronMatches(c, at(0, 0, 3, 9))).toBe(false);
  });
});

describe('time zones', () => {
  it('knows IANA names and rejects others', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it('reads the wall clock in a zone', () => {
    // 2024-01-15 is a Monday; Berlin is UTC+1 in winter.
    expect(wallClock(new Date('2024-01-15T06:30:00Z'), 'Europe/Berlin')).toEqual({ minute: 30, hour: 7, dayOfMonth: 15, month: 1, dayOfWeek: 1 });
    expect(wallClock(new Date('2024-01-14T23:30:00Z'), 'UTC').dayOfWeek).toBe(0);
  });
});
