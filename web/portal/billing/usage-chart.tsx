/**
 * The usage explorer's chart: one bar chart per meter in web/svg-chart.tsx's frame (drawn on the server), one bar
 * per day of the window.
 * Meters are charted apart because their units do not add (GB-hours and server-hours make no sum).
 */
import type { Meter } from '../../../core/usage.ts';
import { ChartSvg, DATA, type Frame, INK, plotOf } from '../../svg-chart.tsx';
import { displayText, displayUnit, displayValue } from './usage-figures.ts';

const FRAME: Frame = { width: 640, height: 180, left: 64, top: 12, bottom: 24, right: 8 };

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
  const id = `chart-${meter.replace(/\W/g, '-')}`;
  const used = days.filter((d) => d.quantity > 0);
  const desc = `${days.length} days from ${days[0]?.day ?? ''} to ${days.at(-1)?.day ?? ''}; ${
    used.length ? used.map((d) => `${d.day}: ${displayText(meter, d.quantity)}`).join(', ') : 'no usage'
  } ${unit}.`;
  // A label under every bar would overlap past a week; one a week, and the last day, stay readable.
  const labelled = (i: number) => i % 7 === 0 || i === days.length - 1;
  const p = plotOf(FRAME);
  const step = p.w / Math.max(days.length, 1);
  return (
    <figure>
      <ChartSvg id={id} frame={FRAME} title={`${meter} by day, in ${unit}`} desc={desc} top={axisText(max)} unit={unit}>
        {days.map((d, i) => {
          const h = max > 0 ? (values[i]! / max) * p.h : 0;
          return (
            <g>
              <rect x={p.x + i * step + step * 0.1} y={p.y + p.h - h} width={step * 0.8} height={h} fill={DATA}>
                <title>{`${d.day}: ${displayText(meter, d.quantity)} ${unit}`}</title>
              </rect>
              {labelled(i) && (
                <text x={p.x + i * step + step / 2} y={FRAME.height - 6} text-anchor="middle" fill={INK}>
                  {d.day.slice(5)}
                </text>
              )}
            </g>
          );
        })}
      </ChartSvg>
      <figcaption>{`${meter} (${meter.split('.')[0]}), ${unit} per day`}</figcaption>
    </figure>
  );
}

/** The top of the axis, short: 1234.5 reads 1,234.5. */
const axisText = (v: number) => v.toLocaleString('en-GB', { maximumFractionDigits: 2 });
