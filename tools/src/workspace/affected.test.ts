import { affectedProjects, tempWorkspace } from '../testing/temp-workspace';
import { environmentApps } from './environment-apps';
import { workspaceRoot } from './root';

// `nx affected -t plan` must plan exactly the environments a change touches. Asked of Nx itself,
// on a copy of this workspace, for the kinds of change that matter.
describe('nx affected plans exactly the environments a change touches', () => {
  const dir = tempWorkspace();
  const all = environmentApps(workspaceRoot()).map((a) => a.name).sort();

  it('an environment file affects only its own app', () => {
    for (const env of all) expect(affectedProjects(dir, [`environments/${env}.json`], 'plan')).toEqual([env]);
  });

  it('an app source file affects only that app', () => {
    expect(affectedProjects(dir, ['apps/prod/main.ts'], 'plan')).toEqual(['prod']);
  });

  it('a package affects every app that uses it', () => {
    expect(affectedProjects(dir, ['packages/core/src/naming/fit-name.ts'], 'plan')).toEqual(all);
    expect(affectedProjects(dir, ['packages/account-baseline/src/account-baseline-stack.ts'], 'plan')).toEqual(all);
  });

  it('the verification tool affects every plan; other tooling affects none', () => {
    expect(affectedProjects(dir, ['tools/src/verify/verify.ts'], 'plan')).toEqual(all);
    expect(affectedProjects(dir, ['tools/src/generator/cli.ts'], 'plan')).toEqual([]);
  });

  it('the example web app and the environments do not affect each other', () => {
    expect(affectedProjects(dir, ['apps/web/src/App.tsx', 'apps/web/amplify/data/resource.ts'])).toEqual(['web']);
    expect(affectedProjects(dir, ['apps/web/src/App.tsx'], 'plan')).toEqual([]);
    for (const env of all) expect(affectedProjects(dir, [`environments/${env}.json`])).not.toContain('web');
    expect(affectedProjects(dir, ['packages/amplify-hosting/src/amplify-hosting-stack.ts'])).not.toContain('web');
  });

  it('documentation affects nothing', () => {
    expect(affectedProjects(dir, ['README.md'])).toEqual([]);
  });
});
