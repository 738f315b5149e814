// An interval chart (points with their 95% intervals) as SVG, built through a DOM factory (no markup strings, no
// inline script or style): the dry run draws "today vs your draft" and "the change" with it. chartModel is pure
// (numbers and pixel positions, unit-tested in node); drawChart turns it into elements with the given factory.

const WIDTH = 720;
const LABEL_W = 150;
const TEXT_W = 270;
const ROW_H = 30;
const TOP = 14;
const BOTTOM = 28;

/** 1, 2 or 5 times a power of ten, at least raw. */
export function niceStep(raw) {
  const p = 10 ** Math.floor(Math.log10(raw));
  const f = raw / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
}

/**
 * Positions for rows [{label, series, value, lo, hi}] (rows without a finite value are left out; a missing bound
 * draws the point alone) and an optional reference value drawn as a dashed line (0 for a change).
 */
export function chartModel(rows, reference = null) {
  const shown = rows.filter((r) => Number.isFinite(r.value));
  const xs = shown.flatMap((r) => [r.value, r.lo, r.hi]).filter(Number.isFinite);
  if (Number.isFinite(reference)) xs.push(reference);
  let lo = xs.length ? Math.min(...xs) : 0;
  let hi = xs.length ? Math.max(...xs) : 1;
  if (hi - lo < 1e-12) { const pad = Math.max(Math.abs(lo) * 0.05, 1e-6); lo -= pad; hi += pad; }
  const step = niceStep((hi - lo) / 4);
  const tlo = Math.floor(lo / step) * step;
  const thi = Math.ceil(hi / step) * step;
  const x = (v) => LABEL_W + ((v - tlo) / (thi - tlo)) * (WIDTH - TEXT_W - LABEL_W);
  const ticks = [];
  for (let t = tlo; t <= thi + step / 2; t += step) ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  const height = TOP + Math.max(1, shown.length) * ROW_H + BOTTOM;
  return {
    width: WIDTH,
    height,
    axisY: height - BOTTOM,
    ticks: ticks.map((t) => ({ value: t, x: x(t) })),
    refX: Number.isFinite(reference) ? x(reference) : null,
    rows: shown.map((r, i) => {
      const ci = Number.isFinite(r.lo) && Number.isFinite(r.hi);
      return { ...r, ci, y: TOP + i * ROW_H + ROW_H / 2, cx: x(r.value), x1: ci ? x(r.lo) : null, x2: ci ? x(r.hi) : null };
    }),
  };
}

const f1 = (v) => v.toFixed(1);
const data = (v) => (Number.isFinite(v) ? String(v) : '');

/** The chart as elements made by svg(tag, attrs, ...children) (createElementNS in the browser). */
export function drawChart(model, svg, title, fmt, tickFmt = fmt) {
  const parts = [svg('title', {}, title)];
  for (const t of model.ticks) {
    parts.push(svg('line', { class: 'grid', x1: f1(t.x), x2: f1(t.x), y1: 4, y2: model.axisY }),
      svg('text', { class: 'tick', x: f1(t.x), y: model.axisY + 18, 'text-anchor': 'middle' }, tickFmt(t.value)));
  }
  parts.push(svg('line', { class: 'axis', x1: LABEL_W, x2: model.width - TEXT_W, y1: model.axisY, y2: model.axisY }));
  if (model.refX !== null) parts.push(svg('line', { class: 'ref', x1: f1(model.refX), x2: f1(model.refX), y1: 4, y2: model.axisY }));
  for (const r of model.rows) {
    const s = `s${r.series}`;
    parts.push(svg('g', { class: 'row', 'data-label': r.label, 'data-value': data(r.value), 'data-lo': data(r.lo), 'data-hi': data(r.hi) },
      svg('text', { x: LABEL_W - 10, y: r.y + 4, 'text-anchor': 'end' }, r.label),
      r.ci ? svg('line', { class: `ci ${s}`, x1: f1(r.x1), x2: f1(r.x2), y1: r.y, y2: r.y }) : null,
      svg('circle', { class: s, cx: f1(r.cx), cy: r.y, r: 6 }),
      svg('text', { class: 'val', x: model.width - TEXT_W + 10, y: r.y + 4 }, fmt(r.value) + (r.ci ? ` (${fmt(r.lo)} to ${fmt(r.hi)})` : ''))));
  }
  return svg('svg', { class: 'chart', role: 'img', 'aria-label': title, viewBox: `0 0 ${model.width} ${model.height}`, width: model.width, height: model.height }, parts);
}
