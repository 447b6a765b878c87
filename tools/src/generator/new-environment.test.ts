import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentValidationError, loadEnvironments } from '@gitlab-aws/core';
import { affectedProjects, tempWorkspace } from '../testing/temp-workspace';
import { newEnvironment } from './new-environment';

describe('new environment generator', () => {
  const dir = tempWorkspace();
  const hubBefore = loadEnvironments(join(dir, 'environments')).find((e) => e.name === 'devops');
  const spokesBefore = hubBefore?.kind === 'hub' ? (hubBefore.identity?.spokes ?? []).map((s) => [s.environment, s.accountId]) : [];

  it('adds staging as a spoke of the only hub, valid with every other environment', () => {
    const files = newEnvironment(dir, { name: 'staging', accountId: '444444444444' });
    expect(Object.keys(files).sort()).toEqual([
      'apps/staging/cdktf.json',
      'apps/staging/main.ts',
      'apps/staging/project.json',
      'apps/staging/tsconfig.json',
      'environments/devops.json',
      'environments/staging.json',
    ]);
    const staging = loadEnvironments(join(dir, 'environments')).find((e) => e.name === 'staging');
    expect(staging).toMatchObject({ kind: 'spoke', accountId: '444444444444', region: 'eu-west-1', hub: { environment: 'devops', accountId: '111111111111' } });
    expect(readFileSync(join(dir, 'apps/staging/main.ts'), 'utf8')).toContain("environmentFile: '../../environments/staging.json'");
    const devops = loadEnvironments(join(dir, 'environments')).find((e) => e.name === 'devops');
    // The hub now lists the new spoke after the ones it already had.
    expect(devops?.kind === 'hub' && devops.identity?.spokes.map((s) => [s.environment, s.accountId])).toEqual([
      ...spokesBefore,
      ['staging', '444444444444'],
    ]);
  });

  it('wires the new app into Nx with no other edit: its file affects it alone, packages affect it too', () => {
    expect(affectedProjects(dir, ['environments/staging.json'], 'plan')).toEqual(['staging']);
    const spokes = loadEnvironments(join(dir, 'environments')).filter((e) => e.kind === 'spoke').map((e) => e.name).sort();
    expect(spokes).toContain('staging');
    expect(affectedProjects(dir, ['packages/spoke-roles/src/spoke-trust.ts'], 'plan')).toEqual(spokes);
    expect(affectedProjects(dir, ['packages/core/src/index.ts'], 'plan')).toContain('staging');
  });

  it('writes nothing when the input is bad, and says why', () => {
    const before = readdirSync(join(dir, 'environments')).sort();
    let error: unknown;
    try {
      newEnvironment(dir, { name: 'uat', accountId: '12', region: 'moon-1' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvironmentValidationError);
    expect((error as Error).message).toContain('environments/uat.json: accountId: expected a 12-digit AWS account ID');
    expect((error as Error).message).toContain('environments/uat.json: region: expected an AWS region code');
    expect(readdirSync(join(dir, 'environments')).sort()).toEqual(before);
    expect(existsSync(join(dir, 'apps/uat'))).toBe(false);
  });

  it('refuses to overwrite an environment', () => {
    expect(() => newEnvironment(dir, { name: 'dev', accountId: '555555555555' })).toThrow('environments/dev.json: (file): already exists');
  });

  it('refuses a hub name that does not exist', () => {
    expect(() => newEnvironment(dir, { name: 'qa', accountId: '555555555555', hub: 'tooling' })).toThrow('no hub named "tooling"');
  });
});
