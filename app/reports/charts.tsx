// Server-rendered SVG charts: readable without JavaScript, sized by attributes (the CSP forbids inline
// styles), each with a text alternative. The tables next to them carry the same numbers.

type Bar = { label: string; percent: number | null };

const fmt = (n: number | null) => (n === null ? "không có số liệu" : `${n.toLocaleString("vi-VN")}%`);

export function BarChart({ title, bars, target }: { title: string; bars: Bar[]; target: number | null }) {
  const rowHeight = 22;
  const labelWidth = 150;
  const width = 460;
  const plot = width - labelWidth - 50;
  const height = bars.length * rowHeight + 30;
  const x = (p: number) => labelWidth + (Math.min(p, 100) / 100) * plot;
  const below = target === null ? 0 : bars.filter((b) => b.percent !== null && b.percent < target).length;
  const description = `${title}. ${bars.length} đơn vị${target === null ? "" : `, mục tiêu ${fmt(target)}; ${below} đơn vị chưa đạt mục tiêu`}.`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={description} preserveAspectRatio="xMinYMin meet">
        <title>{description}</title>
        {bars.map((b, i) => (
          <g key={b.label} transform={`translate(0, ${i * rowHeight + 20})`}>
            <text x={labelWidth - 6} y={14} textAnchor="end" fontSize="11" fill="#1c1c1c">{b.label.length > 24 ? `${b.label.slice(0, 23)}…` : b.label}</text>
            <rect x={labelWidth} y={3} width={Math.max(0, x(b.percent ?? 0) - labelWidth)} height={rowHeight - 7} fill={target !== null && (b.percent ?? 0) >= target ? "#0b5c3b" : "#c25e00"} />
            <text x={x(b.percent ?? 0) + 4} y={14} fontSize="11" fill="#1c1c1c">{fmt(b.percent)}</text>
          </g>
        ))}
        {target !== null ? (
          <g>
            <line x1={x(target)} x2={x(target)} y1={12} y2={height} stroke="#a11b0e" strokeWidth="2" strokeDasharray="4 3" />
            <text x={x(target)} y={10} textAnchor="middle" fontSize="11" fill="#a11b0e">Mục tiêu {fmt(target)}</text>
          </g>
        ) : null}
      </svg>
      <figcaption>{description}</figcaption>
    </figure>
  );
}

type Point = { month: string; percent: number | null };

export function TrendChart({ title, points, target }: { title: string; points: Point[]; target: number | null }) {
  const width = 460;
  const height = 200;
  const left = 40;
  const bottom = 30;
  const top = 14;
  const max = Math.max(10, target ?? 0, ...points.map((p) => p.percent ?? 0));
  const scaleMax = Math.min(100, Math.ceil(max / 10) * 10);
  const x = (i: number) => left + (i * (width - left - 10)) / Math.max(1, points.length - 1);
  const y = (p: number) => top + (1 - Math.min(p, scaleMax) / scaleMax) * (height - top - bottom);
  const path = points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(p.percent ?? 0).toFixed(1)}`).join(" ");
  const first = points[0];
  const last = points.at(-1);
  const description = `${title}: từ ${fmt(first?.percent ?? null)} (tháng ${first?.month}) đến ${fmt(last?.percent ?? null)} (tháng ${last?.month})${target === null ? "" : `, mục tiêu ${fmt(target)}`}.`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={description}>
        <title>{description}</title>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={left} x2={width - 10} y1={y(scaleMax * f)} y2={y(scaleMax * f)} stroke="#c9d3cd" />
            <text x={left - 4} y={y(scaleMax * f) + 4} textAnchor="end" fontSize="10" fill="#4a4a4a">{Math.round(scaleMax * f)}%</text>
          </g>
        ))}
        {target !== null && target <= scaleMax ? (
          <line x1={left} x2={width - 10} y1={y(target)} y2={y(target)} stroke="#a11b0e" strokeWidth="2" strokeDasharray="4 3" />
        ) : null}
        <path d={path} fill="none" stroke="#0b5c3b" strokeWidth="3" />
        {points.map((p, i) => (
          <g key={p.month}>
            <circle cx={x(i)} cy={y(p.percent ?? 0)} r="3.5" fill="#0b5c3b" />
            {i % 2 === points.length % 2 ? null : (
              <text x={x(i)} y={height - 10} textAnchor="middle" fontSize="10" fill="#4a4a4a">{p.month.slice(5)}/{p.month.slice(2, 4)}</text>
            )}
          </g>
        ))}
      </svg>
      <figcaption>{description}</figcaption>
    </figure>
  );
}
