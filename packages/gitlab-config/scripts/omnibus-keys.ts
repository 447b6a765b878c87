/**
 * Regenerates src/omnibus/omnibus-keys.json: every gitlab.rb setting omnibus-gitlab knows at one
 * release, and the settings it deprecates or removed there. Read from an omnibus-gitlab checkout:
 *
 *   git clone --branch 19.3.0+ee.0 --depth 1 <omnibus-gitlab repository> /tmp/omnibus
 *   npx tsx packages/gitlab-config/scripts/omnibus-keys.ts /tmp/omnibus 19.3.0+ee.0
 *
 * Sources: files/gitlab-config-template/gitlab.rb.template (the documented settings), every
 * cookbook's attributes/default.rb (the defaults the recipes read), the NGINX helper's default
 * values, and package/libraries/deprecations.rb plus gitlab/libraries/gitlab_rails.rb (what is
 * deprecated or removed). Nested keys of hash literals are recorded; nested keys inside arrays are not.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { extractHashKeys, parseBracketPath, type DeprecatedKey, type OmnibusKeyList } from '../src/omnibus/omnibus-source';

/** Blocks the Linux package strips from attribute paths (Gitlab::Deprecations::ATTRIBUTE_BLOCKS). */
const ATTRIBUTE_BLOCKS = ['gitlab', 'monitoring'];

/**
 * Hashes whose nested keys omnibus does not define: another program's configuration (Gitaly,
 * Praefect, Consul, Patroni's PostgreSQL parameters), fog connection options, header names,
 * storage names and PgBouncer users, all chosen by the operator.
 */
const OPEN_HASHES = [
  'gitaly.configuration',
  'praefect.configuration',
  'consul.configuration',
  'patroni.postgresql',
  'gitlab_rails.nginx.proxy_set_headers',
  'nginx.proxy_set_headers',
  'gitlab_rails.repositories_storages',
  'gitlab_rails.object_store.connection',
  'gitlab_rails.backup_upload_connection',
  'gitlab_rails.backup_upload_storage_options',
  'gitlab_rails.ci_secure_files_object_store_connection',
  'gitlab_rails.db_load_balancing',
  'gitlab_rails.env',
  'registry.storage',
  'pgbouncer.users',
  'pgbouncer.databases',
  'prometheus.rules_files',
];

/** Top-level gitlab.rb methods (not hashes). */
const METHODS = /^(external_url|registry_external_url|pages_external_url|roles)\b/;

const toKey = (segments: string[]) => segments.join('.');

function normalise(segments: string[]): string[] {
  const s = [...segments];
  if (s.length > 1 && ATTRIBUTE_BLOCKS.includes(s[0])) s.shift();
  s[0] = s[0].replace(/-/g, '_');
  return s;
}

/** Statements "target[...] = value" of a Ruby file, with the value text (multi-line hashes joined). */
function* statements(lines: string[], prefix: RegExp): Generator<{ path: string[]; value: string }> {
  for (let i = 0; i < lines.length; i++) {
    const m = prefix.exec(lines[i]);
    if (!m) continue;
    const rest = lines[i].slice(m[0].length);
    const parsed = parseBracketPath(rest);
    if (!parsed) continue;
    const after = rest.slice(parsed.consumed).trimStart();
    if (!after.startsWith('=') || after.startsWith('==')) continue;
    let value = after.slice(1).trim();
    // Gather a multi-line hash until its braces balance.
    let depth = braceDepth(value);
    while (depth > 0 && i + 1 < lines.length) {
      i += 1;
      const next = lines[i].replace(/^\s*#\s?/, '');
      value += `\n${next}`;
      depth = braceDepth(value);
    }
    yield { path: m[1] ? [m[1], ...parsed.segments] : parsed.segments, value };
  }
}

function braceDepth(text: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && text[i + 1] !== '{') {
      const eol = text.indexOf('\n', i);
      if (eol < 0) break;
      i = eol;
    } else if (c === '{' || c === '[') depth += 1;
    else if (c === '}' || c === ']') depth -= 1;
  }
  return depth;
}

