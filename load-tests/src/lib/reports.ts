import { renderHtml } from './report-html';
import { renderJUnit } from './report-junit';
import { renderMarkdown } from './report-markdown';
import type { SummaryDocument } from './summary-document';

/** File names of a run's reports inside its report folder. */
export const REPORT_FILES = { summary: 'summary.json', markdown: 'report.md', junit: 'junit.xml', html: 'report.html' } as const;

/** Every report of a document, keyed by file name. */
export function renderReports(doc: SummaryDocument): Record<string, string> {
  return {
    [REPORT_FILES.summary]: `${JSON.stringify(doc, null, 2)}\n`,
    [REPORT_FILES.markdown]: renderMarkdown(doc),
    [REPORT_FILES.junit]: renderJUnit(doc),
    [REPORT_FILES.html]: renderHtml(doc),
  };
}
