/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week), the syntax shared by
 * GitLab Runner's autoscaler `periods` and EC2 Auto Scaling scheduled actions. Parsed here so an
 * environment file is rejected before deploy, and so the fleet simulator can evaluate periods.
 */

export interface CronField {
  /** Allowed values, sorted. */
  readonly values: readonly number[];
  /** True when the field was `*` (matters for the day-of-month / day-of-week rule). */
  readonly any: boolean;
}

export interface CronExpression {
  readonly minute: CronField;
  readonly hour: CronField;
  readonly dayOfMonth: CronField;
  readonly month: CronField;
  /** 0 = Sunday ... 6 = Saturday (7 is accepted as Sunday). */
  readonly dayOfWeek: CronField;
}

/** A wall-clock moment in some time zone. */
export interface WallClock {
  readonly minute: number;
  readonly hour: number;
  readonly dayOfMonth: number;
  /** 1-12 */
  readonly month: number;
  /** 0 = Sunday */
  readonly dayOfWeek: number;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Value the first name maps to. */
  readonly namesFrom?: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

export class CronSyntaxError extends Error {}

function value(text: string, spec: FieldSpec): number {
  const lower = text.toLowerCase();
  const named = spec.names?.indexOf(lower) ?? -1;
  if (named >= 0) return named + (spec.namesFrom ?? 0);
  if (!/^\d+$/.test(text)) {
    throw new CronSyntaxError(`${spec.name}: "${text}" is not a number${spec.names ? ` or a name (${spec.names.slice(0, 3).join(', ')}, ...)` : ''}`);
  }
  const n = Number(text);
  if (n < spec.min || n > spec.max) throw new CronSyntaxError(`${spec.name}: ${n} is outside ${spec.min}-${spec.max}`);
  return n;
}

function parseField(text: string, spec: FieldSpec): CronField {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === '') throw new CronSyntaxError(`${spec.name}: "${part}" is not a value, range or step`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw new CronSyntaxError(`${spec.name}: step "${stepText}" must be a positive number`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (range === '*') {
      from = spec.min;
      to = spec.name === 'day of week' ? 6 : spec.max;
    } else if (range.includes('-')) {
      const [a, b, more] = range.split('-');
      if (more !== undefined) throw new CronSyntaxError(`${spec.name}: "${range}" is not a range`);
      from = value(a, spec);
      to = value(b, spec);
      if (from > to) throw new CronSyntaxError(`${spec.name}: range "${range}" runs backwards`);
    } else {
      from = value(range, spec);
      to = stepText === undefined ? from : spec.name === 'day of week' ? 6 : spec.max;
    }
    for (let v = from; v <= to; v += step) values.add(spec.name === 'day of week' && v === 7 ? 0 : v);
  }
  return { values: [...values].sort((a, b) => a - b), any: text === '*' };
}

/** Parses a five-field expression; throws CronSyntaxError saying which field is wrong and why. */
export function parseCron(expression: string): CronExpression {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new CronSyntaxError(`expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`);
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = parts.map((p, i) => parseField(p, FIELDS[i]));
  return { minute, hour, dayOfMonth, month, dayOfWeek };
}

/** The error message for an invalid expression, or undefined when it is valid. */
export function cronProblem(expression: string): string | undefined {
  try {
    parseCron(expression);
    return undefined;
  } catch (e) {
    if (e instanceof CronSyntaxError) return e.message;
    throw e;
  }
}

/**
 * Whether the moment matches. As in Vixie cron, when both day fields are restricted a day matches
 * if either does.
 */
export function cronMatches(cron: CronExpression, at: WallClock): boolean {
  const has = (f: CronField, v: number) => f.values.includes(v);
  if (!has(cron.minute, at.minute) || !has(cron.hour, at.hour) || !has(cron.month, at.month)) return false;
  const dom = has(cron.dayOfMonth, at.dayOfMonth);
  const dow = has(cron.dayOfWeek, at.dayOfWeek);
  if (cron.dayOfMonth.any || cron.dayOfWeek.any) return dom && dow;
  return dom || dow;
}

/** True when the IANA time zone name is known to this runtime (e.g. "Europe/Berlin", "UTC"). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock reading of an instant in a time zone. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    minute: 'numeric',
    hour: 'numeric',
    day: 'numeric',
    month: 'numeric',
    weekday: 'short',
  }).formatToParts(instant);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    minute: Number(get('minute')),
    hour: Number(get('hour')),
    dayOfMonth: Number(get('day')),
    month: Number(get('month')),
    dayOfWeek: DAYS.indexOf(get('weekday').toLowerCase().slice(0, 3)),
  };
}
