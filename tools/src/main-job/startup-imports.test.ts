import { buildSync } from 'esbuild';
import { join } from 'node:path';
import { workspaceRoot } from '../workspace/root';

// A cached repeat of `npm start` spends most of its time loading modules: the main job must reach
// validation and report text without the cdktf runtime, the provider bindings or the rule pack.
describe('what the main job loads', () => {
  const root = workspaceRoot();
  const inputs = Object.keys(
    buildSync({ entryPoints: [join(root, 'tools/src/main-job/cli.ts')], bundle: true, platform: 'node', write: false, metafile: true, logLevel: 'silent', outfile: 'out.js' }).metafile.inputs,
  );

  it('validates environment files with core', () => {
    expect(inputs).toContain('packages/core/src/environment/loader.ts');
  });

  it.each([
    ['the cdktf runtime', /^node_modules\/cdktf\//],
    ['the AWS or GitLab provider bindings', /^node_modules\/@cdktf\/provider-/],
    ['constructs', /^node_modules\/constructs\//],
    ['the rule pack', /^packages\/policy\/src\/rules\/(?!rule\.ts$)/],
    ['the cost estimator', /^packages\/policy\/src\/cost\/estimate/],
    ['core stacks', /^packages\/core\/src\/stack\//],
  ])('leaves out %s', (_what, pattern) => {
    expect(inputs.filter((f) => pattern.test(f))).toEqual([]);
  });
});
