import type { VerificationReport } from '../verify/report';

/** A JUnit test case as GitLab's test report reads it. */
export interface JUnitCase {
  readonly suite: string;
  readonly name: string;
  readonly seconds: number;
  readonly failure?: string;
  readonly skipped?: string;
}

/** The parts of jest's --json output the report needs. */
export interface JestJson {
  testResults: { name: string; assertionResults: { fullName?: string; title: string; status: string; duration?: number | null; failureMessages?: string[] }[] }[];
}

export function casesFromJest(json: JestJson, root: string): JUnitCase[] {
  return json.testResults.flatMap((file) =>
    file.assertionResults.map((a) => ({
      suite: file.name.startsWith(root) ? file.name.slice(root.length).replace(/^\//, '') : file.name,
      name: a.fullName ?? a.title,
      seconds: (a.duration ?? 0) / 1000,
      ...(a.status === 'failed' ? { failure: (a.failureMessages ?? []).join('\n') || 'failed' } : {}),
      ...(a.status === 'pending' || a.status === 'skipped' || a.status === 'todo' ? { skipped: a.status } : {}),
    })),
  );
}

/** One case per stack: a failed plan fails, a stack that could not be planned is reported as skipped, with why. */
export function casesFromVerification(report: VerificationReport, environment: string): JUnitCase[] {
  return report.stacks.map((s) => ({
    suite: `offline plan: ${environment}`,
    name: s.stack,
    seconds: ((s.initMs ?? 0) + (s.planMs ?? 0)) / 1000,
    ...(s.status === 'failed' ? { failure: s.reason ?? 'failed' } : {}),
    ...(s.status === 'not-planned' ? { skipped: s.reason ?? 'not planned' } : {}),
  }));
}

/** Characters XML 1.0 allows: tab, newline, carriage return and everything from space up (minus surrogates and FFFE/FFFF). */
const xmlAllowed = (c: number) => c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd);

const escape = (text: string) =>
  [...text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)]
    .filter((ch) => xmlAllowed(ch.codePointAt(0)!) || ch.codePointAt(0)! > 0xffff)
    .join('');

export function junitXml(cases: readonly JUnitCase[]): string {
  const suites = new Map<string, JUnitCase[]>();
  for (const c of cases) suites.set(c.suite, [...(suites.get(c.suite) ?? []), c]);
  const body = [...suites].map(([suite, list]) => {
    const failures = list.filter((c) => c.failure !== undefined).length;
    const skipped = list.filter((c) => c.skipped !== undefined).length;
    const time = list.reduce((n, c) => n + c.seconds, 0).toFixed(3);
    const testcases = list.map((c) => {
      const inner = c.failure !== undefined ? `<failure message="failed">${escape(c.failure)}</failure>` : c.skipped !== undefined ? `<skipped message="${escape(c.skipped)}"/>` : '';
      return `    <testcase classname="${escape(suite)}" name="${escape(c.name)}" time="${c.seconds.toFixed(3)}">${inner}</testcase>`;
    });
    return [`  <testsuite name="${escape(suite)}" tests="${list.length}" failures="${failures}" skipped="${skipped}" time="${time}">`, ...testcases, '  </testsuite>'].join('\n');
  });
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>', ...body, '</testsuites>', ''].join('\n');
}
