import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SECRET_STATE_FOLDER } from '@gitlab-aws/core';

/** Whether a synthesized stack keeps its state under the secrets folder (core's SECRET_STATE_FOLDER). */
export function holdsSecrets(stackDir: string): boolean {
  const json = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as { terraform?: { backend?: { s3?: { key?: string } } } };
  return (json.terraform?.backend?.s3?.key ?? '').split('/').includes(SECRET_STATE_FOLDER);
}
