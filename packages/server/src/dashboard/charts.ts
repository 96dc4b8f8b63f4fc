/**
 * @module Server-rendered charts: a stacked bar per time bucket as inline SVG (colours as presentation
 * attributes, which the dashboard's CSP allows, unlike `style=""`), a `<title>`/`<desc>` and
 * `role="img"` for screen readers, a legend with totals, and the numbers again as a table.
 */
import { html, type SafeHtml } from '../pages/html.ts';

export interface ChartSeries {
  readonly label: string;
  readonly values: readonly number[];
  readonly color: string;
}

export interface StackedBarChart {
  /** Unique on the page: ids of the title and description derive from it. */
  readonly id: string;
  readonly title: string;
  /** What one unit is, for the bar tooltips and the description ("executions", "errors"). */
  readonly unit: string;
  readonly buckets: readonly Date[];
  readonly bucketSeconds: number;
  readonly series: readonly ChartSeries[];
}

/** Colours distinguishable in light and dark mode (and for the common colour-vision deficiencies). */
export const PALETTE = ['#2f6fde', '#e07b00', '#15976d', '#c2378b', '#7a5cd6', '#8a6d00', '#0f8fa8', '#b23a3a'] as const;
export const OTHER_COLOR = '#8b919c';

const WIDTH = 720;
const HEIGHT = 240;
const LEFT = 44;
const RIGHT = 8;
const TOP = 12;
const BOTTOM = 34;

/** A round upper bound for the axis: 1, 2, 5, 10, 20, 50, ... */
function niceMax(value: number): number {
  if (value <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

/** Axis labels in UTC: times within a day, dates beyond. */
export function bucketLabel(at: Date, bucketSeconds: number): string {
  const iso = at.toISOString();
  return bucketSeconds < 86_400 ? iso.slice(11, 16) : iso.slice(5, 10);
}

export function stackedBarChart(chart: StackedBarChart): SafeHtml {
  const n = chart.buckets.length;
  const totals = chart.buckets.map((_, i) => chart.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const grand = totals.reduce((a, b) => a + b, 0);
  const max = niceMax(Math.max(0, ...totals));
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const slot = plotW / Math.max(1, n);
  const barW = Math.max(1, slot * 0.72);
  const y = (v: number) => TOP + plotH - (v / max) * plotH;
  const fmt = (v: number) => Math.round(v * 100) / 100;
  const labelEvery = Math.max(1, Math.ceil(n / 8));
  const first = chart.buckets[0];
  const last = chart.buckets[n - 1];
  const span = first === undefined || last === undefined ? '' : ` from ${first.toISOString().slice(0, 16).replace('T', ' ')} to ${new Date(last.getTime() + chart.bucketSeconds * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const description = `${counted(grand, chart.unit)}${span}: ${chart.series.map((s) => `${s.label} ${s.values.reduce((a, b) => a + b, 0)}`).join(', ') || 'none'}.`;

  const bars = chart.buckets.map((bucket, i) => {
    let base = 0;
    const x = fmt(LEFT + i * slot + (slot - barW) / 2);
    return chart.series.map((s) => {
      const value = s.values[i] ?? 0;
      if (value === 0) return html``;
      const top = y(base + value);
      const height = y(base) - top;
      base += value;
      return html`<rect class="bar" data-series="${s.label}" x="${x}" y="${fmt(top)}" width="${fmt(barW)}" height="${fmt(Math.max(height, 0.5))}" fill="${s.color}"><title>${s.label}: ${counted(value, chart.unit)}, ${bucketLabel(bucket, chart.bucketSeconds)}</title></rect>`;
    });
  });
  const ticks = [0, max / 2, max].map((v) => html`<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${fmt(y(v))}" y2="${fmt(y(v))}" stroke="currentColor" stroke-opacity="0.2"/><text x="${LEFT - 6}" y="${fmt(y(v) + 4)}" text-anchor="end">${fmt(v)}</text>`);
  const labels = chart.buckets.map((bucket, i) =>
    i % labelEvery === 0 ? html`<text x="${fmt(LEFT + i * slot + slot / 2)}" y="${HEIGHT - BOTTOM + 16}" text-anchor="middle">${bucketLabel(bucket, chart.bucketSeconds)}</text>` : html``,
  );
  return html`<figure class="chart" id="${chart.id}">
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-labelledby="${chart.id}-title" aria-describedby="${chart.id}-desc" xmlns="http://www.w3.org/2000/svg">
<title id="${chart.id}-title">${chart.title}</title>
<desc id="${chart.id}-desc">${description}</desc>
${ticks}
<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${TOP + plotH}" y2="${TOP + plotH}" stroke="currentColor" stroke-opacity="0.5"/>
${bars}
${labels}
${grand === 0 && html`<text x="${LEFT + plotW / 2}" y="${TOP + plotH / 2}" text-anchor="middle">No ${chart.unit} in this period</text>`}
</svg>
<figcaption><strong>${chart.title}</strong> <span class="muted">(UTC, one bar per ${bucketName(chart.bucketSeconds)})</span>
<ul class="legend">${chart.series.map((s) => html`<li><svg width="12" height="12" aria-hidden="true" focusable="false"><rect width="12" height="12" rx="2" fill="${s.color}"/></svg>${s.label} <span class="muted">${s.values.reduce((a, b) => a + b, 0)}</span></li>`)}</ul>
</figcaption>
<details>
<summary>${chart.title} as a table</summary>
<div class="table-wrap"><table>
<thead><tr><th scope="col">Period starting</th>${chart.series.map((s) => html`<th scope="col" class="num">${s.label}</th>`)}<th scope="col" class="num">Total</th></tr></thead>
<tbody>
${chart.buckets.map((bucket, i) => (totals[i] ?? 0) === 0 ? html`` : html`<tr><th scope="row">${bucket.toISOString().slice(0, 16).replace('T', ' ')}</th>${chart.series.map((s) => html`<td class="num">${s.values[i] ?? 0}</td>`)}<td class="num">${totals[i] ?? 0}</td></tr>`)}
</tbody>
</table></div>
</details>
</figure>`;
}

/** `1 execution`, `3 executions` (units are given in the plural). */
const counted = (n: number, unit: string) => `${n} ${n === 1 ? unit.replace(/s$/, '') : unit}`;

function bucketName(seconds: number): string {
  if (seconds % 86_400 === 0) return seconds === 86_400 ? 'day' : `${seconds / 86_400} days`;
  if (seconds % 3600 === 0) return seconds === 3600 ? 'hour' : `${seconds / 3600} hours`;
  return `${Math.round(seconds / 60)} minutes`;
}
