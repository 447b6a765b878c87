import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The config.toml keys GitLab Runner reads, derived from its Go configuration structs (the `toml`
 * tags, as BurntSushi/toml decodes them). Starting at `common.Config`, it follows nested structs,
 * pointers, slices (arrays of tables) and embedded structs (their fields are promoted), across the
 * runner's own packages. A map type becomes a free-form table (`path.*`); a type from outside the
 * runner's module is opaque (also `path.*`, listed in `opaque`).
 */

interface GoField {
  readonly name: string;
  readonly type: string;
  readonly tag?: string;
  readonly embedded: boolean;
}

interface GoPackage {
  readonly dir: string;
  readonly structs: Map<string, GoField[]>;
  /** Named non-struct types: name -> underlying type text. */
  readonly named: Map<string, string>;
  /** Import alias -> import path, per file, merged (a package rarely aliases one name twice). */
  readonly imports: Map<string, string>;
}

export interface RunnerConfigKeys {
  /** Dotted paths: `runners.docker.image`; `x.*` marks a free-form table. Sorted. */
  readonly keys: string[];
  /** Tables whose type lives outside the runner module: their keys are not known here. */
  readonly opaque: string[];
}

const SKIP_DIRS = new Set(['vendor', 'testdata', 'docs', 'docs-locale', '.git', 'node_modules']);

function goFiles(dir: string): string[] {
  const out: string[] = [];
  // Symbolic links are not followed (the checkout has dangling ones in packaging/).
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) out.push(...goFiles(path));
    } else if (entry.isFile() && entry.name.endsWith('.go') && !entry.name.endsWith('_test.go')) {
      out.push(path);
    }
  }
  return out;
}

