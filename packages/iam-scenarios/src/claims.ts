/**
 * The security statements of docs/identity.md and docs/guardrails.md, each proved by scenarios.
 * The docs' claim table is generated from this list and the scenarios (see docs-table.ts).
 */
export const CLAIMS = {
  'sign-in-hub-only': 'GitLab CI signs in to the hub only, with an ID token of the registered instance and audience.',
  'deploy-protected-refs': 'The hub deploy role accepts only the listed refs of the project; on gitlab.com also only a protected ref, the project ID and a push or web pipeline.',
  'plan-merge-requests': 'The hub plan role accepts only merge-request pipelines of the project (gitlab.com); a branch push cannot assume it.',
  'protected-spokes': 'Protected spokes are reachable only through the protected deploy role, from protected release tags; no job on main reaches them.',
  'hub-roles-assume-only': 'Each hub role may only assume the spoke roles of its kind, and nothing else.',
  'spoke-trust': 'A spoke role trusts exactly the hub role of its kind, with the ExternalId and organization conditions its file asks for.',
  'plan-no-secrets': 'The spoke plan role reads what plan refreshes and no secret: no SSM SecureString, Secrets Manager value, S3 object or KMS decrypt, and changes nothing.',
  'boundary': 'The spoke deploy role cannot escape its boundary: every role it creates or changes carries the boundary, no identity providers, users or long-lived credentials, no change to the boundary or the CI roles.',
  'state-prefixes': 'State access by prefix: the deploy role reads and writes non-protected spokes, the protected deploy role protected spokes, the plan role only reads, never state that holds secrets, and no pipeline reaches the hub state.',
  'state-no-plan-locks': 'Plans never write or delete state objects or lock files (merge-request plans run without the lock).',
  'state-transport': 'The state bucket refuses plain HTTP and TLS below 1.2.',
  'state-deny-others': 'Only the pipeline roles and the named break-glass role reach the state bucket, administrators included.',
  'state-key': 'The state key serves the pipeline roles only through S3; the plan role cannot make data keys.',
  'static-keys': 'The legacy static-key user may only assume the hub deploy role, from the listed networks (CIDRs or VPCs); its sessions reach only the deploy roles and state of the environments listed for the keys, and only from those networks.',
  'operators': 'Operators (named roles, MFA) may assume the hub plan and deploy roles, never the protected deploy role.',
  'service-trust': 'Service roles trust only their service, acting for this account (aws:SourceAccount; aws:SourceArn where the service sends it: Amplify, flow logs).',
  'runner-roles': 'Runner roles read only their own fleet\'s token and cache; the SSM agent keeps Session Manager and Run Command without reading any parameter.',
  'gitlab-node-roles': 'GitLab node roles read only the secrets their role needs; the SSM agent keeps Session Manager and Run Command without reading any parameter.',
  'unchecked-claims': 'AWS does not see GitLab\'s environment claims: a policy cannot depend on them (reported not evaluated).',
} as const;

export type ClaimId = keyof typeof CLAIMS;
