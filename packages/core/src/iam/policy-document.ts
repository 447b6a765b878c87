/**
 * IAM policy documents as plain JSON, built in TypeScript so tests can compare them exactly and
 * nothing needs a data source. Shared by every package that writes a policy.
 */

export type ConditionBlock = Record<string, Record<string, string | string[]>>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Record<string, string | string[]>;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  /** Everything but these resources (a Deny that must not cover the listed ones). */
  readonly NotResource?: string | string[];
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: PolicyStatement[];
}

/** A policy document, refusing the mistakes that make a policy silently wrong (no statements, empty lists). */
export function policyDocument(statements: readonly PolicyStatement[]): PolicyDocument {
  if (statements.length === 0) throw new Error('policyDocument: a policy needs at least one statement');
  for (const s of statements) {
    for (const [key, value] of Object.entries({ Action: s.Action, Resource: s.Resource, NotResource: s.NotResource })) {
      if (Array.isArray(value) && value.length === 0) throw new Error(`policyDocument: statement ${s.Sid ?? '(no Sid)'} has an empty ${key} list`);
    }
  }
  return { Version: '2012-10-17', Statement: [...statements] };
}

/** The document as the JSON string IAM, S3 and KMS resources take. */
export function policyJson(statements: readonly PolicyStatement[]): string {
  return JSON.stringify(policyDocument(statements));
}
