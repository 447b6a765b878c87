import { databaseRules } from './databases';
import { dataProtectionRules } from './data-protection';
import { ec2Rules } from './ec2';
import { eksRules } from './eks';
import { iamRules } from './iam';
import { loadBalancerRules } from './load-balancers';
import { networkRules } from './network';
import type { Rule } from './rule';
import { s3Rules } from './s3';

/** The rule pack, in report order. */
export const RULES: readonly Rule[] = [...ec2Rules, ...s3Rules, ...databaseRules, ...networkRules, ...iamRules, ...loadBalancerRules, ...eksRules, ...dataProtectionRules];

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
