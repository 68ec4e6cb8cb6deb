/**
 * The usage explorer's chart: one SVG bar chart per meter, drawn on the server (the Content-Security-Policy
 * allows no script, and an inline <svg> with presentation attributes needs none), one bar per day of the window.
 * Meters are charted apart because their units do not add (GB-hours and server-hours make no sum).
 */
import type { Meter } from '../../../core/usage.ts';
import { displayText, displayUnit, displayValue } from './usage-figures.ts';

const WIDTH = 640;
const HEIGHT = 180;
const LEFT = 64;
const BOTTOM = 24;
const TOP = 12;
const PLOT_W = WIDTH - LEFT - 8;
const PLOT_H = HEIGHT - TOP - BOTTOM;
const INK = '#1a1a1a';
const BAR = '#0b57a4';

/** One meter's usage by day: every day of the window, in order, with its base-unit quantity (0 when none). */
export interface MeterSeries {
  meter: Meter;
  days: readonly { day: string; quantity: number }[];
}

/** The bar chart of one meter's days, with its title and a description that reads the same figures. */
export function UsageChart({ series }: { series: MeterSeries }) {
  const { meter, days } = series;
  const unit = displayUnit(meter);
  const values = days.map((d) => displayValue(meter, d.quantity));
  const max = Math.max(...values, 0);
  const step = PLOT_W / Math.max(days.length, 1);
  const id = `chart-${meter.replace(/\W/g, '-')}`;
  const used = days.filter((d) => d.quantity > 0);
  const desc = `${days.length} days from ${days[0]?.day ?? ''} to ${days.at(-1)?.day ?? ''}; ${
    used.length ? used.map((d) => `${d.day}: ${displayText(meter, d.quantity)}`).join(', ') : 'no usage'
  } ${unit}.`;
  // A label under every bar would overlap past a week; one a week, and the last day, stay readable.
  const labelled = (i: number) => i % 7 === 0 || i === days.length - 1;
  return (
    <figure>
      <svg
        xmlns="http://www.w3.org/2000/svg"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        font-family="system-ui, sans-serif"
        font-size="11"
      >
        <title id={`${id}-title`}>{`${meter} by day, in ${unit}`}</title>
        <desc id={`${id}-desc`}>{desc}</desc>
        <line x1={LEFT} y1={TOP} x2={LEFT} y2={TOP + PLOT_H} stroke={INK} />
        <line x1={LEFT} y1={TOP + PLOT_H} x2={LEFT + PLOT_W} y2={TOP + PLOT_H} stroke={INK} />
        <text x={LEFT - 6} y={TOP + 4} text-anchor="end" fill={INK}>
          {axisText(max)}
        </text>
        <text x={LEFT - 6} y={TOP + PLOT_H} text-anchor="end" fill={INK}>
          0
        </text>
        <text x={4} y={TOP + PLOT_H / 2} fill={INK}>
          {unit}
        </text>
        {days.map((d, i) => {
          const h = max > 0 ? (values[i]! / max) * PLOT_H : 0;
          return (
            <g>
              <rect x={LEFT + i * step + step * 0.1} y={TOP + PLOT_H - h} width={step * 0.8} height={h} fill={BAR}>
                <title>{`${d.day}: ${displayText(meter, d.quantity)} ${unit}`}</title>
              </rect>
              {labelled(i) && (
                <text x={LEFT + i * step + step / 2} y={HEIGHT - 6} text-anchor="middle" fill={INK}>
                  {d.day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption>{`${meter} (${meter.split('.')[0]}), ${unit} per day`}</figcaption>
    </figure>
  );
}

/** The top of the axis, short: 1234.5 reads 1,234.5. */
const axisText = (v: number) => v.toLocaleString('en-GB', { maximumFractionDigits: 2 });
