import { identityPolicies, resourcePolicies, trustPolicies, type PolicyDocument, type Statement } from '../iam-policy';
import { strings, type ResourceIndex } from '../terraform-json';
import { perResource, type Rule, type Violation } from './rule';

const allPolicies = (index: ResourceIndex) => [...identityPolicies(index), ...resourcePolicies(index)];

/** One violation per policy document whose statements match. */
function statementRule(policies: (index: ResourceIndex) => PolicyDocument[], test: (s: Statement) => string | undefined): Rule['check'] {
  return ({ index }) => {
    const out: Violation[] = [];
    for (const doc of policies(index)) {
      const hits = doc.statements.map((s, n) => [n, test(s)] as const).filter(([, m]) => m !== undefined);
      if (hits.length) {
        out.push({ resource: doc.resource, message: `${doc.resource.address} (${doc.attribute}): ${hits.map(([n, m]) => `statement ${n + 1} ${m}`).join('; ')}` });
      }
    }
    return out;
  };
}

const isWebIdentity = (s: Statement) => s.effect === 'Allow' && s.principals.Federated !== undefined && s.actions.some((a) => a === 'sts:AssumeRoleWithWebIdentity' || a === 'sts:*' || a === '*');
const conditionOn = (s: Statement, claim: string) => s.conditions.filter((c) => c.variable.endsWith(`:${claim}`));
const starPrincipal = (s: Statement) => s.principals['*'] !== undefined || (s.principals.AWS ?? []).includes('*');
const ADMIN = /:policy\/AdministratorAccess$/;

