/** A tiny inline SVG line of a series (no chart library needed), with an optional target line. */
export function Sparkline({
  values,
  target,
  width = 120,
  height = 32,
  colour = 'var(--accent)',
  label,
}: {
  values: readonly (number | null)[];
  target?: number | null;
  width?: number;
  height?: number;
  colour?: string;
  label?: string;
}) {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return <svg width={width} height={height} role="img" aria-label={label} />;
  const all = target !== null && target !== undefined && Number.isFinite(target) ? [...finite, target] : finite;
  const min = Math.min(...all);
  const max = Math.max(...all);
  const span = max - min || 1;
  const step = values.length > 1 ? (width - 4) / (values.length - 1) : 0;
  const y = (v: number) => height - 3 - ((v - min) / span) * (height - 6);
  let d = '';
  values.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) return;
    d += `${d && values[i - 1] !== null ? 'L' : 'M'}${(2 + i * step).toFixed(1)},${y(v).toFixed(1)}`;
  });
  const lastIndex = values.map((v) => v !== null && Number.isFinite(v)).lastIndexOf(true);
  const last = values[lastIndex];
  return (
    <svg width={width} height={height} role="img" aria-label={label} className="sparkline">
      {target !== null && target !== undefined && Number.isFinite(target) && (
        <line
          x1={0}
          x2={width}
          y1={y(target)}
          y2={y(target)}
          stroke="var(--muted)"
          strokeDasharray="3 3"
          strokeWidth={1}
        />
      )}
      <path d={d} fill="none" stroke={colour} strokeWidth={1.8} strokeLinejoin="round" strokeLinecap="round" />
      {last !== null && last !== undefined && <circle cx={2 + lastIndex * step} cy={y(last)} r={2.5} fill={colour} />}
    </svg>
  );
}
