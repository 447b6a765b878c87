import { wallClock } from '@gitlab-aws/core';
import { zonedClock } from './zoned-clock';

describe('zonedClock', () => {
  it('agrees with core wallClock minute by minute, across DST changes and quarter-hour zones', () => {
    const starts = ['2024-03-31T00:30:00Z', '2024-10-27T00:30:00Z', '2024-03-10T06:30:00Z', '2024-06-01T23:40:00Z'];
    for (const zone of ['Europe/Dublin', 'America/New_York', 'Asia/Kathmandu', 'America/St_Johns', 'UTC']) {
      for (const start of starts) {
        for (let m = 0; m < 130; m += 7) {
          const t = Date.parse(start) + m * 60000 + 13000;
          expect([zone, new Date(t).toISOString(), zonedClock(t, zone)]).toEqual([zone, new Date(t).toISOString(), wallClock(new Date(t), zone)]);
        }
      }
    }
  });
});
