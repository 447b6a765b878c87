#!/usr/bin/env node
// Runs one Ruby job on ruby.wasm and exits at once. ruby.ts runs it as a child process, with the
// V8 flags that keep ruby.wasm stable on Node 20, so that a crash of the engine is reported as a
// failed check and never takes the test runner down with it.
// Input (stdin, JSON): { code: string, readableDirs: string[] }. Output (stdout): the code's value.
'use strict';
const { readFileSync, writeSync } = require('node:fs');

async function main() {
  const { code, readableDirs } = JSON.parse(readFileSync(0, 'utf8'));
  const { WASI } = require('node:wasi');
  const { RubyVM } = require('@ruby/wasm-wasi');
  const module = await WebAssembly.compile(readFileSync(require.resolve('@ruby/3.4-wasm-wasi/dist/ruby+stdlib.wasm')));
  const preopens = Object.fromEntries(readableDirs.map((d) => [d, d]));
  const wasip1 = new WASI({ version: 'preview1', returnOnExit: true, preopens, env: {} });
  const { vm } = await RubyVM.instantiateModule({ module, wasip1 });
  writeSync(1, vm.eval(code).toString());
}

main().then(
  () => process.exit(0),
  (e) => {
    writeSync(2, `${e && e.message ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
