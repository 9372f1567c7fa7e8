// Fixed-size stores for time series: preallocated typed arrays, so memory stays flat however
// long Hearth runs. NaN marks a value that was not known (it becomes null on the wire).

/** The newest `capacity` raw samples: times (ms) and one column per series. */
export class SampleRing {
  readonly times: Float64Array;
  readonly columns: Float32Array[];
  private next = 0;
  private filled = 0;

  constructor(
    readonly capacity: number,
    readonly width: number,
  ) {
    this.times = new Float64Array(capacity);
    this.columns = Array.from({ length: width }, () => new Float32Array(capacity));
  }

  get size(): number {
    return this.filled;
  }

  push(t: number, values: ArrayLike<number>): void {
    const i = this.next;
    this.times[i] = t;
    for (let k = 0; k < this.width; k++) this.columns[k][i] = values[k];
    this.next = (i + 1) % this.capacity;
    if (this.filled < this.capacity) this.filled++;
  }

  /** Index of the i-th oldest sample. */
  private at(i: number): number {
    return (this.next - this.filled + i + this.capacity) % this.capacity;
  }

  oldest(): number | null {
    return this.filled === 0 ? null : this.times[this.at(0)];
  }

  newest(): number | null {
    return this.filled === 0 ? null : this.times[this.at(this.filled - 1)];
  }

  /** Visit samples with from <= t <= to, oldest first. */
  forEach(from: number, to: number, visit: (t: number, index: number) => void): void {
    for (let i = 0; i < this.filled; i++) {
      const index = this.at(i);
      const t = this.times[index];
      if (t >= from && t <= to) visit(t, index);
    }
  }
}

/** Per series of one bucket being filled: the running count, sum, min and max of known values. */
class Accumulator {
  readonly sum: Float64Array;
  readonly known: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  samples = 0;

  constructor(readonly width: number) {
    this.sum = new Float64Array(width);
    this.known = new Float64Array(width);
    this.min = new Float64Array(width);
    this.max = new Float64Array(width);
    this.reset();
  }

  reset(): void {
    this.sum.fill(0);
    this.known.fill(0);
    this.min.fill(Infinity);
    this.max.fill(-Infinity);
    this.samples = 0;
  }

  add(values: ArrayLike<number>): void {
    this.samples++;
    for (let k = 0; k < this.width; k++) {
      const v = values[k];
      if (Number.isNaN(v)) continue;
      this.sum[k] += v;
      this.known[k]++;
      if (v < this.min[k]) this.min[k] = v;
      if (v > this.max[k]) this.max[k] = v;
    }
  }

  avg(k: number): number {
    return this.known[k] === 0 ? NaN : this.sum[k] / this.known[k];
  }
  lo(k: number): number {
    return this.known[k] === 0 ? NaN : this.min[k];
  }
  hi(k: number): number {
    return this.known[k] === 0 ? NaN : this.max[k];
  }
}

/** What a bucket ring keeps, for saving to disk and loading back. */
export interface BucketSnapshot {
  stepSeconds: number;
  /** Bucket start times in ms, oldest first. */
  starts: Float64Array;
  /** Samples in each bucket. */
  counts: Float32Array;
  /** Per series: min, avg, max, each one value per bucket. */
  min: Float32Array[];
  avg: Float32Array[];
  max: Float32Array[];
}

/** Downsampled history: min/avg/max per series per `stepSeconds` bucket, newest `capacity` kept. */
export class BucketRing {
  readonly starts: Float64Array;
  readonly counts: Float32Array;
  readonly min: Float32Array[];
  readonly avg: Float32Array[];
  readonly max: Float32Array[];
  private next = 0;
  private filled = 0;
  private readonly acc: Accumulator;
  private accStart: number | null = null;
  private readonly stepMs: number;

  constructor(
    readonly stepSeconds: number,
    readonly capacity: number,
    readonly width: number,
  ) {
    this.stepMs = stepSeconds * 1000;
    this.starts = new Float64Array(capacity);
    this.counts = new Float32Array(capacity);
    const cols = () => Array.from({ length: width }, () => new Float32Array(capacity));
    this.min = cols();
    this.avg = cols();
    this.max = cols();
    this.acc = new Accumulator(width);
  }

  get size(): number {
    return this.filled;
  }

  /** Add one raw sample taken at `t` (ms). Samples must come in time order. */
  add(t: number, values: ArrayLike<number>): void {
    const start = Math.floor(t / this.stepMs) * this.stepMs;
    if (this.accStart !== null && start !== this.accStart) this.close();
    this.accStart = start;
    this.acc.add(values);
  }

