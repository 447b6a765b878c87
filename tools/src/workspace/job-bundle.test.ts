import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from './root';

interface JobBundle {
  FORMAT: number;
  bundlePaths(root: string, entry: string): { bundle: string; record: string };
  isFresh(root: string, paths: { bundle: string; record: string }): boolean;
  jobBundle(root: string, entry: string): string | undefined;
}
const jobs = createRequire(__filename)(join(workspaceRoot(), 'tools', 'bin', 'job-bundle.js')) as JobBundle;

/** A workspace with a two-module TypeScript job that prints what its helper returns. */
function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'job-bundle-'));
  mkdirSync(join(root, 'src'), { recursive: true });
  writeFileSync(join(root, 'src', 'greeting.ts'), `export const greeting = (who: string): string => \`hello \${who}\`;\n`);
  writeFileSync(join(root, 'src', 'job.ts'), `import { greeting } from './greeting';\nprocess.stdout.write(greeting(process.argv[2] ?? 'nobody'));\n`);
  return root;
}

const run = (bundle: string, ...args: string[]) => spawnSync(process.execPath, [bundle, ...args], { encoding: 'utf8' }).stdout;

describe('jobs run from a bundle rebuilt when a source changes', () => {
  it('builds one file that runs the job with its arguments', () => {
    const root = workspace();
    const bundle = jobs.jobBundle(root, 'src/job.ts')!;
    expect(bundle).toBe(jobs.bundlePaths(root, 'src/job.ts').bundle);
    expect(bundle.startsWith(join(root, 'node_modules', '.cache'))).toBe(true);
    expect(run(bundle, 'world')).toBe('hello world');
  });

  it('records every source it was built from', () => {
    const root = workspace();
    jobs.jobBundle(root, 'src/job.ts');
    const record = JSON.parse(readFileSync(jobs.bundlePaths(root, 'src/job.ts').record, 'utf8')) as { format: number; inputs: Record<string, string> };
    expect(record.format).toBe(jobs.FORMAT);
    expect(Object.keys(record.inputs).sort()).toEqual(['src/greeting.ts', 'src/job.ts']);
  });

  it('reuses a fresh bundle without building again', () => {
    const root = workspace();
    const bundle = jobs.jobBundle(root, 'src/job.ts')!;
    writeFileSync(bundle, `process.stdout.write('kept');\n`);
    expect(jobs.jobBundle(root, 'src/job.ts')).toBe(bundle);
    expect(run(bundle)).toBe('kept');
  });

  it('rebuilds when an imported module changes', () => {
    const root = workspace();
    const bundle = jobs.jobBundle(root, 'src/job.ts')!;
    writeFileSync(join(root, 'src', 'greeting.ts'), `export const greeting = (who: string): string => \`goodbye \${who}\`;\n`);
    expect(jobs.isFresh(root, jobs.bundlePaths(root, 'src/job.ts'))).toBe(false);
    jobs.jobBundle(root, 'src/job.ts');
    expect(run(bundle, 'all')).toBe('goodbye all');
  });

  it('rebuilds when a source is gone, the record is unreadable or of another format, or the bundle is missing', () => {
    const root = workspace();
    const paths = jobs.bundlePaths(root, 'src/job.ts');
    const built = () => {
      jobs.jobBundle(root, 'src/job.ts');
      return JSON.parse(readFileSync(paths.record, 'utf8')) as { format: number; inputs: Record<string, string> };
    };
    const record = built();
    expect(jobs.isFresh(root, paths)).toBe(true);
    writeFileSync(paths.record, JSON.stringify({ ...record, inputs: { ...record.inputs, 'src/gone.ts': '1:1' } }));
    expect(jobs.isFresh(root, paths)).toBe(false);
    writeFileSync(paths.record, '{');
    expect(jobs.isFresh(root, paths)).toBe(false);
    writeFileSync(paths.record, JSON.stringify({ ...built(), format: jobs.FORMAT + 1 }));
    expect(jobs.isFresh(root, paths)).toBe(false);
    writeFileSync(paths.record, JSON.stringify({ format: jobs.FORMAT }));
    expect(jobs.isFresh(root, paths)).toBe(false);
    built();
    writeFileSync(paths.bundle, '');
    expect(jobs.isFresh(root, paths)).toBe(true);
    rmSync(paths.bundle);
    expect(jobs.isFresh(root, paths)).toBe(false);
  });

  it('falls back to tsx (undefined) with a note when the job does not build', () => {
    const root = workspace();
    writeFileSync(join(root, 'src', 'job.ts'), `import { missing } from './nowhere';\nmissing();\n`);
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(jobs.jobBundle(root, 'src/job.ts')).toBeUndefined();
      expect(write).toHaveBeenCalledWith(expect.stringContaining('could not bundle src/job.ts'));
      expect(write).toHaveBeenCalledWith(expect.stringContaining('running it through tsx'));
    } finally {
      write.mockRestore();
    }
  });

  it('leaves no half-written file behind', () => {
    const root = workspace();
    const bundle = jobs.jobBundle(root, 'src/job.ts')!;
    const dir = join(bundle, '..');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(statSync(bundle).size).toBeGreaterThan(0);
  });
});
