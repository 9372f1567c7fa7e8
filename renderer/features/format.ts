// Numbers as people read them, in the current language.
import type { ConnectionState, DomainState } from '../../common/model/index';
import type { Translate } from '../i18n/index';
import type { DotTone } from '../ui/StateDot';

export function formatMiB(t: Translate, mib: number | null | undefined): string {
  if (mib === null || mib === undefined) return '—';
  if (mib >= 1024) return t('unit.gib', { value: (mib / 1024).toFixed(mib >= 10240 ? 0 : 1) });
  return t('unit.mib', { value: Math.round(mib) });
}

export function formatUptime(t: Translate, seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return t('common.unknown');
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return t('unit.days', { d, h });
  if (h > 0) return t('unit.hours', { h, m });
  return t('unit.minutes', { m });
}

export function formatCpuTime(seconds: number | null): string {
  if (seconds === null) return '—';
  const total = Math.floor(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${h}:${pad(m)}:${pad(s)}`;
}

export function hostTone(state: ConnectionState): DotTone {
  switch (state) {
    case 'connected':
      return 'ok';
    case 'connecting':
    case 'retrying':
      return 'busy';
    case 'lost':
      return 'bad';
    default:
      return 'off';
  }
}

export function domainTone(state: DomainState): DotTone {
  switch (state) {
    case 'running':
    case 'blocked':
      return 'ok';
    case 'paused':
      return 'warn';
    case 'shutdown':
    case 'dying':
      return 'busy';
    case 'crashed':
      return 'bad';
    default:
      return 'off';
  }
}

/** A domain that exists in the hypervisor right now (it has an ID). */
export function isLive(state: DomainState): boolean {
  return state !== 'stopped' && state !== 'unknown';
}
