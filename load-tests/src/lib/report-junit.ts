import type { SummaryDocument } from './summary-document';
import type { CheckResult } from './verdict';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML for GitLab's test report: one test case per check, failures carry the measured miss. */
export function renderJUnit(doc: SummaryDocument): string {
  const { verdict, plan } = doc;
  const kinds = [...new Set(verdict.checks.map((c) => c.kind))];
  const count = (cs: readonly CheckResult[], status: CheckResult['status']) => cs.filter((c) => c.status === status).length;
  const suites = kinds.map((kind) => {
    const checks = verdict.checks.filter((c) => c.kind === kind);
    const cases = checks.map((c) => {
      const name = xml(`${c.subject} ${kind}`);
      // Not evaluated is an error, never a pass: GitLab lists it with the failures.
      const body =
        c.status === 'fail'
          ? `<failure message="${xml(c.message)}" type="${kind}">${xml(c.message)}</failure>`
          : c.status === 'not-evaluated'
            ? `<error message="${xml(c.message)}" type="not-evaluated">${xml(c.message)}</error>`
            : '';
      return `    <testcase classname="load-test.${xml(plan.environment)}.${kind}" name="${name}" time="0">${body}</testcase>`;
    });
    return [
      `  <testsuite name="${kind}" tests="${checks.length}" failures="${count(checks, 'fail')}" errors="${count(checks, 'not-evaluated')}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  const total = verdict.checks.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="GitLab load test ${xml(plan.environment)} (${plan.size}, ${plan.mode})" tests="${total}" failures="${count(verdict.checks, 'fail')}" errors="${count(verdict.checks, 'not-evaluated')}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
