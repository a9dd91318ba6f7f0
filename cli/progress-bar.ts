import type { CommandContext } from './command';

const WIDTH = 30;

/** `[##########--------------------]  12/40  2024-11-08 fetched`: what the bar shows after each step. */
export function progressBarText(done: number, total: number, label: string): string {
  const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
  const count = `${String(done).padStart(String(total).length)}/${total}`;
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${count} ${label}`;
}

/**
 * A one-line progress bar on stderr when it is a terminal (ctx.redraw); other lines printed
 * meanwhile go above it, and `end` leaves it on its own line. Null in a pipe: nothing to draw.
 */
export class ProgressBar {
  private last: string | null = null;

  private constructor(
    private readonly redraw: (text: string) => void,
    private readonly newline: () => void,
  ) {}

  static forTerminal(ctx: CommandContext): ProgressBar | null {
    return ctx.redraw ? new ProgressBar(ctx.redraw, () => ctx.notice('')) : null;
  }

  update(done: number, total: number, label: string): void {
    this.last = progressBarText(done, total, label);
    this.redraw(this.last);
  }

  /** A line above the bar: drawn over it, ended, and the bar drawn again below. */
  log(line: string): void {
    this.redraw(line);
    this.newline();
    if (this.last !== null) this.redraw(this.last);
  }

  end(): void {
    if (this.last !== null) this.newline();
    this.last = null;
  }
}
