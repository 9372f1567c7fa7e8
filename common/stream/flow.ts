// Flow control by acknowledgement for byte streams that travel outside the RPC (terminals,
// VNC), after VS Code's pty host: the sender counts what it sent, the receiver says how much it
// has consumed (written into xterm, handed to noVNC). Past a high watermark of unacknowledged
// bytes the sender pauses its source (the SSH channel, so the remote side is held back too);
// once the receiver catches up below the low watermark it resumes. Acknowledgements carry the
// cumulative count, so a lost or repeated one cannot drift the books.

export const HIGH_WATERMARK_BYTES = 100_000;
export const LOW_WATERMARK_BYTES = 5_000;
export const ACK_EVERY_BYTES = 5_000;

export interface FlowLimits {
  high: number;
  low: number;
}

/** The sending side's books: how much went out, how much came back acknowledged. */
export class FlowSender {
  private sentTotal = 0;
  private ackedTotal = 0;
  private paused = false;

  constructor(private readonly limits: FlowLimits = { high: HIGH_WATERMARK_BYTES, low: LOW_WATERMARK_BYTES }) {
    if (!(limits.low >= 0 && limits.low < limits.high)) throw new RangeError('The low watermark must be below the high one.');
  }

  get unacknowledged(): number {
    return this.sentTotal - this.ackedTotal;
  }

  get sent(): number {
    return this.sentTotal;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  /** Count bytes sent; true when the source must pause now. */
  sentBytes(n: number): boolean {
    this.sentTotal += n;
    if (!this.paused && this.unacknowledged > this.limits.high) {
      this.paused = true;
      return true;
    }
    return false;
  }

  /**
   * The receiver has consumed `total` bytes since the stream began; true when the source may
   * resume now. A stale or impossible count (behind an earlier one, beyond what was sent) is
   * ignored.
   */
  acknowledged(total: number): boolean {
    if (!Number.isSafeInteger(total) || total < this.ackedTotal || total > this.sentTotal) return false;
    this.ackedTotal = total;
    if (this.paused && this.unacknowledged < this.limits.low) {
      this.paused = false;
      return true;
    }
    return false;
  }

  /**
   * A new receiver: whatever the previous one had not acknowledged is lost with it, and the new
   * one counts from zero. Returns true when the source was paused and may resume.
   */
  newReceiver(): boolean {
    this.sentTotal = 0;
    this.ackedTotal = 0;
    if (this.paused) {
      this.paused = false;
      return true;
    }
    return false;
  }
}

/** The receiving side: counts consumed bytes and says when to acknowledge. */
export class FlowReceiver {
  private consumedTotal = 0;
  private lastAck = 0;

  constructor(private readonly every: number = ACK_EVERY_BYTES) {}

  get consumed(): number {
    return this.consumedTotal;
  }

  /** Count bytes consumed; returns the cumulative count to acknowledge, or null for not yet. */
  consumedBytes(n: number): number | null {
    this.consumedTotal += n;
    if (this.consumedTotal - this.lastAck >= this.every) {
      this.lastAck = this.consumedTotal;
      return this.consumedTotal;
    }
    return null;
  }

  /** Acknowledge whatever is still pending (e.g. when the stream goes idle). */
  flush(): number | null {
    if (this.consumedTotal === this.lastAck) return null;
    this.lastAck = this.consumedTotal;
    return this.consumedTotal;
  }
}
