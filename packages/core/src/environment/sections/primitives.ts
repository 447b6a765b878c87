import { z } from 'zod';
import { REGION_NAMES } from '../regions';

/** Building blocks shared by the environment sections, each with the message a user sees. */

export const environmentName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,22}[a-z0-9]$/, {
    error: 'expected 2-24 characters of lowercase letters, digits and hyphens, starting with a letter (e.g. "staging")',
  });

export const accountId = z.string().regex(/^\d{12}$/, {
  error: 'expected a 12-digit AWS account ID in quotes (e.g. "123456789012")',
});

export const region = z.enum(REGION_NAMES, {
  error: (iss) =>
    `expected an AWS region code such as "eu-west-1" or "us-east-1", got ${JSON.stringify(iss.input)}`,
});

/** IAM role names: 1-64 characters of [\w+=,.@-]. */
export const iamRoleName = z.string().regex(/^[\w+=,.@-]{1,64}$/, {
  error: 'expected an IAM role name: 1-64 characters of letters, digits and + = , . @ _ -',
});

const ipv4 = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const CIDR_RE = new RegExp(`^${ipv4}\\.${ipv4}\\.${ipv4}\\.${ipv4}/(3[0-2]|[12]?\\d)$`);

/** An IPv4 CIDR block whose address has no bits set beyond its prefix. */
export const cidr = z
  .string()
  // abort: the host-bits check below cannot read a malformed block (it suggested "NaN.NaN.NaN.NaN/undefined").
  .regex(CIDR_RE, { error: 'expected an IPv4 CIDR block such as "10.20.0.0/16"', abort: true })
  .refine(isNetworkAddress, {
    error: (iss) => `expected the network address of the block (host bits zero), e.g. "${networkAddress(String(iss.input))}"`,
    abort: true,
  });

function toInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

function isNetworkAddress(block: string): boolean {
  const [ip, bits] = block.split('/');
  const prefix = Number(bits);
  const hostBits = 32 - prefix;
  return hostBits === 32 ? toInt(ip) === 0 : toInt(ip) % 2 ** hostBits === 0;
}

function networkAddress(block: string): string {
  const [ip, bits] = block.split('/');
  const size = 2 ** (32 - Number(bits));
  const base = toInt(ip) - (toInt(ip) % size);
  return `${[24, 16, 8, 0].map((s) => Math.floor(base / 2 ** s) % 256).join('.')}/${bits}`;
}

/** AWS tag keys and values: keys 1-128 characters and not under the reserved "aws:" prefix. */
export const tagMap = z.record(
  z
    .string()
    .min(1)
    .max(128, { error: 'tag keys are at most 128 characters' })
    .refine((k) => !k.toLowerCase().startsWith('aws:'), { error: 'tag keys may not start with "aws:" (reserved by AWS)' }),
  z.string().max(256, { error: 'tag values are at most 256 characters' }),
);
