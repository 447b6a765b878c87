import { gitlabEnvironment } from './__fixtures__/synth';
import { planArchitecture } from './architecture-plan';

describe('gitlab.deployment "cloud-native-hybrid"', () => {
  it('is refused with the field and what to use, instead of building Linux-package nodes', () => {
    const { plan, problems } = planArchitecture(gitlabEnvironment({ size: '3k', deployment: 'cloud-native-hybrid', components: { praefectDatabase: 'managed' } }));
    expect(plan).toBeUndefined();
    expect(problems.map((p) => `${p.field}: ${p.message}`)).toEqual([expect.stringMatching(/^gitlab\.deployment: is "cloud-native-hybrid", which this stack cannot build yet .*use "linux-package"/)]);
  });

  it('leaves a Linux-package deployment alone', () => {
    expect(planArchitecture(gitlabEnvironment({ size: '3k', deployment: 'linux-package', components: { praefectDatabase: 'managed' } })).problems).toEqual([]);
  });
});
