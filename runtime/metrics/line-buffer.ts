// A bounded FIFO of line-protocol lines waiting for InfluxDB: the oldest go first when it is full (data path first, metrics second).

export class LineBuffer {
  private lines: string[] = [];
  /** Lines dropped since the buffer was made. */
  droppedTotal = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`metrics buffer capacity must be at least 1 (got ${capacity})`);
  }

  get length(): number {
    return this.lines.length;
  }

  /** Appends; returns how many of the oldest lines were dropped to make room. */
  push(lines: readonly string[]): number {
    this.lines.push(...lines);
    const over = this.lines.length - this.capacity;
    if (over <= 0) return 0;
    this.lines.splice(0, over);
    this.droppedTotal += over;
    return over;
  }

  /** The oldest `max` lines, left in place until `remove` (a failed send keeps them for the retry). */
  peek(max: number): string[] {
    return this.lines.slice(0, max);
  }

  /**
   * Removes the batch that was sent. Lines dropped while it was in flight shifted the buffer, so only what is
   * still the batch's own tail is removed: `sent` lines minus those already dropped from the front.
   */
  remove(sent: number, droppedSinceCall: number): void {
    const n = Math.max(0, sent - droppedSinceCall);
    this.lines.splice(0, n);
  }
}
