import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Ruby for tests, without a system Ruby: CRuby 3.4 compiled to WebAssembly (ruby.wasm, npm package
 * @ruby/3.4-wasm-wasi), run by Node's WASI. It is the real interpreter and parser (Prism), so
 * `rubySyntaxErrors` says what `ruby -c` says and `runRubyScript` runs a script as `ruby` would,
 * on Linux and macOS alike, with nothing to install beyond `npm ci`.
 */

/**
 * Node 20 crashes (SIGSEGV) now and then while running ruby.wasm, most often when V8 tiers hot
 * functions up from its baseline compiler; the baseline compiler alone (Liftoff) crashes far less
 * (none in 10 heavy runs, against about 1 in 4 without the flag) but not never.
 */
const CHILD_FLAGS = ['--no-warnings', '--liftoff-only'];
const CRASH_ATTEMPTS = 8;

/**
 * Evaluates Ruby code in a fresh ruby.wasm VM in a child Node process (see ruby-wasm-child.js for
 * why) that may read the given host folders at the same paths; returns the code's value as text.
 */
function evalRuby(code: string, readableDirs: readonly string[]): string {
  const input = JSON.stringify({ code, readableDirs: [...new Set(readableDirs.map((d) => resolve(d)))] });
  let last = '';
  // A crash of the engine (a signal, never a Ruby error: those come back as results) is retried;
  // only a run that finishes counts. Crashes cluster under CPU load (two checks of one CI run hit
  // three in a row), so a check fails only after eight crashes in a row.
  for (let attempt = 1; attempt <= CRASH_ATTEMPTS; attempt++) {
    const r = spawnSync(process.execPath, [...CHILD_FLAGS, join(__dirname, 'ruby-wasm-child.js')], { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    if (r.status === 0) return r.stdout;
    last = `${r.signal ?? `exit ${r.status}`}: ${r.stderr || r.error?.message || 'no output'}`;
    if (!r.signal) break;
    // Said on stderr so that how often the engine crashes stays visible in every run.
    process.stderr.write(`ruby.wasm crashed (${r.signal}) on attempt ${attempt} of ${CRASH_ATTEMPTS}; retrying\n`);
  }
  throw new Error(`ruby.wasm failed (${last})`);
}

/** A Ruby single-quoted literal for any text. */
export function rubyString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * `ruby -c` for many sources at once: compiles each with Ruby's own parser and returns the error
 * message of every source that does not compile (an empty object when all do).
 */
export function rubySyntaxErrors(sources: Readonly<Record<string, string>>): Record<string, string> {
  const out = evalRuby(`
    require 'json'
    sources = JSON.parse(${rubyString(JSON.stringify(sources))})
    errors = {}
    sources.each do |name, src|
      begin
        RubyVM::InstructionSequence.compile(src, name)
      rescue SyntaxError => e
        errors[name] = e.message
      end
    end
    JSON.generate(errors)
  `, []);
  return JSON.parse(out) as Record<string, string>;
}

export interface RubyRun {
  /** 0 when the script ran to the end, else its exit status (1 for an uncaught exception). */
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `ruby <script> <args...>`: every argument that names an existing file can be read with
 * File.read at its own path; what the script prints to $stdout and $stderr is returned.
 */
export function runRubyScript(script: string, args: readonly string[] = []): RubyRun {
  const path = resolve(script);
  // The script and its input files are handed over as text, not as WASI preopened host folders:
  // reading host files through Node 20's WASI crashed the engine (SIGSEGV) in most runs once
  // several test processes ran at once, while the same Ruby with no preopened folder did not.
  const files = Object.fromEntries(args.filter((a) => existsSync(a) && statSync(a).isFile()).map((a) => [resolve(a), readFileSync(a, 'utf8')]));
  const out = evalRuby(`
    require 'json'
    require 'stringio'
    $__host_files = JSON.parse(${rubyString(JSON.stringify(files))})
    class << File
      alias_method :__wasi_read, :read
      def read(path, *args)
        text = $__host_files[File.expand_path(path.to_s)]
        text && args.empty? ? text.dup : __wasi_read(path, *args)
      end
      alias_method :__wasi_exist?, :exist?
      def exist?(path) = $__host_files.key?(File.expand_path(path.to_s)) || __wasi_exist?(path)
    end
    ARGV.replace(JSON.parse(${rubyString(JSON.stringify(args))}))
    $PROGRAM_NAME = ${rubyString(path)}
    out, err = StringIO.new, StringIO.new
    $stdout, $stderr = out, err
    status = 0
    begin
      eval(${rubyString(readFileSync(path, 'utf8'))}, TOPLEVEL_BINDING, ${rubyString(path)}, 1)
    rescue SystemExit => e
      status = e.status
    rescue Exception => e
      err.puts("#{e.class}: #{e.message}", *Array(e.backtrace).first(5))
      status = 1
    ensure
      $stdout, $stderr = STDOUT, STDERR
    end
    JSON.generate({ 'status' => status, 'stdout' => out.string, 'stderr' => err.string })
  `, []);
  return JSON.parse(out) as RubyRun;
}