/** Removes `//` comments outside strings and struct tags, and block comments. */
function stripComments(src: string): string {
  return src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^((?:[^"`\n/]|"(?:[^"\\\n]|\\.)*"|`[^`]*`|\/(?!\/))*)\/\/.*$/gm, '$1');
}

/** The body of a brace block starting at `open` (the index of "{"), braces balanced. */
function block(src: string, open: number): string {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '`') {
      i = src.indexOf('`', i + 1);
      continue;
    }
    if (c === '"') {
      for (i++; i < src.length && src[i] !== '"'; i++) if (src[i] === '\\') i++;
      continue;
    }
    if (c === '{') depth++;
    if (c === '}' && --depth === 0) return src.slice(open + 1, i);
  }
  throw new Error('unbalanced braces');
}

function parseFields(body: string): GoField[] {
  const fields: GoField[] = [];
  // Nested anonymous struct types are collapsed so each field stays on one logical line.
  const flat = body.replace(/struct\s*\{[^{}]*\}/g, 'struct{}');
  for (const raw of flat.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const tagMatch = /`([^`]*)`\s*$/.exec(line);
    const tag = tagMatch ? /(?:^|\s)toml:"([^"]*)"/.exec(tagMatch[1])?.[1] : undefined;
    const decl = (tagMatch ? line.slice(0, tagMatch.index) : line).trim();
    const parts = decl.split(/\s+/);
    if (parts.length === 1) {
      const type = parts[0];
      fields.push({ name: type.replace(/^\*/, '').replace(/^.*\./, ''), type, tag, embedded: true });
      continue;
    }
    // "Name Type" or "A, B Type".
    const m = /^(\w+(?:\s*,\s*\w+)*)\s+(\S.*)$/.exec(decl);
    if (!m) continue;
    for (const n of m[1].split(',').map((x) => x.trim())) fields.push({ name: n, type: m[2], tag, embedded: false });
  }
  return fields;
}

/** Parses every package of a Go module checkout (structs, named types, imports). */
function loadModule(root: string): { module: string; packages: Map<string, GoPackage> } {
  const module = /^module\s+(\S+)/m.exec(readFileSync(join(root, 'go.mod'), 'utf8'))?.[1];
  if (!module) throw new Error(`${join(root, 'go.mod')}: no module line; is ${root} a gitlab-runner checkout?`);
  const packages = new Map<string, GoPackage>();
  for (const file of goFiles(root)) {
    const dir = relative(root, join(file, '..')) || '.';
    const src = stripComments(readFileSync(file, 'utf8'));
    let pkg = packages.get(dir);
    if (!pkg) {
      pkg = { dir, structs: new Map(), named: new Map(), imports: new Map() };
      packages.set(dir, pkg);
    }
    for (const m of src.matchAll(/^import\s*(?:\(([\s\S]*?)\)|(.*))$/gm)) {
      for (const line of (m[1] ?? m[2]).split('\n')) {
        const im = /^\s*(?:(\w+)\s+)?"([^"]+)"/.exec(line);
        if (im) pkg.imports.set(im[1] ?? im[2].split('/').pop()!, im[2]);
      }
    }
    for (const m of src.matchAll(/^type\s+(\w+)(?:\[[^\]]*\])?\s+(struct\s*\{|[^\n]+)/gm)) {
      if (m[2].startsWith('struct')) {
        pkg.structs.set(m[1], parseFields(block(src, m.index! + m[0].lastIndexOf('{'))));
      } else {
        pkg.named.set(m[1], m[2].trim());
      }
    }
  }
  return { module, packages };
}

/** Extracts the key list from a gitlab-runner checkout. */
export function runnerConfigKeys(root: string): RunnerConfigKeys {
  const { module, packages } = loadModule(root);
  const keys = new Set<string>();
  const opaque = new Set<string>();

  const resolve = (pkg: GoPackage, typeName: string): { pkg: GoPackage; name: string } | 'external' | undefined => {
    const dot = typeName.indexOf('.');
    if (dot < 0) return { pkg, name: typeName };
    const importPath = pkg.imports.get(typeName.slice(0, dot));
    if (!importPath) return 'external';
    if (importPath !== module && !importPath.startsWith(`${module}/`)) return 'external';
    const target = packages.get(importPath === module ? '.' : importPath.slice(module.length + 1));
    return target ? { pkg: target, name: typeName.slice(dot + 1) } : 'external';
  };

  const visit = (pkg: GoPackage, structName: string, prefix: string, seen: string[]): void => {
    const fields = pkg.structs.get(structName);
    if (!fields) throw new Error(`no struct ${structName} in ${pkg.dir}`);
    for (const f of fields) {
      if (f.tag === '-' || f.tag?.startsWith('-,')) continue;
      const tagName = f.tag?.split(',')[0];
      if (f.embedded && !tagName) {
        // BurntSushi/toml promotes the fields of an untagged embedded struct.
        const target = resolve(pkg, f.type.replace(/^\*/, ''));
        if (target && target !== 'external' && target.pkg.structs.has(target.name)) visit(target.pkg, target.name, prefix, seen);
        continue;
      }
      if (!/^[A-Z]/.test(f.name)) continue;
      // Without a tag, the decoder matches the Go field name (case-insensitively).
      const path = `${prefix}${tagName || f.name}`;
      keys.add(path);
      walkType(pkg, f.type, path, seen);
    }
  };

  const walkType = (pkg: GoPackage, typeText: string, path: string, seen: string[]): void => {
    const type = typeText.replace(/^(\*|\[\d*\])+/, '');
    if (/^map\[/.test(type)) {
      keys.add(`${path}.*`);
      return;
    }
    if (/^(string|bool|u?int\d*|float\d*|byte|rune|any|interface\{\}|struct\{\})$/.test(type) || type.startsWith('func')) return;
    if (type === 'time.Duration' || type === 'time.Time') return;
    const target = resolve(pkg, type);
    if (target === 'external') {
      opaque.add(path);
      keys.add(`${path}.*`);
      return;
    }
    if (!target) return;
    const key = `${target.pkg.dir}.${target.name}`;
    if (target.pkg.structs.has(target.name)) {
      if (seen.includes(key)) return; // recursive types: one level is enough to name the keys
      visit(target.pkg, target.name, `${path}.`, [...seen, key]);
      return;
    }
    const underlying = target.pkg.named.get(target.name);
    if (underlying) walkType(target.pkg, underlying, path, seen);
  };

  const common = packages.get('common');
  if (!common?.structs.has('Config')) throw new Error(`${root}: no common.Config struct; is this a gitlab-runner checkout?`);
  visit(common, 'Config', '', ['common.Config']);
  return { keys: [...keys].sort(), opaque: [...opaque].sort() };
}
