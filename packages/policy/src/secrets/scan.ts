import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A secret found in a synthesized file. The value itself is never repeated, only a redacted hint. */
export interface SecretHit {
  /** File relative to the scanned folder. */
  readonly file: string;
  /** JSON path (stack files) or line number (other files). */
  readonly where: string;
  readonly kind: string;
  /** First characters and length, e.g. "glrt-… (26 chars)". */
  readonly redacted: string;
}

/** Values that are secrets whatever key holds them. */
const PATTERNS: { kind: string; re: RegExp }[] = [
  { kind: 'GitLab runner authentication token (glrt-)', re: /\bglrt-[A-Za-z0-9_.-]{20,}/g },
  { kind: 'GitLab access token', re: /\bgl(?:pat|dt|ptt|soat|cbt|agent|oas|ffct)-[A-Za-z0-9_.-]{20,}/g },
  { kind: 'AWS access key ID', re: /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g },
  { kind: 'private key', re: /-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----/g },
];

/** Keys whose literal string value is a credential. */
const SECRET_KEY = /(^|_)(password|passwd|secret|secret_string|secret_key|secret_access_key|token|auth_token|oauth_token|access_token|api_key|private_key|client_secret|basic_auth_credentials)$/i;
/** "password=..." style assignments inside scripts and templates (user data, build specs). */
// Within one line: a YAML key whose value is a nested block ("password:\n  useSecret: true") assigns nothing.
const ASSIGNMENT = /\b(password|passwd|secret|token|api[_-]?key)\b["']?[ \t]*[:=][ \t]*["']?(?!\$)([^\s"'`;]{8,})/gi;

/** Text ending in a Secrets Manager ARN's resource type ("arn:aws:secretsmanager:eu-west-1:123456789012:secret:"). */
const SECRET_ARN_PREFIX = /arn:aws[a-z-]*:secretsmanager:[a-z0-9-]*:\d*:secret:$/;

/** A Kubernetes Secret's name as charts reference it: lowercase words, each starting with a letter, joined by dashes. */
const KUBERNETES_SECRET_NAME = /^[a-z][a-z0-9]*(-[a-z][a-z0-9]*)+$/;

function redact(value: string): string {
  return `${value.slice(0, 5)}… (${value.length} chars)`;
}

function scanString(value: string, where: string, file: string, out: SecretHit[]): void {
  const known: string[] = [];
  for (const { kind, re } of PATTERNS) {
    for (const m of value.matchAll(re)) {
      known.push(m[0]);
      out.push({ file, where, kind, redacted: kind === 'private key' ? m[0] : redact(m[0]) });
    }
  }
  for (const m of value.matchAll(ASSIGNMENT)) {
    // A Secrets Manager ARN names a secret ("...:secretsmanager:<region>:<account>:secret:<name>"); it holds none.
    if (SECRET_ARN_PREFIX.test(value.slice(0, m.index! + m[1].length + 1))) continue;
    // Helm values name a Kubernetes Secret by "secret: <object name>" (words joined by dashes, as
    // "gitlab-postgres-password"); a name, not a value. Tokens (hex, base64) have no such shape.
    if (m[1].toLowerCase() === 'secret' && KUBERNETES_SECRET_NAME.test(m[2])) continue;
    // A value already reported as a token or key is not reported twice.
    if (!m[2].includes('${') && !known.some((k) => m[2].includes(k) || k.includes(m[2]))) {
      out.push({ file, where, kind: `password-like assignment (${m[1]}=...)`, redacted: redact(m[2]) });
    }
  }
}

function decodeBase64(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(value)) return undefined;
  const text = Buffer.from(value, 'base64').toString('utf8');
  return /[\x20-\x7e]/.test(text) ? text : undefined;
}

function walk(node: unknown, path: string, file: string, out: SecretHit[]): void {
  if (typeof node === 'string') {
    scanString(node, path, file, out);
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((v, i) => walk(v, `${path}[${i}]`, file, out));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    const here = path ? `${path}.${key}` : key;
    if (key === '//') continue;
    if (typeof value === 'string' && value !== '' && SECRET_KEY.test(key) && !value.includes('${')) {
      out.push({ file, where: here, kind: `literal value for "${key}"`, redacted: redact(value) });
      continue;
    }
    if (typeof value === 'string' && /base64/.test(key)) {
      const decoded = decodeBase64(value);
      if (decoded) scanString(decoded, `${here} (decoded)`, file, out);
    }
    walk(value, here, file, out);
  }
}

/** Scans one file's text: JSON files value by value, anything else line by line. */
export function scanText(file: string, text: string): SecretHit[] {
  const out: SecretHit[] = [];
  if (file.endsWith('.json')) {
    try {
      walk(JSON.parse(text), '', file, out);
      return out;
    } catch {
      // Not valid JSON: scan it as text below.
    }
  }
  text.split('\n').forEach((line, i) => scanString(line, `line ${i + 1}`, file, out));
  return out;
}

/** Scans every file below a synth output folder, except Terraform's own working files. */
export function scanFolder(dir: string, skip: (relativePath: string) => boolean = () => false): SecretHit[] {
  const out: SecretHit[] = [];
  const visit = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = join(d, name);
      const rel = relative(dir, full);
      if (name === '.terraform' || skip(rel)) continue;
      const st = statSync(full);
      if (st.isDirectory()) visit(full);
      else if (st.isFile() && st.size < 20 * 1024 * 1024) {
        const buf = readFileSync(full);
        if (buf.includes(0)) continue; // binary (zipped assets)
        out.push(...scanText(rel, buf.toString('utf8')));
      }
    }
  };
  visit(dir);
  return out;
}