function collect(keys: Set<string>, open: Set<string>, segments: string[], value: string): void {
  const path = normalise(segments);
  for (let n = 1; n <= path.length; n++) keys.add(toKey(path.slice(0, n)));
  if (/^(\{\s*\}|Mash\.new|\{\})$/.test(value.trim())) open.add(toKey(path));
  if (value.trim().startsWith('{')) for (const nested of extractHashKeys(value)) keys.add(toKey([...path, ...nested]));
}

function walk(dir: string, match: (path: string) => boolean, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) walk(p, match, out);
    else if (match(p)) out.push(p);
  }
  return out;
}

/** The hash literal a Ruby method returns (`def name ... { ... }`), as text. */
function methodHash(source: string, name: string): string {
  const start = source.indexOf(`def ${name}`);
  if (start < 0) throw new Error(`no method ${name}`);
  const open = source.indexOf('{', start);
  let end = open;
  while (braceDepth(source.slice(open, end + 1)) !== 0 || end === open) end += 1;
  return source.slice(open, end + 1);
}

function deprecations(root: string, keys: Set<string>, template: string): DeprecatedKey[] {
  const out: DeprecatedKey[] = [];
  const lib = readFileSync(join(root, 'files/gitlab-cookbooks/package/libraries/deprecations.rb'), 'utf8');
  // The static list: config_keys, deprecation, removal, note.
  for (const m of lib.matchAll(/config_keys:\s*%w\(([^)]*)\),\s*deprecation:\s*'([\d.]+)',\s*removal:\s*'([\d.]+)',?\s*(?:#[^\n]*\n\s*)?(?:note:\s*"((?:[^"\\]|\\.)*)")?/g)) {
    out.push({ key: toKey(normalise(m[1].trim().split(/\s+/))), deprecated: m[2], removed: m[3], note: m[4] ?? '' });
  }
  // additional_deprecations: remove_*(…, 'deprecated', 'removed') calls, whose body names the setting it checks.
  const additional = lib.slice(lib.indexOf('def additional_deprecations'), lib.indexOf('end', lib.indexOf('messages\n      end', lib.indexOf('def additional_deprecations'))));
  for (const m of additional.matchAll(/messages \+= (\w+)\(incoming_version, \w+, type, (.*)\)/g)) {
    const [name, args] = [m[1], m[2]];
    const versions = [...args.matchAll(/'?(\d+\.\d+)'?/g)].map((v) => v[1]);
    const arrayArg = /^\[([^\]]*)\], '(\w+)'/.exec(args);
    let path: string[] | undefined;
    if (arrayArg) path = [...arrayArg[1].split(',').map((s) => s.trim().replace(/'/g, '')), arrayArg[2]];
    else {
      const body = lib.slice(lib.indexOf(`def ${name}(`), lib.indexOf('\n      def ', lib.indexOf(`def ${name}(`) + 1));
      const dig = /\.dig\(([^)]*)\)/.exec(body);
      const has = /\.key\?\('([\w-]+)'\)/.exec(body);
      if (dig) path = dig[1].split(',').map((s) => s.trim().replace(/['"]/g, ''));
      else if (has) path = [has[1]];
    }
    if (!path || versions.length < 2) throw new Error(`deprecations.rb: cannot tell which setting ${name}(${args}) deprecates; extend scripts/omnibus-keys.ts`);
    out.push({ key: toKey(normalise(path)), deprecated: versions[0], removed: versions[1], note: `see ${name} in files/gitlab-cookbooks/package/libraries/deprecations.rb` });
  }
  // NGINX settings of the main application that moved from nginx[...] to gitlab_rails['nginx'][...].
  const moved = /to `gitlab_rails\['nginx'\]\[\.\.\.\]` in GitLab (\d+\.\d+)/.exec(template.replace(/\n##!\s*/g, ' '));
  if (moved) {
    const helper = readFileSync(join(root, 'files/gitlab-cookbooks/nginx/libraries/helpers/nginx_helper.rb'), 'utf8');
    const rails = readFileSync(join(root, 'files/gitlab-cookbooks/gitlab/libraries/gitlab_rails.rb'), 'utf8');
    const railsOnly = /%w\[([^\]]+)\]\.each do \|key\|\s*next if Gitlab\['nginx'\]\[key\]\.nil\?\s*LoggingHelper\.deprecation/.exec(rails)?.[1].trim().split(/\s+/) ?? [];
    const clientKeys = extractHashKeys(methodHash(helper, 'client_default_values')).filter((k) => k.length === 1).map((k) => k[0]);
    for (const key of [...clientKeys, ...railsOnly]) {
      out.push({ key: `nginx.${key}`, deprecated: moved[1], replacement: `gitlab_rails.nginx.${key}`, note: `NGINX settings of the main application moved to gitlab_rails['nginx'] in ${moved[1]}` });
      keys.add(`gitlab_rails.nginx.${key}`);
    }
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

export function buildKeyList(root: string, tag: string): OmnibusKeyList {
  const templatePath = join(root, 'files/gitlab-config-template/gitlab.rb.template');
  if (!existsSync(templatePath)) throw new Error(`${templatePath} not found: pass the root of an omnibus-gitlab checkout`);
  const keys = new Set<string>();
  const open = new Set<string>(OPEN_HASHES);
  const template = readFileSync(templatePath, 'utf8');
  const templateLines = template.split('\n');
  for (const line of templateLines) {
    const m = METHODS.exec(line.replace(/^#\s*/, ''));
    if (m) keys.add(m[1]);
  }
  for (const s of statements(templateLines, /^#?\s*([a-z_]+)(?=\[')/)) collect(keys, open, s.path, s.value);
  const attributeFiles = walk(join(root, 'files/gitlab-cookbooks'), (p) => /\/attributes\/[\w-]+\.rb$/.test(p));
  for (const file of attributeFiles) {
    for (const s of statements(readFileSync(file, 'utf8').split('\n'), /^\s*default(?=\[)/)) collect(keys, open, s.path, s.value);
  }
  // Values the NGINX helper gives every NGINX block (nginx[...] and gitlab_rails['nginx'][...]).
  const helper = readFileSync(join(root, 'files/gitlab-cookbooks/nginx/libraries/helpers/nginx_helper.rb'), 'utf8');
  for (const method of ['shared_default_values', 'client_default_values']) {
    for (const nested of extractHashKeys(methodHash(helper, method))) {
      keys.add(toKey(['nginx', ...nested]));
      keys.add(toKey(['gitlab_rails', 'nginx', ...nested]));
    }
  }
  // Secrets and derived settings the libraries accept from gitlab.rb (`Gitlab['gitlab_shell']['secret_token'] ||= ...`).
  const libraryFiles = walk(join(root, 'files/gitlab-cookbooks'), (p) => /\/libraries\/[\w-]+\.rb$/.test(p));
  for (const file of libraryFiles) {
    for (const m of readFileSync(file, 'utf8').matchAll(/Gitlab\['([\w-]+)'\]\['(\w+)'\] \|\|=/g)) collect(keys, new Set(), [m[1], m[2]], '');
  }
  const deprecated = deprecations(root, keys, template);
  // An empty default is open only when nothing is declared under it.
  const hasChildren = (k: string) => [...keys].some((other) => other.startsWith(`${k}.`));
  const openHashes = [...open].filter((k) => keys.has(k) && (OPEN_HASHES.includes(k) || !hasChildren(k)));
  return {
    source: {
      repository: 'gitlab-org/omnibus-gitlab',
      tag,
      version: tag.replace(/\+.*$/, ''),
      files: [relative(root, templatePath), ...attributeFiles.map((f) => relative(root, f)).sort(), 'files/gitlab-cookbooks/*/libraries/*.rb (settings assigned with ||=)'],
    },
    generatedBy: 'packages/gitlab-config/scripts/omnibus-keys.ts',
    keys: [...keys].sort(),
    openHashes: openHashes.sort(),
    deprecated,
  };
}

if (require.main === module) {
  const [root, tag] = process.argv.slice(2);
  if (!root || !tag) {
    console.error('usage: tsx packages/gitlab-config/scripts/omnibus-keys.ts <omnibus-gitlab checkout> <tag, e.g. 19.3.0+ee.0>');
    process.exit(2);
  }
  const list = buildKeyList(root, tag);
  const out = join(__dirname, '..', 'src', 'omnibus', 'omnibus-keys.json');
  writeFileSync(out, `${JSON.stringify(list, null, 1)}\n`);
  console.log(`${out}: ${list.keys.length} keys, ${list.openHashes.length} open hashes, ${list.deprecated.length} deprecated, from ${tag}`);
}
