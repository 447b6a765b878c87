'use strict';
// What the npm scripts install, and when. The example Amplify app (apps/web) brings about half of
// all packages (Amplify backend, CDK, Vite, React) and only its own targets use them, so the
// workspace install leaves it out and its targets install it on demand, from the same lock file.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

const WEB_APP = 'apps/web';

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** The workspace folders package.json names ("dir/*" globs expanded to folders with a package.json). */
function workspaceDirs(root) {
  return readJson(join(root, 'package.json')).workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(root, parent, d.name, 'package.json')))
      .map((d) => `${parent}/${d.name}`);
  });
}

/** True when npm has installed in `root` since package-lock.json last changed, and `bin` is there. */
function installed(root, bin) {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker) || !existsSync(join(root, 'node_modules', '.bin', bin))) return false;
  return statSync(marker).mtimeMs >= statSync(join(root, 'package-lock.json')).mtimeMs;
}

/** The web app's dependencies that are not installed where Node would find them. */
function missingWebDependencies(root) {
  const pkg = readJson(join(root, WEB_APP, 'package.json'));
  const names = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies });
  return names.filter((n) => !existsSync(join(root, WEB_APP, 'node_modules', n, 'package.json')) && !existsSync(join(root, 'node_modules', n, 'package.json')));
}

const npm = (root, args) => spawnSync('npm', [...args, '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' }).status ?? 1;

/** `npm ci` of the root and every workspace but the web app, unless already installed; returns npm's exit code. */
function ensureWorkspaceInstalled(root) {
  if (installed(root, 'nx')) return 0;
  const workspaces = workspaceDirs(root).filter((w) => w !== WEB_APP);
  process.stdout.write(`dependencies are missing or older than package-lock.json: running npm ci first (the example web app ${WEB_APP} installs when its targets run)\n`);
  return npm(root, ['ci', '--include-workspace-root', ...workspaces.map((w) => `--workspace=${w}`)]);
}

/** Adds the web app's dependencies from package-lock.json when some are missing, leaving the rest as it is. */
function ensureWebInstalled(root) {
  const missing = missingWebDependencies(root);
  if (missing.length === 0) return 0;
  process.stdout.write(`${WEB_APP}: installing its dependencies from package-lock.json (missing: ${missing.join(', ')})\n`);
  return npm(root, ['install', '--no-save', `--workspace=${WEB_APP}`]);
}

module.exports = { WEB_APP, workspaceDirs, installed, missingWebDependencies, ensureWorkspaceInstalled, ensureWebInstalled };
