/** Reads the parts of `terraform plan` output the report needs. */

export function parsePlanSummary(stdout: string): { add: number; change: number; destroy: number } | undefined {
  if (/No changes\./.test(stdout)) return { add: 0, change: 0, destroy: 0 };
  const m = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(stdout);
  return m ? { add: Number(m[1]), change: Number(m[2]), destroy: Number(m[3]) } : undefined;
}

/**
 * Warning blocks from plain-text output, minus those pointing at the override file (the empty
 * role_arn that switches off role assumption is reported as a deprecation warning).
 */
export function parseWarnings(output: string, overrideFile: string): string[] {
  return output
    .split(/\n(?=Warning: )/)
    .filter((b) => b.startsWith('Warning: '))
    .map((b) => b.split(/\n(?=─|Error: |Note: )/)[0].trim())
    .filter((b) => !b.includes(overrideFile));
}
