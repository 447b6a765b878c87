// The top level of an environment file (schema.ts): fields every environment has, and what only a
// hub or only a spoke may say.
import { checkEnvironmentText } from './loader';
import { formatProblem } from './problems';
import { RESERVED_TAG_KEYS } from './schema';
import { TEST_HUB, TEST_HUB_IDENTITY, TEST_SPOKE } from '../testing/environments';

function problems(data: Record<string, unknown>): string[] {
  return checkEnvironmentText(`environments/${String(data.name)}.json`, JSON.stringify(data)).problems.map(formatProblem);
}

describe('owner', () => {
  it('takes 1 to 256 characters', () => {
    expect(problems({ ...TEST_SPOKE, owner: 'o' })).toEqual([]);
    expect(problems({ ...TEST_SPOKE, owner: 'o'.repeat(256) })).toEqual([]);
    expect(problems({ ...TEST_SPOKE, owner: '' })).toEqual(['environments/dev.json: owner: expected the owning team, e.g. "platform-team", got ""']);
    expect(problems({ ...TEST_SPOKE, owner: 'o'.repeat(257) })[0]).toMatch(/^environments\/dev\.json: owner: expected at most 256 characters/);
  });
});

describe('tags', () => {
  it.each([...RESERVED_TAG_KEYS])('refuses the stack-owned key %s', (key) => {
    expect(problems({ ...TEST_SPOKE, tags: { CostCenter: 'x', [key]: 'y' } })[0]).toMatch(
      /^environments\/dev\.json: tags: these tag keys are set by the stacks and may not be redefined: Environment, Stack, Owner, ManagedBy/,
    );
  });

  it('accepts other keys, including ones that only contain a reserved word', () => {
    const tags = { CostCenter: 'x', StackName: 'y', owner: 'z' };
    const checked = checkEnvironmentText('environments/dev.json', JSON.stringify({ ...TEST_SPOKE, tags }));
    expect(checked.problems).toEqual([]);
    expect(checked.config?.tags).toEqual(tags);
  });
});

describe('hub or spoke', () => {
  it('lets a hub go without an identity section, and refuses spoke-only fields on it', () => {
    expect(problems(TEST_HUB)).toEqual([]);
    const wrong = problems({ ...TEST_HUB, hub: TEST_SPOKE.hub, amplify: {} }).map((p) => p.replace(/: unknown key.*/, ''));
    expect(wrong).toEqual(['environments/devops.json: hub', 'environments/devops.json: amplify']);
  });

  it('reads the identity section by kind: hub fields on a spoke are unknown keys', () => {
    expect(problems({ ...TEST_SPOKE, identity: TEST_HUB_IDENTITY }).map((p) => p.replace(/: unknown key.*/, ''))).toEqual([
      'environments/dev.json: identity.gitlab',
      'environments/dev.json: identity.deploy',
      'environments/dev.json: identity.plan',
      'environments/dev.json: identity.spokes',
    ]);
  });

  it('requires a kind', () => {
    const found = problems({ ...TEST_SPOKE, kind: undefined });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^environments\/dev\.json: kind: expected "kind" to be "hub" \(the DevOps account\) or "spoke" \(an account the hub deploys to\)/);
  });

  it('gives each kind its own default role names', () => {
    const hub = checkEnvironmentText('environments/devops.json', JSON.stringify(TEST_HUB)).config;
    const spoke = checkEnvironmentText('environments/dev.json', JSON.stringify(TEST_SPOKE)).config;
    expect(hub?.roles).toEqual({ deployRoleName: 'gitlab-ci-hub-deploy', planRoleName: 'gitlab-ci-hub-plan' });
    expect(spoke?.roles).toEqual({ deployRoleName: 'gitlab-ci-deploy', planRoleName: 'gitlab-ci-plan' });
    expect(spoke?.kind === 'spoke' && spoke.hub).toEqual({ ...TEST_SPOKE.hub, deployRoleName: 'gitlab-ci-hub-deploy', planRoleName: 'gitlab-ci-hub-plan' });
  });

  it('applies the guardrails default: production rules on', () => {
    expect(checkEnvironmentText('environments/dev.json', JSON.stringify(TEST_SPOKE)).config?.guardrails).toEqual({ production: true });
  });
});
