'use strict';
// Runs a TypeScript job from one esbuild bundle kept in node_modules/.cache, rebuilt when any file it
// was built from changes. Loading the job through tsx costs its loader plus a transform lookup and a
// resolution per module (about a second of CPU for the main job, on a repeat that is otherwise a
// few seconds); the bundle is one file that Node reads at once. Any build problem falls back to tsx.
const { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

/** Bumped when the build options change, so an older bundle is never reused. */
const FORMAT = 1;

const bundleDir = (root) => join(root, 'node_modules', '.cache', 'gitlab-aws-jobs');

/** Paths of the bundle and its record of inputs for a job's entry file. */
function bundlePaths(root, entry) {
  const name = entry.replace(/\.ts$/, '').replace(/[^A-Za-z0-9]+/g, '-');
  return { bundle: join(bundleDir(root), `${name}.cjs`), record: join(bundleDir(root), `${name}.inputs.json`) };
}

const stamp = (file) => {
  const st = statSync(file);
  return `${st.size}:${st.mtimeMs}`;
};

/** True when the bundle exists and every input it was built from is unchanged (size and mtime). */
function isFresh(root, paths) {
  if (!existsSync(paths.bundle) || !existsSync(paths.record)) return false;
  let record;
  try {
    record = JSON.parse(readFileSync(paths.record, 'utf8'));
  } catch {
    return false;
  }
  if (record.format !== FORMAT || !record.inputs || typeof record.inputs !== 'object') return false;
  return Object.entries(record.inputs).every(([file, was]) => {
    try {
      return stamp(join(root, file)) === was;
    } catch {
      return false;
    }
  });
}

/** Builds the bundle (written beside, then renamed, so a concurrent run never reads half a file). */
function build(root, entry, paths) {
  const { buildSync } = require('esbuild');
  const result = buildSync({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    write: false,
    metafile: true,
    logLevel: 'silent',
    // The bundle lives in node_modules/.cache, so code that finds the workspace from its own
    // folder still walks up to nx.json.
    outfile: paths.bundle,
  });
  mkdirSync(dirname(paths.bundle), { recursive: true });
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((file) => [file, stamp(join(root, file))]));
  const tmp = `${paths.bundle}.${process.pid}.tmp`;
  writeFileSync(tmp, result.outputFiles[0].contents);
  renameSync(tmp, paths.bundle);
  writeFileSync(`${paths.record}.${process.pid}.tmp`, JSON.stringify({ format: FORMAT, entry, inputs }));
  renameSync(`${paths.record}.${process.pid}.tmp`, paths.record);
}

/**
 * The file to run for a job: its bundle (built or rebuilt when stale), or undefined when it cannot
 * be built, in which case the caller runs the TypeScript entry through tsx.
 */
function jobBundle(root, entry) {
  const paths = bundlePaths(root, entry);
  if (isFresh(root, paths)) return paths.bundle;
  try {
    build(root, entry, paths);
    return paths.bundle;
  } catch (e) {
    const reason = String(e && e.message ? e.message : e).split('\n')[0];
    process.stderr.write(`note: could not bundle ${entry} (${reason}); running it through tsx\n`);
    return undefined;
  }
}

module.exports = { FORMAT, bundleDir, bundlePaths, isFresh, jobBundle };
