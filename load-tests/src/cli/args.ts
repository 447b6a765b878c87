/** Parses "--key value", "--key=value" and "--flag" arguments; the rest are positionals. */
export function parseArgs(argv: readonly string[], flags: readonly string[] = []): { options: Record<string, string>; positionals: string[] } {
  const options: Record<string, string> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = arg.slice(2, eq < 0 ? undefined : eq);
    if (eq >= 0) options[key] = arg.slice(eq + 1);
    else if (flags.includes(key)) options[key] = 'true';
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) options[key] = argv[++i];
    else throw new UsageError(`--${key} needs a value`);
  }
  return { options, positionals };
}

/** Bad command-line input: the CLIs print it with their usage and exit 2. */
export class UsageError extends Error {}

/** A whole number of seconds from an option, or undefined when absent. */
export function secondsOption(options: Record<string, string>, key: string): string | undefined {
  const v = options[key];
  if (v === undefined) return undefined;
  const m = /^(\d+)(s|m|h)?$/.exec(v);
  if (!m) throw new UsageError(`--${key} ${v}: expected seconds, or a number with s, m or h (e.g. 600, 10m)`);
  return String(Number(m[1]) * ({ s: 1, m: 60, h: 3600 } as Record<string, number>)[m[2] ?? 's']);
}

/** Runs a CLI main function: usage errors exit 2, other errors 1, otherwise its own code. */
export function runCli(main: () => Promise<number> | number, usage: string): void {
  Promise.resolve()
    .then(main)
    .then(
      (code) => process.exit(code),
      (e: Error) => {
        process.stderr.write(`${e.message}\n${e instanceof UsageError ? `\n${usage}\n` : ''}`);
        process.exit(e instanceof UsageError ? 2 : 1);
      },
    );
}
