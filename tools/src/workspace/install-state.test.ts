import { mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from './root';

interface InstallState {
  WEB_APP: string;
  workspaceDirs(root: string): string[];
  installed(root: string, bin: string): boolean;
  missingWebDependencies(root: string): string[];
}
const state = createRequire(__filename)(join(workspaceRoot(), 'tools', 'bin', 'npm-install-state.js')) as InstallState;

/** A workspace on disk: package.json files, and installed packages by name. */
function workspace(installedNames: string[], extra: { lockNewer?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'install-state-'));
  const write = (file: string, json: unknown) => {
    mkdirSync(join(root, file, '..'), { recursive: true });
    writeFileSync(join(root, file), JSON.stringify(json));
  };
  write('package.json', { workspaces: ['packages/*', 'apps/*', 'tools'] });
  write('packages/core/package.json', {});
  mkdirSync(join(root, 'packages', 'notes'), { recursive: true });
  write('apps/web/package.json', { dependencies: { react: '1' }, devDependencies: { vite: '1', '@aws-amplify/backend': '1' } });
  write('tools/package.json', {});
  write('package-lock.json', {});
  write('node_modules/.package-lock.json', {});
  write('node_modules/.bin/nx', {});
  for (const name of installedNames) write(`node_modules/${name}/package.json`, {});
  if (extra.lockNewer) utimesSync(join(root, 'node_modules', '.package-lock.json'), 0, 0);
  return root;
}

describe('what the npm scripts install', () => {
  it('expands workspace globs to folders with a package.json', () => {
    expect(state.workspaceDirs(workspace([]))).toEqual(['packages/core', 'apps/web', 'tools']);
  });

  it('the real workspace holds the web app, which the first install leaves out', () => {
    expect(state.workspaceDirs(workspaceRoot())).toContain(state.WEB_APP);
    expect(state.WEB_APP).toBe('apps/web');
  });

  it('names the web app dependencies that are missing, wherever Node would look', () => {
    expect(state.missingWebDependencies(workspace([]))).toEqual(['react', 'vite', '@aws-amplify/backend']);
    expect(state.missingWebDependencies(workspace(['react', 'vite']))).toEqual(['@aws-amplify/backend']);
    expect(state.missingWebDependencies(workspace(['react', 'vite', '@aws-amplify/backend']))).toEqual([]);
  });

  it('treats the workspace as installed only when npm ran after the lock file changed and the binary is there', () => {
    expect(state.installed(workspace([]), 'nx')).toBe(true);
    expect(state.installed(workspace([], { lockNewer: true }), 'nx')).toBe(false);
    expect(state.installed(workspace([]), 'vite')).toBe(false);
  });

  it('the web app installs its packages before its build and type-check, and nothing else waits for them', () => {
    const targets = JSON.parse(readFileSync(join(workspaceRoot(), 'apps', 'web', 'project.json'), 'utf8')).targets;
    expect(targets.deps.options.command).toBe('node tools/bin/web-deps.js');
    expect(targets.build.dependsOn).toEqual(['deps']);
    expect(targets.typecheck.dependsOn).toEqual(['deps']);
  });
});
