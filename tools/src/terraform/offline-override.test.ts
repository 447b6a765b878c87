import { offlineOverride } from './offline-override';

describe('offline override', () => {
  it('replaces only what needs an AWS account: backend, credentials, account checks, role assumption', () => {
    const override = offlineOverride({
      provider: {
        aws: [
          { region: 'eu-west-1', allowed_account_ids: ['222222222222'], assume_role: [{ role_arn: 'arn:aws:iam::222222222222:role/x' }], default_tags: [] },
          { alias: 'us-east-1', region: 'us-east-1' },
        ],
        gitlab: [{ base_url: 'https://gitlab.com' }],
      },
    });
    expect(override).toEqual({
      terraform: { backend: { local: { path: 'offline.tfstate' } } },
      provider: {
        aws: [
          expect.objectContaining({ access_key: 'offline-verification', skip_requesting_account_id: true, allowed_account_ids: [], assume_role: [{ role_arn: '' }] }),
          expect.objectContaining({ alias: 'us-east-1', skip_credentials_validation: true }),
        ],
      },
    });
    const [first, second] = (override.provider as { aws: Record<string, unknown>[] }).aws;
    expect(first).not.toHaveProperty('region');
    expect(first).not.toHaveProperty('default_tags');
    expect(second).not.toHaveProperty('assume_role');
  });

  it('writes only the backend when a stack has no AWS provider', () => {
    expect(offlineOverride({})).toEqual({ terraform: { backend: { local: { path: 'offline.tfstate' } } } });
  });
});
