/**
 * Reading omnibus-gitlab's Ruby sources just enough to list setting names: bracket paths
 * (`['gitlab']['gitlab_rails']['db_host']`) and the keys of hash literals. No Ruby is evaluated.
 */

/** A setting omnibus-gitlab deprecates, or removed, at some version. Keys are dotted paths. */
export interface DeprecatedKey {
  key: string;
  /** Version it was deprecated in, e.g. "19.2". */
  deprecated: string;
  /** Version it was (or will be) removed in. */
  removed?: string;
  /** The setting that replaces it, as a dotted path. */
  replacement?: string;
  note: string;
}

/** The data file: every setting of one omnibus-gitlab release. */
export interface OmnibusKeyList {
  source: { repository: string; tag: string; version: string; files: string[] };
  generatedBy: string;
  /** Dotted paths, e.g. "gitlab_rails.db_host", "nginx.status.options.allow". */
  keys: string[];
  /** Keys whose nested keys are the operator's (another program's configuration, header names, ...). */
  openHashes: string[];
  deprecated: DeprecatedKey[];
}

/** Parses `['a']["b"]...` at the start of `text`. */
export function parseBracketPath(text: string): { segments: string[]; consumed: number } | undefined {
  const re = /^\[\s*(?:'([^']*)'|"([^"]*)"|:(\w+))\s*\]/;
  const segments: string[] = [];
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text.slice(consumed))) {
    segments.push(m[1] ?? m[2] ?? m[3]);
    consumed += m[0].length;
  }
  return segments.length ? { segments, consumed } : undefined;
}

/**
 * Key paths of a Ruby hash literal (`{ a: 1, 'b' => { c: 2 } }` gives [a], [b], [b, c]). Keys of
 * hashes inside arrays are not listed: they are list items, not settings.
 */
export function extractHashKeys(literal: string): string[][] {
  const out: string[][] = [];
  // Each open bracket: a hash (with the key path that leads to it) or an array.
  const stack: { kind: 'hash' | 'array'; path: string[] }[] = [];
  let lastKey: string | undefined;
  const inHash = () => stack.length > 0 && stack.every((s) => s.kind === 'hash');
  const record = (key: string) => {
    lastKey = key;
    if (inHash()) out.push([...stack[stack.length - 1].path, key]);
  };
  let i = 0;
  const text = literal;
  while (i < text.length) {
    const c = text[i];
    if (c === '#' && text[i + 1] !== '{') {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol;
      continue;
    }
    if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      const value = text.slice(i + 1, j);
      i = j + 1;
      if (/^\s*=>/.test(text.slice(i))) record(value);
      continue;
    }
    const sym = /^:?([A-Za-z_]\w*)(?::(?!:)|\s*=>)/.exec(text.slice(i));
    if (sym && (i === 0 || /[\s{,(]/.test(text[i - 1]))) {
      // `name:` (symbol key) or `:name =>`; skip `name::Const` and method calls.
      if (sym[0].endsWith(':') || sym[0].trimEnd().endsWith('=>') || text[i] === ':') record(sym[1]);
      i += sym[0].endsWith('=>') ? sym[0].length : sym[0].length;
      continue;
    }
    if (c === '{') {
      const parent = stack[stack.length - 1];
      stack.push({ kind: 'hash', path: parent && parent.kind === 'hash' && lastKey !== undefined ? [...parent.path, lastKey] : parent ? [...parent.path] : [] });
      lastKey = undefined;
    } else if (c === '[') stack.push({ kind: 'array', path: stack[stack.length - 1]?.path ?? [] });
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') lastKey = undefined;
    i += 1;
  }
  return out;
}
