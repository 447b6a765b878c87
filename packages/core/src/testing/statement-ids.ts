import type { PolicyStatement } from '../iam/policy-document';

/**
 * What is wrong with the statement IDs of one policy: each statement needs one, made of ASCII
 * letters and digits only (the IAM policy grammar), and distinct within the policy (S3 bucket and
 * KMS key policies refuse duplicates). Access Analyzer findings and policy simulations name a
 * statement by its Sid, so a missing or shared one leaves a reader guessing which statement
 * decided. Empty when every Sid is fine.
 */
export function statementIdProblems(statements: readonly PolicyStatement[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  statements.forEach((s, i) => {
    if (!s.Sid || !/^[A-Za-z0-9]+$/.test(s.Sid)) problems.push(`statement ${i}: Sid ${JSON.stringify(s.Sid)} must be ASCII letters and digits`);
    else if (seen.has(s.Sid)) problems.push(`statement ${i}: Sid "${s.Sid}" is used by another statement`);
    if (s.Sid) seen.add(s.Sid);
  });
  return problems;
}
