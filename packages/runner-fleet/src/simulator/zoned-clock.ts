import { type WallClock, wallClock } from '@gitlab-aws/core';

/** Every time zone offset in use is a multiple of 15 minutes, so within a UTC quarter-hour only the minute moves. */
const CHUNK_MS = 15 * 60000;
const MAX_ENTRIES = 200_000;
const zones = new Map<string, Map<number, WallClock>>();

/**
 * The wall clock at an instant in a time zone, as core's wallClock gives it, but fast enough for
 * the simulator (which asks once per simulated minute, thousands of times per run): the zone is
 * resolved once per quarter-hour and the minute is added.
 */
export function zonedClock(epochMs: number, timeZone: string): WallClock {
  const chunkStart = Math.floor(epochMs / CHUNK_MS) * CHUNK_MS;
  let chunks = zones.get(timeZone);
  if (!chunks) zones.set(timeZone, (chunks = new Map()));
  let base = chunks.get(chunkStart);
  if (!base) {
    base = wallClock(new Date(chunkStart), timeZone);
    if (chunks.size >= MAX_ENTRIES) chunks.clear();
    chunks.set(chunkStart, base);
  }
  const minutes = Math.floor((epochMs - chunkStart) / 60000);
  return minutes === 0 ? base : { ...base, minute: base.minute + minutes };
}
