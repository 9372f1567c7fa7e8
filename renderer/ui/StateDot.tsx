// A coloured dot with a text equivalent for screen readers and a tooltip.
export type DotTone = 'ok' | 'busy' | 'warn' | 'bad' | 'off';

export function StateDot({ tone, label }: { tone: DotTone; label: string }) {
  return <span className={`dot dot-${tone}`} role="img" aria-label={label} title={label} />;
}
