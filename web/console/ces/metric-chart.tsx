/**
 * A metric's line chart in the Console (web/svg-chart.tsx's frame): the datapoints over the chosen window, the
 * window's ends on the time axis, and a description that reads the same figures.
 */
import { ChartSvg, DATA, type Frame, INK, plotOf } from '../../svg-chart.tsx';

const FRAME: Frame = { width: 720, height: 220, left: 72, top: 12, bottom: 28, right: 12 };

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
  const p = plotOf(FRAME);
  const max = Math.max(...points.map((d) => d.value), 0);
  const x = (t: number) => p.x + ((t - from) / Math.max(to - from, 1)) * p.w;
  const y = (v: number) => p.y + p.h - (max > 0 ? (v / max) * p.h : 0);
  const line = points.map((d) => `${x(d.timestamp).toFixed(1)},${y(d.value).toFixed(1)}`).join(' ');
  const desc = points.length
    ? `${points.length} datapoints from ${hhmm(points[0]!.timestamp)} to ${hhmm(points.at(-1)!.timestamp)} UTC; lowest ${figure(
        Math.min(...points.map((d) => d.value)),
      )}, highest ${figure(max)} ${unit}; last ${figure(points.at(-1)!.value)} ${unit}.`
    : 'No datapoints in this window.';
  return (
    <figure>
      <ChartSvg id="metric-chart" frame={FRAME} title={series.title} desc={desc} top={figure(max)} unit={unit}>
        <text x={p.x} y={FRAME.height - 8} fill={INK}>
          {hhmm(from)}
        </text>
        <text x={p.x + p.w} y={FRAME.height - 8} text-anchor="end" fill={INK}>
          {`${hhmm(to)} UTC`}
        </text>
        {points.length > 1 && <polyline points={line} fill="none" stroke={DATA} stroke-width="2" />}
        {points.map((d) => (
          <circle cx={x(d.timestamp)} cy={y(d.value)} r="2.5" fill={DATA}>
            <title>{`${hhmm(d.timestamp)}: ${figure(d.value)} ${unit}`}</title>
          </circle>
        ))}
      </ChartSvg>
      <figcaption>{series.title}</figcaption>
    </figure>
  );
}
