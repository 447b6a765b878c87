import { VARIANTS } from './__fixtures__/topologies';
import { evaluateGitlabRb } from './__fixtures__/tools';
import { renderGitlabRb } from './gitlab-rb';
import { checkSettingKeys, OMNIBUS_KEYS } from './omnibus/omnibus-keys';

/**
 * Every key rendered into gitlab.rb, for every role, size and variant, exists in omnibus-gitlab at
 * the pinned release (src/omnibus/omnibus-keys.json) and is not deprecated there.
 */
describe(`every rendered gitlab.rb key is known to omnibus-gitlab ${OMNIBUS_KEYS.source.tag}`, () => {
  const rendered: Record<string, { role: string; text: string }> = {};
  for (const [variant, make] of Object.entries(VARIANTS)) {
    const t = make();
    for (const n of t.nodes) rendered[`${variant}--${n.name}`] = { role: n.role, text: renderGitlabRb(t, n.name) };
  }

  it(`checks all ${Object.keys(rendered).length} files, naming role and path of each unknown or deprecated key`, () => {
    const settings = evaluateGitlabRb(Object.fromEntries(Object.entries(rendered).map(([k, v]) => [k, v.text])));
    const findings = Object.entries(settings).flatMap(([name, s]) => checkSettingKeys(s).map((f) => `${name} (${rendered[name].role}): ${f.message}`));
    expect(findings).toEqual([]);
    // The walk saw real settings: every file sets roles or services, and some set nested keys.
    expect(Object.values(settings).every((s) => Object.keys(s).length > 3)).toBe(true);
  });

  it('fails on a deprecated or unknown key in a rendered file (the check is real)', () => {
    const base = rendered['2k--rails-1'].text;
    const { bad } = evaluateGitlabRb({ bad: `${base}\nnginx['listen_port'] = 80\ngitlab_rails['db_hots'] = 'x'\n` });
    expect(checkSettingKeys(bad).map((f) => [f.path, f.kind])).toEqual([
      ['gitlab_rails.db_hots', 'unknown'],
      ['nginx.listen_port', 'deprecated'],
    ]);
  });
});
