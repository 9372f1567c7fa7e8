// Where each host's downsampled history lives on the admin's machine:
// HEARTH_HOME/metrics/<host id>.hist, one file per host, written atomically. The format is
// compact: the history's typed arrays as little-endian float32/float64 columns in one gzipped
// JSON, the whole carried as base64 text behind a magic line so a foreign file is recognised.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { HistorySnapshot } from '../../common/metrics/history';
import type { BucketSnapshot } from '../../common/metrics/ring';
import { MetricsSettings } from '../../common/model/metrics';
import { writeFileAtomic } from './atomic-file';

const MAGIC = 'hearth-metrics 1';

const f32 = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
const f64 = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function un32(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  const copy = new Uint8Array(b); // aligned copy
  return new Float32Array(copy.buffer, 0, Math.floor(copy.byteLength / 4));
}
function un64(s: string): Float64Array {
  const b = Buffer.from(s, 'base64');
  const copy = new Uint8Array(b);
  return new Float64Array(copy.buffer, 0, Math.floor(copy.byteLength / 8));
}

interface EncodedBuckets {
  step: number;
  starts: string;
  counts: string;
  min: string[];
  avg: string[];
  max: string[];
}

const encodeBuckets = (b: BucketSnapshot): EncodedBuckets => ({
  step: b.stepSeconds,
  starts: f64(b.starts),
  counts: f32(b.counts),
  min: b.min.map(f32),
  avg: b.avg.map(f32),
  max: b.max.map(f32),
});

function decodeBuckets(e: EncodedBuckets): BucketSnapshot {
  const starts = un64(e.starts);
  const n = starts.length;
  const col = (s: string) => {
    const a = un32(s);
    return a.length === n ? a : new Float32Array(n).fill(NaN);
  };
  return { stepSeconds: e.step, starts, counts: col(e.counts), min: e.min.map(col), avg: e.avg.map(col), max: e.max.map(col) };
}

export function encodeHistory(snapshot: HistorySnapshot): string {
  const one = (s: HistorySnapshot['host']) => ({ keys: s.keys, minutes: encodeBuckets(s.minutes), hours: encodeBuckets(s.hours) });
  const doc = {
    version: 1,
    host: one(snapshot.host),
    domains: Object.fromEntries(Object.entries(snapshot.domains).map(([name, s]) => [name, one(s)])),
  };
  return `${MAGIC}\n${gzipSync(JSON.stringify(doc)).toString('base64')}\n`;
}

export function decodeHistory(text: string): HistorySnapshot | null {
  const [magic, body] = text.split('\n');
  if (magic !== MAGIC || !body) return null;
  try {
    const doc = JSON.parse(gunzipSync(Buffer.from(body, 'base64')).toString('utf8'));
    if (doc?.version !== 1) return null;
    const one = (s: { keys: string[]; minutes: EncodedBuckets; hours: EncodedBuckets }) => ({
      keys: s.keys,
      minutes: decodeBuckets(s.minutes),
      hours: decodeBuckets(s.hours),
    });
    return {
      version: 1,
      host: one(doc.host),
      domains: Object.fromEntries(Object.entries(doc.domains ?? {}).map(([name, s]) => [name, one(s as never)])),
    };
  } catch {
    return null;
  }
}

export class MetricsStore {
  constructor(private readonly dir: string) {}

  private file(hostId: string): string {
    return path.join(this.dir, `${encodeURIComponent(hostId)}.hist`);
  }

  async load(hostId: string): Promise<HistorySnapshot | null> {
    try {
      return decodeHistory(await fs.readFile(this.file(hostId), 'utf8'));
    } catch {
      return null; // nothing saved yet, or unreadable: start afresh rather than fail the charts
    }
  }

  async save(hostId: string, snapshot: HistorySnapshot): Promise<void> {
    await writeFileAtomic(this.file(hostId), encodeHistory(snapshot));
  }

  async remove(hostId: string): Promise<void> {
    await fs.rm(this.file(hostId), { force: true });
  }

  async loadSettings(): Promise<MetricsSettings | null> {
    try {
      const parsed = MetricsSettings.safeParse(JSON.parse(await fs.readFile(path.join(this.dir, 'settings.json'), 'utf8')));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  async saveSettings(settings: MetricsSettings): Promise<void> {
    await writeFileAtomic(path.join(this.dir, 'settings.json'), JSON.stringify(settings, null, 2));
  }
}
