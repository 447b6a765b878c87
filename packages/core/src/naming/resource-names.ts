import { fitName, slug } from './fit-name';

/** AWS name-length limits the helper knows. */
export const NAME_LIMITS = {
  default: 64,
  iamRole: 64,
  iamPolicy: 128,
  s3Bucket: 63,
  loadBalancer: 32,
  targetGroup: 32,
  securityGroup: 255,
} as const;

export type NameKind = keyof typeof NAME_LIMITS;

/**
 * Deterministic names for one stack's resources: `<environment>-<component>-<purpose>`, fitted to
 * the limit of the resource kind. The same inputs always give the same name, so other stacks and
 * accounts can refer to a resource by name without reading state.
 */
export class ResourceNames {
  constructor(
    readonly environment: string,
    readonly component: string,
  ) {
    if (!slug(environment) || !slug(component)) throw new Error('ResourceNames: environment and component must contain letters or digits');
  }

  /** `<environment>-<component>-<purpose>` within the limit for `kind`. Default kind: 64 characters. */
  name(purpose: string, kind: NameKind = 'default'): string {
    return fitName(slug(this.environment, this.component, purpose), NAME_LIMITS[kind]);
  }

  /** A globally unique bucket name: the account ID keeps two organizations' names apart. */
  bucket(purpose: string, accountId: string): string {
    return fitName(slug(this.environment, purpose, accountId), NAME_LIMITS.s3Bucket);
  }
}
