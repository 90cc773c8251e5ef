// Server-rendered SVG charts: readable without JavaScript, sized by attributes (the CSP forbids inline
// styles), each with a text alternative. The tables next to them carry the same numbers.
// Drawn 320 units wide with 14-unit text: on a 360 px phone the card is ~300 px wide, so text lands at ≥ 12 px;
// the stylesheet caps the drawing at 560 px on wide screens so it does not grow huge (issue 18 item 12).

const FONT = 14;

type Bar = { label: string; percent: number | null };

const fmt = (n: number | null) => (n === null ? "không có số liệu" : `${n.toLocaleString("vi-VN")}%`);

/** Above this many bars a phone shows the lowest and highest few instead of a chart as tall as 96 communes. */
const COMPACT_EACH_END = 10;

export function BarChart({ title, bars, target }: { title: string; bars: Bar[]; target: number | null }) {
  const below = target === null ? 0 : bars.filter((b) => b.percent !== null && b.percent < target).length;
  const description = `${title}. ${bars.length} đơn vị${target === null ? "" : `, mục tiêu ${fmt(target)}; ${below} đơn vị chưa đạt mục tiêu`}.`;
  const compact = bars.length > COMPACT_EACH_END * 2;
  // Lowest first; a unit without figures counts as the lowest, which is where someone should look first.
  const ranked = [...bars].sort((a, b) => (a.percent ?? -1) - (b.percent ?? -1));
  return (
    <figure className="chart">
      <Bars bars={bars} target={target} description={description} className={compact ? "chart-full" : undefined} />
      {compact ? (
        <div className="chart-compact">
          <p className="chart-part">{COMPACT_EACH_END} đơn vị có tỉ lệ thấp nhất</p>
          <Bars bars={ranked.slice(0, COMPACT_EACH_END)} target={target} description={`${title}: ${COMPACT_EACH_END} đơn vị có tỉ lệ thấp nhất.`} />
          <p className="chart-part">{COMPACT_EACH_END} đơn vị có tỉ lệ cao nhất</p>
          <Bars bars={ranked.slice(-COMPACT_EACH_END).reverse()} target={target} description={`${title}: ${COMPACT_EACH_END} đơn vị có tỉ lệ cao nhất.`} />
          <p className="chart-part">Đủ {bars.length} đơn vị ở bảng bên dưới.</p>
        </div>
      ) : null}
      <figcaption>{description}</figcaption>
    </figure>
  );
}

function Bars({ bars, target, description, className }: { bars: Bar[]; target: number | null; description: string; className?: string }) {
  const rowHeight = 24;
  const labelWidth = 146;
  const width = 320;
  const plot = width - labelWidth - 52;
  const height = bars.length * rowHeight + 30;
  const x = (p: number) => labelWidth + (Math.min(p, 100) / 100) * plot;
  return (
    <svg className={className} viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={description} preserveAspectRatio="xMinYMin meet">
      <title>{description}</title>
      {bars.map((b, i) => (
        <g key={b.label} transform={`translate(0, ${i * rowHeight + 20})`}>
          <text x={labelWidth - 6} y={16} textAnchor="end" fontSize={FONT} fill="#1c1c1c">{shortLabel(b.label)}</text>
          <rect x={labelWidth} y={3} width={Math.max(0, x(b.percent ?? 0) - labelWidth)} height={rowHeight - 7} fill={target !== null && (b.percent ?? 0) >= target ? "#0b5c3b" : "#c25e00"} />
          <text x={x(b.percent ?? 0) + 4} y={16} fontSize={FONT} fill="#1c1c1c">{fmt(b.percent)}</text>
        </g>
      ))}
      {target !== null ? (
        <g>
          <line x1={x(target)} x2={x(target)} y1={16} y2={height} stroke="#a11b0e" strokeWidth="2" strokeDasharray="4 3" />
          <text x={Math.min(x(target) + 30, width - 2)} y={13} textAnchor="end" fontSize={FONT} fill="#a11b0e">Mục tiêu {fmt(target)}</text>
        </g>
      ) : null}
    </svg>
  );
}

/** Cut to what fits beside the bars; the table below has the full names. */
function shortLabel(label: string): string {
  return label.length > 16 ? `${label.slice(0, 15)}…` : label;
}

type Point = { month: string; percent: number | null };

/** "2025-03" → "03/2025", as the rest of the site writes dates. */
const monthWords = (month: string | undefined) => (month ? `${month.slice(5)}/${month.slice(0, 4)}` : "");

export function TrendChart({ title, points, target }: { title: string; points: Point[]; target: number | null }) {
  const width = 320;
  const height = 190;
  const left = 44;
  const right = 12;
  const bottom = 30;
  const top = 22;
  const max = Math.max(10, target ?? 0, ...points.map((p) => p.percent ?? 0));
  const scaleMax = Math.min(100, Math.ceil(max / 10) * 10);
  const x = (i: number) => left + (i * (width - left - right)) / Math.max(1, points.length - 1);
  const y = (p: number) => top + (1 - Math.min(p, scaleMax) / scaleMax) * (height - top - bottom);
  const path = points.map((p, i) => `${i ? "L" : "M"}${x(i).toFixed(1)},${y(p.percent ?? 0).toFixed(1)}`).join(" ");
  const first = points[0];
  const last = points.at(-1);
  const description = `${title}: từ ${fmt(first?.percent ?? null)} (tháng ${monthWords(first?.month)}) đến ${fmt(last?.percent ?? null)} (tháng ${monthWords(last?.month)})${target === null ? "" : `, mục tiêu ${fmt(target)}`}.`;
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={description}>
        <title>{description}</title>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={left} x2={width - right} y1={y(scaleMax * f)} y2={y(scaleMax * f)} stroke="#c9d3cd" />
            <text x={left - 4} y={y(scaleMax * f) + 5} textAnchor="end" fontSize={FONT} fill="#4a4a4a">{Math.round(scaleMax * f)}%</text>
          </g>
        ))}
        {target !== null && target <= scaleMax ? (
          <g>
            <line x1={left} x2={width - right} y1={y(target)} y2={y(target)} stroke="#a11b0e" strokeWidth="2" strokeDasharray="4 3" />
            <text x={width - right} y={y(target) - 5} textAnchor="end" fontSize={FONT} fill="#a11b0e">Mục tiêu {fmt(target)}</text>
          </g>
        ) : null}
        <path d={path} fill="none" stroke="#0b5c3b" strokeWidth="3" />
        {points.map((p, i) => (
          <g key={p.month}>
            <circle cx={x(i)} cy={y(p.percent ?? 0)} r="3.5" fill="#0b5c3b" />
            {/* Every third month counted back from the last one, which is anchored inside the drawing. */}
            {(points.length - 1 - i) % 3 ? null : (
              <text x={x(i)} y={height - 8} textAnchor={i === points.length - 1 ? "end" : i === 0 ? "start" : "middle"} fontSize={FONT} fill="#4a4a4a">{p.month.slice(5)}/{p.month.slice(2, 4)}</text>
            )}
          </g>
        ))}
      </svg>
      <figcaption>{description}</figcaption>
    </figure>
  );
}
