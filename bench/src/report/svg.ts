import type { LatencyBin } from '../latency';

/** Text for XML and HTML: the five characters that could end an element or an attribute, escaped. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const WIDTH = 640;
const HEIGHT = 260;
const MARGIN = { top: 44, right: 16, bottom: 40, left: 64 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
export const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
];

const num = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

/** A value for an axis label: 3 significant digits, k for thousands. */
export function shortNumber(value: number): string {
  if (value >= 10_000) return `${num(Math.round(value / 100) / 10)}k`;
  if (value >= 100) return String(Math.round(value));
  if (value >= 1) return String(Math.round(value * 10) / 10);
  return String(Math.round(value * 1000) / 1000);
}

function frame(title: string, xLabel: string, yLabel: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top + PLOT_H}" x2="${MARGIN.left + PLOT_W}" y2="${MARGIN.top + PLOT_H}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" y1="${MARGIN.top}" x2="${MARGIN.left}" y2="${MARGIN.top + PLOT_H}" stroke="#333"/>`,
    `<text x="${MARGIN.left + PLOT_W / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text transform="translate(14 ${MARGIN.top + PLOT_H / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/** The smallest of 1, 2, 2.5, 5 × 10^k at or above `max`: an axis top whose quarters are round numbers. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const scale = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * scale >= max) return m * scale;
  return 10 * scale;
}

function yTicks(max: number): string[] {
  const out: string[] = [];
  for (let i = 0; i <= 4; i++) {
    const value = (max * i) / 4;
    const y = MARGIN.top + PLOT_H - (PLOT_H * i) / 4;
    out.push(
      `<line x1="${MARGIN.left - 4}" y1="${y}" x2="${MARGIN.left + PLOT_W}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end">${shortNumber(value)}</text>`,
    );
  }
  return out;
}

/** Requests per latency bin, bins of equal width on a log scale (as `LatencyRecorder.bins` makes them). */
export function latencyHistogramSvg(title: string, bins: readonly LatencyBin[]): string {
  if (bins.length === 0) return frame(title, 'latency (ms, log scale)', 'requests', []);
  const max = niceMax(Math.max(1, ...bins.map((bin) => bin.count)));
  const barW = PLOT_W / bins.length;
  const bars = bins.map((bin, i) => {
    const h = (PLOT_H * bin.count) / max;
    const x = MARGIN.left + i * barW;
    return `<rect x="${x.toFixed(1)}" y="${(MARGIN.top + PLOT_H - h).toFixed(1)}" width="${Math.max(1, barW - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${PALETTE[0]}"><title>${bin.fromMs}–${bin.toMs} ms: ${bin.count}</title></rect>`;
  });
  const labels: string[] = [];
  const step = Math.max(1, Math.ceil(bins.length / 6));
  for (let i = 0; i <= bins.length; i += step) {
    const ms = i < bins.length ? (bins[i]?.fromMs ?? 0) : (bins[bins.length - 1]?.toMs ?? 0);
    const x = MARGIN.left + i * barW;
    labels.push(
      `<line x1="${x.toFixed(1)}" y1="${MARGIN.top + PLOT_H}" x2="${x.toFixed(1)}" y2="${MARGIN.top + PLOT_H + 4}" stroke="#333"/>`,
      `<text x="${x.toFixed(1)}" y="${MARGIN.top + PLOT_H + 16}" text-anchor="middle">${shortNumber(ms)}</text>`,
    );
  }
  return frame(title, 'latency (ms, log scale)', 'requests', [...yTicks(max), ...bars, ...labels]);
}

export interface Series {
  label: string;
  /** One value per second. */
  values: readonly number[];
}

/** Requests completed per second, one line per series, all from their own second 0. */
export function throughputSvg(title: string, series: readonly Series[]): string {
  const seconds = Math.max(1, ...series.map((s) => s.values.length));
  const max = niceMax(Math.max(1, ...series.flatMap((s) => s.values)));
  const x = (i: number) => MARGIN.left + (PLOT_W * (i + 0.5)) / seconds;
  const y = (v: number) => MARGIN.top + PLOT_H - (PLOT_H * v) / max;
  const lines = series.map((s, k) => {
    const color = PALETTE[k % PALETTE.length] ?? '#000';
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    return `<polyline fill="none" stroke="${color}" stroke-width="2" points="${points}"><title>${escapeXml(s.label)}</title></polyline>`;
  });
  // One row above the plot, so that no line runs under it.
  let lx = MARGIN.left;
  const legend = series.map((s, k) => {
    const item = `<rect x="${lx}" y="24" width="10" height="10" fill="${PALETTE[k % PALETTE.length] ?? '#000'}"/><text x="${lx + 14}" y="33">${escapeXml(s.label)}</text>`;
    lx += 24 + 6 * s.label.length;
    return item;
  });
  const ticks: string[] = [];
  const step = Math.max(1, Math.ceil(seconds / 10));
  for (let i = 0; i < seconds; i += step) {
    ticks.push(
      `<text x="${x(i).toFixed(1)}" y="${MARGIN.top + PLOT_H + 16}" text-anchor="middle">${i}</text>`,
    );
  }
  return frame(title, 'second of the phase', 'requests / s', [...yTicks(max), ...lines, ...legend, ...ticks]);
}

export interface XYSeries {
  label: string;
  /** [x, y] pairs, in x order. */
  points: readonly (readonly [number, number])[];
}

/**
 * Lines over a numeric x axis (seconds, say), one per series, with the legend wrapped in rows above the
 * plot and, if given, a shaded band over `band` (the measured part of a phase). Series past the palette
 * are dashed.
 */
export function lineChartSvg(
  title: string,
  xLabel: string,
  yLabel: string,
  series: readonly XYSeries[],
  options: { band?: readonly [number, number] } = {},
): string {
  // The legend first: its rows decide how far down the plot starts.
  const legend: string[] = [];
  let lx = MARGIN.left;
  let row = 0;
  series.forEach((s, k) => {
    const width = 24 + 6 * s.label.length;
    if (lx + width > WIDTH - MARGIN.right && lx > MARGIN.left) {
      row++;
      lx = MARGIN.left;
    }
    const y = 24 + 14 * row;
    const color = PALETTE[k % PALETTE.length] ?? '#000';
    legend.push(
      `<rect x="${lx}" y="${y}" width="10" height="10" fill="${color}"/><text x="${lx + 14}" y="${y + 9}">${escapeXml(s.label)}</text>`,
    );
    lx += width;
  });
  const top = MARGIN.top + 14 * row;
  const height = HEIGHT + 14 * row;
  const plotH = height - top - MARGIN.bottom;
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const xMax = niceMax(Math.max(1, ...xs));
  const yMax = niceMax(Math.max(0, ...series.flatMap((s) => s.points.map(([, y]) => y))));
  const px = (x: number) => MARGIN.left + (PLOT_W * Math.max(0, x)) / xMax;
  const py = (y: number) => top + plotH - (plotH * y) / yMax;
  const body: string[] = [];
  if (options.band) {
    const [from, to] = options.band;
    body.push(
      `<rect x="${px(from).toFixed(1)}" y="${top}" width="${Math.max(0, px(to) - px(from)).toFixed(1)}" height="${plotH}" fill="#f0f0f0"><title>measured</title></rect>`,
    );
  }
  for (let i = 0; i <= 4; i++) {
    const value = (yMax * i) / 4;
    const y = top + plotH - (plotH * i) / 4;
    body.push(
      `<line x1="${MARGIN.left - 4}" y1="${y}" x2="${MARGIN.left + PLOT_W}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end">${shortNumber(value)}</text>`,
    );
    const x = MARGIN.left + (PLOT_W * i) / 4;
    body.push(
      `<line x1="${x}" y1="${top + plotH}" x2="${x}" y2="${top + plotH + 4}" stroke="#333"/>`,
      `<text x="${x}" y="${top + plotH + 16}" text-anchor="middle">${shortNumber((xMax * i) / 4)}</text>`,
    );
  }
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length] ?? '#000';
    const dash = k >= PALETTE.length ? ' stroke-dasharray="6 3"' : '';
    const points = s.points.map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    body.push(
      `<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${points}"><title>${escapeXml(s.label)}</title></polyline>`,
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${WIDTH}" height="${height}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${escapeXml(title)}</text>`,
    ...body,
    `<line x1="${MARGIN.left}" y1="${top + plotH}" x2="${MARGIN.left + PLOT_W}" y2="${top + plotH}" stroke="#333"/>`,
    `<line x1="${MARGIN.left}" y1="${top}" x2="${MARGIN.left}" y2="${top + plotH}" stroke="#333"/>`,
    `<text x="${MARGIN.left + PLOT_W / 2}" y="${height - 6}" text-anchor="middle">${escapeXml(xLabel)}</text>`,
    `<text transform="translate(14 ${top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(yLabel)}</text>`,
    ...legend,
    '</svg>',
  ].join('\n');
}
