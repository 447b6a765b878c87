/**
 * Ruby literals for gitlab.rb. Values are rendered, never concatenated by hand, so quoting is
 * always right; `RubyCode` marks the few places that are expressions (secret look-ups).
 */

/** A Ruby expression inserted as is. */
export class RubyCode {
  constructor(readonly code: string) {}
}

export type RubyValue = string | number | boolean | null | RubyCode | RubyValue[] | { [key: string]: RubyValue };

/** Where each node keeps the secrets it fetched at boot (root only, 0600 files). */
export const BOOT_SECRETS_DIR = '/etc/gitlab/boot-secrets';

/** gitlab.rb reads a secret from its boot-secrets file when `gitlab-ctl reconfigure` evaluates it. */
export const secret = (name: string) => new RubyCode(`boot_secret.call(${rbString(name)})`);

/**
 * A Redis URL whose password is a boot secret, read when reconfigure evaluates gitlab.rb (GitLab's
 * form for the `redis_*_instance` settings): `scheme://:<secret>@host[:port]`. The generated
 * passwords are hex, so they need no URL escaping.
 */
export const redisUrlWithSecret = (scheme: 'redis' | 'rediss', name: string, hostAndPort: string) =>
  new RubyCode(`"${scheme}://:#{boot_secret.call(${rbString(name)})}@${hostAndPort.replace(/["#\\]/g, '')}"`);

/** The md5 form PostgreSQL and PgBouncer expect: md5(password + username), computed at reconfigure. */
export const pgMd5 = (name: string, user: string) => new RubyCode(`pg_md5.call(${rbString(name)}, ${rbString(user)})`);

/** Prologue of every rendered gitlab.rb: the look-up helpers the settings call. */
export function secretHelpers(): string[] {
  return [
    "require 'digest'",
    '# Secrets are fetched at boot into root-only files and read here when reconfigure evaluates this file;',
    '# they never appear in this file, in the user data or in Terraform.',
    `boot_secret = lambda { |name| File.read(File.join(${rbString(BOOT_SECRETS_DIR)}, name)).strip }`,
    "pg_md5 = lambda { |name, user| Digest::MD5.hexdigest(boot_secret.call(name) + user) }",
  ];
}

export function rbString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const SYMBOL_KEY = /^[a-z_][a-z0-9_]*$/;

/**
 * Renders a value. Hash keys are symbols (`key: value`) or strings (`'key' => value`); nested
 * hashes use the same style, as GitLab's examples do.
 */
export function rb(value: RubyValue, keys: 'symbol' | 'string' = 'string', indent = ''): string {
  const inner = `${indent}  `;
  if (value instanceof RubyCode) return value.code;
  if (value === null) return 'nil';
  if (typeof value === 'string') return rbString(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot render ${value} as Ruby`);
    return String(value);
  }
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v !== 'object' || v === null)) return `[${value.map((v) => rb(v, keys)).join(', ')}]`;
    return `[\n${value.map((v) => `${inner}${rb(v, keys, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const key = (k: string) => {
    if (keys === 'string') return `${rbString(k)} =>`;
    if (!SYMBOL_KEY.test(k)) throw new Error(`"${k}" cannot be a Ruby symbol key`);
    return `${k}:`;
  };
  return `{\n${entries.map(([k, v]) => `${inner}${key(k)} ${rb(v, keys, inner)},`).join('\n')}\n${indent}}`;
}

/** `target = value` as one gitlab.rb statement. */
export function set(target: string, value: RubyValue, keys: 'symbol' | 'string' = 'string'): string {
  return `${target} = ${rb(value, keys)}`;
}

/** `name(value)`: gitlab.rb's method-style settings (`roles`, `external_url`). */
export function call(name: string, value: RubyValue): string {
  return `${name}(${rb(value)})`;
}
