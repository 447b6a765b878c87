import { seconds } from './format';

/**
 * What is running while Terraform works (a stack takes 20-40 s with no output of its own): a line
 * when a stack starts, and on each tick one line naming every stack still running and for how long.
 */
export class PlanProgress {
  private readonly running = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  start(stack: string): string {
    this.running.set(stack, this.now());
    return `  ...   ${stack}: planning (terraform init + plan)`;
  }

  finish(stack: string): void {
    this.running.delete(stack);
  }

  /** The "still running" line, or undefined when nothing runs. */
  tick(): string | undefined {
    if (!this.running.size) return undefined;
    const t = this.now();
    return `  ...   still planning: ${[...this.running].map(([s, at]) => `${s} (${seconds(t - at)})`).join(', ')}`;
  }
}
