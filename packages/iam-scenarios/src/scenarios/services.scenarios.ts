import type { Scenario } from '../scenario';
import type { ScenarioWorld } from '../world';

const serviceAssumes = (w: ScenarioWorld, roleArn: string, service: string, context: Record<string, string>) => {
  const role = w.iam.role(roleArn);
  return { principal: service, action: 'sts:AssumeRole', resource: role.arn, resourceAccount: role.account, context, resourcePolicy: role.trust, problems: role.problems };
};

/** Service roles: their service only, for their own account (confused-deputy guard). */
export const serviceScenarios: Scenario[] = [
  {
    name: 'amplify-assumes-prod-service-role',
    claim: 'service-trust',
    expect: 'allow',
    request: (w) => serviceAssumes(w, 'arn:aws:iam::333333333333:role/prod-amplify-service-role', 'amplify.amazonaws.com', { 'aws:SourceAccount': '333333333333', 'aws:SourceArn': 'arn:aws:amplify:eu-west-1:333333333333:apps/d1a2b3c4' }),
  },
  {
    name: 'amplify-of-other-account-cannot-use-prod-service-role',
    claim: 'service-trust',
    expect: 'deny',
    request: (w) => serviceAssumes(w, 'arn:aws:iam::333333333333:role/prod-amplify-service-role', 'amplify.amazonaws.com', { 'aws:SourceAccount': '999999999999', 'aws:SourceArn': 'arn:aws:amplify:eu-west-1:999999999999:apps/d1a2b3c4' }),
  },
  {
    name: 'flow-logs-assume-their-role',
    claim: 'service-trust',
    expect: 'allow',
    request: (w) => serviceAssumes(w, 'arn:aws:iam::777777777777:role/gitlab-3k-gitlab-flow-logs', 'vpc-flow-logs.amazonaws.com', { 'aws:SourceAccount': '777777777777' }),
  },
  {
    name: 'flow-logs-of-other-account-cannot-use-role',
    claim: 'service-trust',
    expect: 'deny',
    request: (w) => serviceAssumes(w, 'arn:aws:iam::777777777777:role/gitlab-3k-gitlab-flow-logs', 'vpc-flow-logs.amazonaws.com', { 'aws:SourceAccount': '999999999999' }),
  },
  {
    name: 'ec2-cannot-assume-flow-logs-role',
    claim: 'service-trust',
    expect: 'deny',
    request: (w) => serviceAssumes(w, 'arn:aws:iam::777777777777:role/gitlab-3k-gitlab-flow-logs', 'ec2.amazonaws.com', { 'aws:SourceAccount': '777777777777' }),
  },
];
