/**
 * The frame both of the web's charts draw in (the Portal's usage bars, the Console's metric lines): an inline SVG
 * drawn on the server (the pages' Content-Security-Policy runs no chart script), labelled for assistive technology by
 * its title and a description that reads the figures, with its value axis from 0 to the top figure and its unit.
 */
import type { Child } from 'hono/jsx';

export const INK = '#1a1a1a';
export const DATA = '#0b57a4';

/** A chart's size and margins, and the plot area inside them. */
export interface Frame {
  width: number;
  height: number;
  left: number;
  top: number;
  bottom: number;
  right: number;
}

export const plotOf = (f: Frame) => ({ x: f.left, y: f.top, w: f.width - f.left - f.right, h: f.height - f.top - f.bottom });

/** The SVG with its title, description, axes and value labels; the data are its children. */
export function ChartSvg(props: { id: string; frame: Frame; title: string; desc: string; top: string; unit: string; children: Child }) {
  const { id, frame } = props;
  const p = plotOf(frame);
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${frame.width} ${frame.height}`}
      width="100%"
      role="img"
      aria-labelledby={`${id}-title ${id}-desc`}
      font-family="system-ui, sans-serif"
      font-size="11"
    >
      <title id={`${id}-title`}>{props.title}</title>
      <desc id={`${id}-desc`}>{props.desc}</desc>
      <line x1={p.x} y1={p.y} x2={p.x} y2={p.y + p.h} stroke={INK} />
      <line x1={p.x} y1={p.y + p.h} x2={p.x + p.w} y2={p.y + p.h} stroke={INK} />
      <text x={p.x - 6} y={p.y + 4} text-anchor="end" fill={INK}>
        {props.top}
      </text>
      <text x={p.x - 6} y={p.y + p.h} text-anchor="end" fill={INK}>
        0
      </text>
      <text x={4} y={p.y + p.h / 2} fill={INK}>
        {props.unit}
      </text>
      {props.children}
    </svg>
  );
}
