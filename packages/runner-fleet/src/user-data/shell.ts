/** Small helpers for writing bash that stays correct whatever the values hold. */

/** Single-quoted shell word. */
export function sh(value: string | number): string {
  return `'${String(value).replace(/'/g, `'\\''`)}'`;
}

/**
 * A file written by a quoted heredoc: nothing inside is expanded by the shell. The delimiter is
 * chosen so that it cannot occur in the content.
 */
export function writeFile(path: string, content: string, mode = '0644'): string {
  let delimiter = 'END_OF_FILE';
  while (content.split('\n').includes(delimiter)) delimiter += '_';
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return [`install -d -m 0755 "$(dirname ${sh(path)})"`, `cat > ${sh(path)} <<'${delimiter}'`, `${body}${delimiter}`, `chmod ${mode} ${sh(path)}`].join('\n');
}
