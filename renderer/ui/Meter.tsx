// A horizontal bar for "used of total", with the numbers said in text beside it.
export function Meter({ fraction, label }: { fraction: number; label: string }) {
  const clamped = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  return (
    <div className="meter-wrap">
      <div
        className={clamped > 0.9 ? 'meter meter-high' : 'meter'}
        role="meter"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(clamped * 100)}
        aria-label={label}
      >
        <div className="meter-fill" style={{ width: `${clamped * 100}%` }} />
      </div>
      <span className="meter-text">{label}</span>
    </div>
  );
}

export function ProgressBar({ value, label, testId }: { value: number | null; label: string; testId?: string }) {
  return (
    <div
      className={value === null ? 'progress progress-unknown' : 'progress'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={value === null ? undefined : Math.round(value * 100)}
      data-testid={testId}
    >
      <div className="progress-fill" style={value === null ? undefined : { width: `${Math.round(value * 100)}%` }} />
    </div>
  );
}
