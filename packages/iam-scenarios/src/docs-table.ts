import { CLAIMS, type ClaimId } from './claims';
import type { Scenario } from './scenario';

/** The claim table of docs/identity.md: each claim with the scenarios that prove it. */
export function claimTable(scenarios: readonly Scenario[]): string {
  const rows = (Object.keys(CLAIMS) as ClaimId[]).map((id) => {
    const names = scenarios.filter((s) => s.claim === id).map((s) => `\`${s.name}\`${s.openUntil ? ' (open)' : s.needsUnseenClaims ? ' (not evaluated)' : ''}`);
    return `| \`${id}\` | ${CLAIMS[id]} | ${names.join(', ') || 'none'} |`;
  });
  return ['| Claim | Statement | Scenarios |', '|---|---|---|', ...rows].join('\n');
}

export const TABLE_START = '<!-- claim-table:start (generated: npx tsx packages/iam-scenarios/src/cli.ts --table) -->';
export const TABLE_END = '<!-- claim-table:end -->';

/** The table as it stands in a document between the markers, or undefined when the markers are missing. */
export function tableIn(doc: string): string | undefined {
  const start = doc.indexOf(TABLE_START);
  const end = doc.indexOf(TABLE_END);
  if (start < 0 || end < start) return undefined;
  return doc.slice(start + TABLE_START.length, end).trim();
}