export const iamRules: Rule[] = [
  {
    id: 'GLA-IAM-001',
    severity: 'high',
    title: 'Policies do not allow every action',
    checkov: ['CKV_AWS_49', 'CKV_AWS_63'],
    trivy: ['AWS-0057'],
    fix: 'List the actions the principal needs instead of "*".',
    check: statementRule(allPolicies, (s) => (s.effect === 'Allow' && s.actions.includes('*') ? 'allows Action "*"' : undefined)),
  },
  {
    id: 'GLA-IAM-002',
    severity: 'medium',
    title: 'Policies do not allow every action of a service',
    checkov: [],
    trivy: ['AWS-0057'],
    fix: 'Replace "service:*" by the actions the principal needs.',
    check: statementRule(identityPolicies, (s) => {
      const wild = s.effect === 'Allow' ? s.actions.filter((a) => /^[a-z0-9-]+:\*$/.test(a)) : [];
      return wild.length ? `allows ${wild.join(', ')}` : undefined;
    }),
  },
  {
    id: 'GLA-IAM-003',
    severity: 'critical',
    title: 'Resource and trust policies do not allow "*" principals unconditionally',
    checkov: ['CKV_AWS_283'],
    trivy: [],
    fix: 'Name the principals (account, role, service) or add conditions such as aws:PrincipalOrgID or aws:SourceArn.',
    check: statementRule(resourcePolicies, (s) => (s.effect === 'Allow' && starPrincipal(s) && !s.conditions.length ? 'allows any principal ("*") without a condition' : undefined)),
  },
  {
    id: 'GLA-IAM-004',
    severity: 'high',
    title: 'Trust policies do not trust a whole account without conditions',
    checkov: [],
    trivy: [],
    fix: 'Trust the specific role ARN (e.g. the hub deploy role), or add a condition (sts:ExternalId, aws:PrincipalOrgID, aws:PrincipalArn).',
    check: statementRule(trustPolicies, (s) => {
      if (s.effect !== 'Allow' || s.conditions.length) return undefined;
      const accounts = (s.principals.AWS ?? []).filter((p) => /^\d{12}$/.test(p) || /^arn:[^:]+:iam::\d{12}:root$/.test(p));
      return accounts.length ? `lets every principal of ${accounts.join(', ')} assume the role, with no condition` : undefined;
    }),
  },
  {
    id: 'GLA-IAM-005',
    severity: 'critical',
    title: 'OIDC trust is bound to a subject',
    checkov: [],
    trivy: [],
    fix: 'Add a StringEquals condition on "<host>:sub", e.g. "project_path:group/project:ref_type:branch:ref:main".',
    check: statementRule(trustPolicies, (s) => (isWebIdentity(s) && !conditionOn(s, 'sub').length ? 'trusts web identities with no condition on the "sub" claim: any project of the provider could assume it' : undefined)),
  },
  {
    id: 'GLA-IAM-006',
    severity: 'high',
    title: 'OIDC trust checks the audience',
    checkov: [],
    trivy: [],
    fix: 'Add a StringEquals condition on "<host>:aud" equal to the GitLab address used as id_tokens aud.',
    check: statementRule(trustPolicies, (s) => (isWebIdentity(s) && !conditionOn(s, 'aud').length ? 'trusts web identities with no condition on the "aud" claim' : undefined)),
  },
  {
    id: 'GLA-IAM-007',
    severity: 'high',
    title: 'OIDC subject conditions name a project',
    checkov: [],
    trivy: [],
    fix: 'Match project_path:<group>/<project>:... (a wildcard only where meant, such as a ref pattern), never "*" or project_path:*.',
    check: statementRule(trustPolicies, (s) => {
      if (!isWebIdentity(s)) return undefined;
      const loose = conditionOn(s, 'sub').flatMap((c) => c.values).filter((v) => v === '*' || v.startsWith('project_path:*'));
      return loose.length ? `accepts any project as subject (${loose.join(', ')})` : undefined;
    }),
  },
  {
    id: 'GLA-IAM-008',
    severity: 'medium',
    title: 'No static access keys (legacy mode)',
    checkov: [],
    trivy: [],
    fix: 'Prefer GitLab OIDC (no long-lived keys); if static keys are required, rotate them and keep them in protected, masked CI/CD variables.',
    check: perResource(['aws_iam_access_key'], (r) => `${r.address} creates a long-lived access key (static-key mode)`),
  },
  {
    id: 'GLA-IAM-009',
    severity: 'low',
    title: 'Policies attach to roles or groups, not users',
    checkov: ['CKV_AWS_40'],
    trivy: ['AWS-0143'],
    fix: 'Attach the policy to a group or role the user belongs to or assumes.',
    check: perResource(['aws_iam_user_policy', 'aws_iam_user_policy_attachment'], (r) => `${r.address} attaches a policy directly to a user`),
  },
  {
    id: 'GLA-IAM-010',
    severity: 'high',
    title: 'AdministratorAccess is not attached',
    checkov: ['CKV_AWS_274'],
    trivy: [],
    fix: 'Attach a policy limited to what the role deploys, or give the role a permissions boundary that sets the ceiling.',
    check: perResource(
      ['aws_iam_role_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment', 'aws_iam_policy_attachment', 'aws_iam_role'],
      (r, { index }) => {
        const arns = [...strings(r.values.policy_arn), ...strings(r.values.managed_policy_arns)];
        if (!arns.some((a) => ADMIN.test(a))) return undefined;
        // A permissions boundary on the role is the ceiling; AdministratorAccess below it is the usual deploy-role shape.
        const role = r.type === 'aws_iam_role' ? r : index.referenced(r.values.role).find((x) => x.type === 'aws_iam_role');
        if (role && role.values.permissions_boundary) return undefined;
        return `${r.address} attaches AdministratorAccess${role ? ` to ${role.address}, which has no permissions boundary` : ''}`;
      },
    ),
  },
  {
    id: 'GLA-IAM-011',
    severity: 'high',
    title: 'Role passing and assuming are limited to named roles',
    checkov: [],
    trivy: [],
    fix: 'Set Resource to the role ARNs (deterministic ARNs from the environment model) instead of "*".',
    check: statementRule(identityPolicies, (s) => {
      if (s.effect !== 'Allow' || !s.resources.includes('*')) return undefined;
      const risky = s.actions.filter((a) => ['iam:PassRole', 'sts:AssumeRole', 'iam:*', 'sts:*'].includes(a));
      return risky.length ? `allows ${risky.join(', ')} on Resource "*"` : undefined;
    }),
  },
];
