// A column header that sorts its table: a button, the direction shown and told to assistive tech.
interface Props {
  label: string;
  /** Read by screen readers, e.g. "Sort by Memory". */
  sortLabel: string;
  active: boolean;
  descending: boolean;
  numeric?: boolean;
  testId: string;
  onToggle: () => void;
}

export function SortHeader({ label, sortLabel, active, descending, numeric, testId, onToggle }: Props) {
  return (
    <th scope="col" className={numeric ? 'num' : undefined} aria-sort={active ? (descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="sort" data-testid={testId} aria-label={sortLabel} onClick={onToggle}>
        {label}
        <span aria-hidden="true" className="sort-mark">
          {active ? (descending ? '▼' : '▲') : ''}
        </span>
      </button>
    </th>
  );
}
