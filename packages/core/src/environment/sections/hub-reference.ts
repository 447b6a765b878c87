import { z } from 'zod';
import { accountId, environmentName, iamRoleName, region } from './primitives';
import { DEFAULT_ROLE_NAMES } from './roles';

/**
 * What a spoke knows about its hub. Repeated here (not read from the hub's file) so that a spoke's
 * stacks depend on its own environment file alone; the loader checks it against the hub's file.
 */
export const hubReference = z.strictObject(
  {
    /** Name of the hub environment (its file is environments/<environment>.json). */
    environment: environmentName,
    /** The hub's AWS account ID. */
    accountId,
    /** The hub's region: where the Terraform state bucket lives. */
    region,
    /** The hub's pipeline deploy role. Default: gitlab-ci-hub-deploy. */
    deployRoleName: iamRoleName.default(DEFAULT_ROLE_NAMES.hub.deployRoleName),
    /** The hub's pipeline plan role. Default: gitlab-ci-hub-plan. */
    planRoleName: iamRoleName.default(DEFAULT_ROLE_NAMES.hub.planRoleName),
  },
  {
    error: (iss) =>
      iss.input === undefined
        ? 'a spoke must name its hub: add "hub": { "environment": "<hub name>", "accountId": "<12 digits>", "region": "<hub region>" }'
        : undefined,
  },
);
