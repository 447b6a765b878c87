import type { SummaryDocument } from './summary-document';

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** JUnit XML for GitLab's test report: one test case per check, failures carry the measured miss. */
export function renderJUnit(doc: SummaryDocument): string {
  const { verdict, plan } = doc;
  const suites = (['ttfb', 'success', 'achieved', 'dropped'] as const).map((kind) => {
    const checks = verdict.checks.filter((c) => c.kind === kind);
    const cases = checks.map((c) => {
      const name = xml(`${c.subject} ${kind}`);
      const failure = c.ok ? '' : `<failure message="${xml(c.message)}" type="${kind}">${xml(c.message)}</failure>`;
      return `    <testcase classname="load-test.${xml(plan.environment)}.${kind}" name="${name}" time="0">${failure}</testcase>`;
    });
    return [
      `  <testsuite name="${kind}" tests="${checks.length}" failures="${checks.filter((c) => !c.ok).length}" errors="0">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  const total = verdict.checks.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="GitLab load test ${xml(plan.environment)} (${plan.size}, ${plan.mode})" tests="${total}" failures="${verdict.failures.length}" errors="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
