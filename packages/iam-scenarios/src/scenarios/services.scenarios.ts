import type { Scenario } from '../scenario';
import type { ScenarioWorld } from '../world';

const serviceAssumes = (w: ScenarioWorld, roleArn: string, service: string, context: Record<string, string>) => {
  const role = w.iam.role(roleArn);
  return { principal: service, action: 'sts:AssumeRole', resource: role.arn, resourceAccount: role.account, context, resourcePolicy: role.trust, problems: role.problems };
};

const FLOW_LOG = (account: string) => `arn:aws:ec2:eu-west-1:${account}:vpc-flow-log/fl-0123456789abcdef0`;
const BACKUP_ROLE = 'arn:aws:iam::777777777777:role/gitlab-3k-gitlab-backup';

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
    request: (w) => serviceAssumes(w, 'arn:aws:iam::777777777777:role/gitlab-3k-gitlab-flow-logs', 'vpc-flow-logs.amazonaws.com', { 'aws:SourceAccount': '777777777777', 'aws:SourceArn': FLOW_LOG('777777777777') }),
  },
  {
    name: 'runner-flow-logs-assume-their-role',
    claim: 'service-trust',
    expect: 'allow',
    request: (w) => serviceAssumes(w, 'arn:aws:iam::111111111111:role/devops-runners-flow-logs', 'vpc-flow-logs.amazonaws.com', { 'aws:SourceAccount': '111111111111', 'aws:SourceArn': FLOW_LOG('111111111111') }),
  },
  {
    name: 'flow-logs-of-other-account-cannot-use-role',
    claim: 'service-trust',
    expect: 'deny',
    request: (w) => serviceAssumes(w, 'arn:aws:iam::777777777777:role/gitlab-3k-gitlab-flow-logs', 'vpc-flow-logs.amazonaws.com', { 'aws:SourceAccount': '999999999999', 'aws:SourceArn': FLOW_LOG('999999999999') }),
  },
  {
    name: 'flow-logs-need-a-flow-log-source-arn',
    claim: 'service-trust',
    expect: 'deny',
    request: (w) => serviceAssumes(w, 'arn:aws:iam::777777777777:role/gitlab-3k-gitlab-flow-logs', 'vpc-flow-logs.amazonaws.com', { 'aws:SourceAccount': '777777777777', 'aws:SourceArn': 'arn:aws:ec2:eu-west-1:777777777777:instance/i-0123456789abcdef0' }),
  },
  {
    name: 'ec2-cannot-assume-flow-logs-role',
    claim: 'service-trust',
    expect: 'deny',
    request: (w) => serviceAssumes(w, 'arn:aws:iam::777777777777:role/gitlab-3k-gitlab-flow-logs', 'ec2.amazonaws.com', { 'aws:SourceAccount': '777777777777' }),
  },
  {
    name: 'backup-assumes-its-role',
    claim: 'service-trust',
    expect: 'allow',
    request: (w) => serviceAssumes(w, BACKUP_ROLE, 'backup.amazonaws.com', { 'aws:SourceAccount': '777777777777' }),
  },
  {
    name: 'backup-of-other-account-cannot-use-role',
    claim: 'service-trust',
    expect: 'deny',
    request: (w) => serviceAssumes(w, BACKUP_ROLE, 'backup.amazonaws.com', { 'aws:SourceAccount': '999999999999' }),
  },
  {
    name: 'flow-logs-cannot-assume-backup-role',
    claim: 'service-trust',
    expect: 'deny',
    request: (w) => serviceAssumes(w, BACKUP_ROLE, 'vpc-flow-logs.amazonaws.com', { 'aws:SourceAccount': '777777777777' }),
  },
];
