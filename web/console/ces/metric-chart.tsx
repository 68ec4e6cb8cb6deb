/**
 * A metric's line chart, drawn on the server as an inline SVG (the Console's Content-Security-Policy runs no chart
 * script): the datapoints over the chosen window, the value axis from 0 to the highest point, the window's ends
 * on the time axis, and a description that reads the same figures for assistive technology.
 */

const WIDTH = 720;
const HEIGHT = 220;
const LEFT = 72;
const BOTTOM = 28;
const TOP = 12;
const PLOT_W = WIDTH - LEFT - 12;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const INK = '#1a1a1a';
const LINE = '#0b57a4';

export interface ChartSeries {
  title: string;
  unit: string;
  from: number;
  to: number;
  points: readonly { timestamp: number; value: number }[];
}

const hhmm = (ms: number) => new Date(ms).toISOString().slice(5, 16).replace('T', ' ');
const figure = (v: number) => v.toLocaleString('en-GB', { maximumFractionDigits: 2 });

/** The chart of one metric's datapoints between `from` and `to`. */
export function MetricChart({ series }: { series: ChartSeries }) {
  const { points, from, to, unit } = series;
  const max = Math.max(...points.map((p) => p.value), 0);
  const x = (t: number) => LEFT + ((t - from) / Math.max(to - from, 1)) * PLOT_W;
  const y = (v: number) => TOP + PLOT_H - (max > 0 ? (v / max) * PLOT_H : 0);
  const line = points.map((p) => `${x(p.timestamp).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');
  const desc = points.length
    ? `${points.length} datapoints from ${hhmm(points[0]!.timestamp)} to ${hhmm(points.at(-1)!.timestamp)} UTC; lowest ${figure(
        Math.min(...points.map((p) => p.value)),
      )}, highest ${figure(max)} ${unit}; last ${figure(points.at(-1)!.value)} ${unit}.`
    : 'No datapoints in this window.';
  return (
    <figure>
      <svg
        xmlns="http://www.w3.org/2000/svg"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-labelledby="metric-chart-title metric-chart-desc"
        font-family="system-ui, sans-serif"
        font-size="11"
      >
        <title id="metric-chart-title">{series.title}</title>
        <desc id="metric-chart-desc">{desc}</desc>
        <line x1={LEFT} y1={TOP} x2={LEFT} y2={TOP + PLOT_H} stroke={INK} />
        <line x1={LEFT} y1={TOP + PLOT_H} x2={LEFT + PLOT_W} y2={TOP + PLOT_H} stroke={INK} />
        <text x={LEFT - 6} y={TOP + 4} text-anchor="end" fill={INK}>
          {figure(max)}
        </text>
        <text x={LEFT - 6} y={TOP + PLOT_H} text-anchor="end" fill={INK}>
          0
        </text>
        <text x={4} y={TOP + PLOT_H / 2} fill={INK}>
          {unit}
        </text>
        <text x={LEFT} y={HEIGHT - 8} fill={INK}>
          {hhmm(from)}
        </text>
        <text x={LEFT + PLOT_W} y={HEIGHT - 8} text-anchor="end" fill={INK}>
          {`${hhmm(to)} UTC`}
        </text>
        {points.length > 1 && <polyline points={line} fill="none" stroke={LINE} stroke-width="2" />}
        {points.map((p) => (
          <circle cx={x(p.timestamp)} cy={y(p.value)} r="2.5" fill={LINE}>
            <title>{`${hhmm(p.timestamp)}: ${figure(p.value)} ${unit}`}</title>
          </circle>
        ))}
      </svg>
      <figcaption>{series.title}</figcaption>
    </figure>
  );
}