  /** Finish the bucket being filled (its time is over, or Hearth is saving before it stops). */
  close(): void {
    if (this.accStart === null || this.acc.samples === 0) return;
    const start = this.accStart;
    const last = this.filled > 0 ? this.index(this.filled - 1) : -1;
    if (last >= 0 && this.starts[last] === start) {
      // The same bucket again (saved part-filled before a restart): merge, weighted by samples.
      const a = this.counts[last];
      const b = this.acc.samples;
      for (let k = 0; k < this.width; k++) {
        const avg = this.acc.avg(k);
        if (Number.isNaN(avg)) continue;
        const old = this.avg[k][last];
        this.avg[k][last] = Number.isNaN(old) ? avg : (old * a + avg * b) / (a + b);
        this.min[k][last] = Number.isNaN(this.min[k][last]) ? this.acc.lo(k) : Math.min(this.min[k][last], this.acc.lo(k));
        this.max[k][last] = Number.isNaN(this.max[k][last]) ? this.acc.hi(k) : Math.max(this.max[k][last], this.acc.hi(k));
      }
      this.counts[last] = a + b;
    } else {
      const i = this.next;
      this.starts[i] = start;
      this.counts[i] = this.acc.samples;
      for (let k = 0; k < this.width; k++) {
        this.min[k][i] = this.acc.lo(k);
        this.avg[k][i] = this.acc.avg(k);
        this.max[k][i] = this.acc.hi(k);
      }
      this.next = (i + 1) % this.capacity;
      if (this.filled < this.capacity) this.filled++;
    }
    this.acc.reset();
    this.accStart = null;
  }

  private index(i: number): number {
    return (this.next - this.filled + i + this.capacity) % this.capacity;
  }

  /** Newest bucket start (closed or being filled), or null. */
  newest(): number | null {
    if (this.accStart !== null) return this.accStart;
    return this.filled === 0 ? null : this.starts[this.index(this.filled - 1)];
  }

  /**
   * Visit buckets starting in [from, to], oldest first, the one being filled last.
   * `get(kind, k)` reads series k's min/avg/max of the visited bucket.
   */
  forEach(from: number, to: number, visit: (start: number, get: (kind: 'min' | 'avg' | 'max', k: number) => number) => void): void {
    for (let i = 0; i < this.filled; i++) {
      const index = this.index(i);
      const start = this.starts[index];
      if (start < from || start > to) continue;
      visit(start, (kind, k) => this[kind][k][index]);
    }
    if (this.accStart !== null && this.acc.samples > 0 && this.accStart >= from && this.accStart <= to) {
      const acc = this.acc;
      visit(this.accStart, (kind, k) => (kind === 'min' ? acc.lo(k) : kind === 'max' ? acc.hi(k) : acc.avg(k)));
    }
  }

  /** Closed buckets, oldest first (the one being filled is closed first: call on save). */
  snapshot(): BucketSnapshot {
    const n = this.filled;
    const pick64 = (src: Float64Array) => Float64Array.from({ length: n }, (_, i) => src[this.index(i)]);
    const pick32 = (src: Float32Array) => Float32Array.from({ length: n }, (_, i) => src[this.index(i)]);
    return {
      stepSeconds: this.stepSeconds,
      starts: pick64(this.starts),
      counts: pick32(this.counts),
      min: this.min.map(pick32),
      avg: this.avg.map(pick32),
      max: this.max.map(pick32),
    };
  }

  /** Load saved buckets (into an empty ring); the newest `capacity` are kept. */
  restore(snapshot: BucketSnapshot): void {
    if (snapshot.stepSeconds !== this.stepSeconds) return;
    const n = snapshot.starts.length;
    const skip = Math.max(0, n - this.capacity);
    const width = Math.min(this.width, snapshot.avg.length);
    for (let j = skip; j < n; j++) {
      const i = this.next;
      this.starts[i] = snapshot.starts[j];
      this.counts[i] = snapshot.counts[j];
      for (let k = 0; k < this.width; k++) {
        this.min[k][i] = k < width ? snapshot.min[k][j] : NaN;
        this.avg[k][i] = k < width ? snapshot.avg[k][j] : NaN;
        this.max[k][i] = k < width ? snapshot.max[k][j] : NaN;
      }
      this.next = (i + 1) % this.capacity;
      if (this.filled < this.capacity) this.filled++;
    }
  }

  /** Drop buckets that started before `before` (ms). */
  dropBefore(before: number): void {
    while (this.filled > 0 && this.starts[this.index(0)] < before) this.filled--;
  }
}
