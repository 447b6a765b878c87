/** One thing wrong with an environment file: where, and what is expected instead. */
export interface EnvironmentProblem {
  /** Path of the file, relative to the workspace root where possible. */
  readonly file: string;
  /** Dotted path of the field ("hub.accountId"); "(file)" for the file as a whole. */
  readonly field: string;
  readonly message: string;
  /** A warning is reported but does not stop the load. Default: an error. */
  readonly severity?: 'warning';
}

export function formatProblem(p: EnvironmentProblem): string {
  return `${p.severity === 'warning' ? 'warning: ' : ''}${p.file}: ${p.field}: ${p.message}`;
}

/** Thrown when one or more environment files are invalid; lists every problem at once. */
export class EnvironmentValidationError extends Error {
  constructor(readonly problems: readonly EnvironmentProblem[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in environment files; nothing was synthesized:\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join('\n'),
    );
    this.name = 'EnvironmentValidationError';
  }
}
