import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { holdsSecrets } from './secret-state';

const stack = (backend: unknown) => {
  const dir = mkdtempSync(join(tmpdir(), 'secret-state-'));
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify({ terraform: backend === undefined ? {} : { backend } }));
  return dir;
};

describe('holdsSecrets (which stacks a merge-request plan must leave alone)', () => {
  it('is true only for a state key under the secrets folder', () => {
    expect(holdsSecrets(stack({ s3: { key: 'dev/secrets/dev-amplify.tfstate' } }))).toBe(true);
    expect(holdsSecrets(stack({ s3: { key: 'dev/dev-amplify.tfstate' } }))).toBe(false);
    // a stack merely named like the folder is not under it
    expect(holdsSecrets(stack({ s3: { key: 'dev/secrets-dashboard.tfstate' } }))).toBe(false);
  });
  it('is false without an S3 backend', () => {
    expect(holdsSecrets(stack(undefined))).toBe(false);
    expect(holdsSecrets(stack({ local: { path: 'x' } }))).toBe(false);
  });
});
