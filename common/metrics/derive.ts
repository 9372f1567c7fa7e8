// From xentop frames to samples: counters become per-second rates, CPU % on xentop's first
// iteration (always 0.0) becomes "unknown", and host totals are summed from the rows.
// xentop prints no domain IDs and no host memory in batch mode: IDs come from the caller
// (`xl list`), free memory is calibrated once from `xl info` and followed through the domains'
// own memory from then on.
import type { DomainSample, HostSample } from '../model/metrics';
import type { XentopFrame, XentopRow } from '../xen/xentop';

export interface HostFacts {
  nrCpus: number;
  totalMemKiB: number;
  /** xl info's free memory when sampling started, to calibrate Xen's own share; null: unknown. */
  freeMemKiBAtStart: number | null;
}

export interface DerivedSample {
  host: HostSample;
  domains: DomainSample[];
  /** Names in this frame whose ID the caller does not know (new or restarted domains). */
  unknownIds: string[];
}

interface Previous {
  id: number | null;
  t: number;
  cpuSeconds: number;
  netTxKiB: number;
  netRxKiB: number;
  vbdRd: number | null;
  vbdWr: number | null;
  vbdRsect: number | null;
  vbdWsect: number | null;
}

export interface SampleDeriver {
  /** `t` in milliseconds; `idOf` answers a domain's ID by name, or null. */
  derive(frame: XentopFrame, t: number, idOf: (name: string) => number | null): DerivedSample;
}

const DOM0 = 'Domain-0';

/**
 * @param intervalSeconds xentop's -d: the time between two iterations. Rates are taken over it
 * rather than over arrival times, which jitter with the SSH link while xentop's clock does not.
 */
export function createSampleDeriver(facts: HostFacts, intervalSeconds: number): SampleDeriver {
  const previous = new Map<string, Previous>();
  let frames = 0;
  /** KiB held by Xen itself (not by any domain), learnt on the first frame. */
  let xenOverheadKiB: number | null = null;

  const rate = (now: number | null, before: number | null | undefined, seconds: number): number | null => {
    if (now === null || before === null || before === undefined || now < before || seconds <= 0) return null;
    return (now - before) / seconds;
  };

  return {
    derive(frame, t, idOf) {
      frames++;
      const first = frames === 1;
      const seen = new Set<string>();
      const unknownIds: string[] = [];
      const domains: DomainSample[] = [];
      for (const row of frame.rows) {
        if (seen.has(row.name)) continue; // a name is unique on a host; a repeat is a torn frame
        seen.add(row.name);
        const id = row.name === DOM0 ? 0 : idOf(row.name);
        if (id === null) unknownIds.push(row.name);
        let prev = previous.get(row.name);
        // A different ID, or counters going backwards: a new life of the domain; no rate spans it.
        if (prev && ((prev.id !== null && id !== null && prev.id !== id) || row.cpuSeconds < prev.cpuSeconds)) {
          prev = undefined;
        }
        domains.push(sampleOf(row, id, prev, first, intervalSeconds, rate));
        previous.set(row.name, {
          id,
          t,
          cpuSeconds: row.cpuSeconds,
          netTxKiB: row.netTxKiB,
          netRxKiB: row.netRxKiB,
          vbdRd: row.vbdRd,
          vbdWr: row.vbdWr,
          vbdRsect: row.vbdRsect,
          vbdWsect: row.vbdWsect,
        });
      }
      for (const name of [...previous.keys()]) if (!seen.has(name)) previous.delete(name);

      const usedKiB = domains.reduce((sum, d) => sum + d.memKiB, 0);
      if (xenOverheadKiB === null && facts.freeMemKiBAtStart !== null) {
        xenOverheadKiB = Math.max(0, facts.totalMemKiB - facts.freeMemKiBAtStart - usedKiB);
      }
      const known = domains.filter((d) => d.cpuPercent !== null);
      const dom0 = domains.find((d) => d.id === 0);
      const host: HostSample = {
        cpuPercent:
          known.length === 0 || facts.nrCpus <= 0 ? null : known.reduce((sum, d) => sum + (d.cpuPercent ?? 0), 0) / facts.nrCpus,
        nrCpus: facts.nrCpus,
        totalMemKiB: facts.totalMemKiB,
        freeMemKiB: xenOverheadKiB === null ? null : Math.max(0, facts.totalMemKiB - xenOverheadKiB - usedKiB),
        dom0CpuPercent: dom0?.cpuPercent ?? null,
        dom0MemKiB: dom0?.memKiB ?? null,
      };
      return { host, domains, unknownIds };
    },
  };
}

function sampleOf(
  row: XentopRow,
  id: number | null,
  prev: Previous | undefined,
  first: boolean,
  seconds: number,
  rate: (now: number | null, before: number | null | undefined, seconds: number) => number | null,
): DomainSample {
  return {
    name: row.name,
    id,
    state: row.state,
    // xentop prints 0.0 where it has no earlier sample of the domain: its first iteration, and a
    // domain's first row. Unknown is not idle.
    cpuPercent: first || !prev ? null : row.cpuPercent,
    cpuSeconds: row.cpuSeconds,
    memKiB: row.memKiB,
    maxMemKiB: row.maxMemKiB,
    vcpus: row.vcpus,
    netRxKiBps: rate(row.netRxKiB, prev?.netRxKiB, seconds),
    netTxKiBps: rate(row.netTxKiB, prev?.netTxKiB, seconds),
    vbdRdPs: rate(row.vbdRd, prev?.vbdRd, seconds),
    vbdWrPs: rate(row.vbdWr, prev?.vbdWr, seconds),
    vbdRsectPs: rate(row.vbdRsect, prev?.vbdRsect, seconds),
    vbdWsectPs: rate(row.vbdWsect, prev?.vbdWsect, seconds),
  };
}
