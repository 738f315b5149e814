// Renders a replay ("dry run") result for product owners. The report's fields are the ones its JSON Schema documents
// (GET /v1/schemas/replay-report, src/main/resources/schemas/replay-report.schema.json; docs/replay.md explains them);
// readReport reads exactly those, and a unit test checks every path it reads against the schema.
import { chartModel, drawChart } from './chart.js';

const pct = (x, digits = 1) => (Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '–');
const signedPts = (x, digits = 2) => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(digits)} points` : '–');
/** A documented number; null (the report's "no data") and anything else become NaN. */
const num = (x) => (typeof x === 'number' ? x : NaN);

/** Support below this share of the draft's choices seen in the logs makes the estimate untrustworthy (the report warns below it too). */
const MIN_COVERAGE = 0.95;
const MIN_ESS = 100;
/**
 * The estimator whose click rate is shown: the report's verdict (the estimator whose assumptions hold for this log
 * and this change, issue 19); without a verdict (an older report), first present wins (names as the schema's
 * estimatorName). dm (reward model only) is never the headline.
 */
export const ESTIMATOR_PREFERENCE = ['snips', 'dr', 'switch_dr', 'ips', 'rips'];

/** The figures the dry run shows, read from a replay report. */
export function readReport(report) {
  const ranking = report.rankingChanges;
  const candidate = report.offPolicy.candidate;
  const estimates = candidate.estimates;
  const verdict = report.verdict ?? null;
  const estimator = verdict
    ? (verdict.estimator && estimates[verdict.estimator] && Number.isFinite(num(estimates[verdict.estimator].value)) ? verdict.estimator : null)
    : ESTIMATOR_PREFERENCE.find((n) => estimates[n] && Number.isFinite(num(estimates[n].value))) ?? null;
  const est = estimator ? estimates[estimator] : null;
  const change = estimator ? report.offPolicy.change[estimator] ?? null : null;
  const loggedEst = estimator ? report.offPolicy.logged.estimates[estimator] ?? null : null;
  const exposure = {};
  for (const [attribute, rows] of Object.entries(ranking.exposureShift)) {
    exposure[attribute] = rows.map((r) => ({ value: r.value, logged: num(r.loggedShare), draft: num(r.candidateShare), shift: num(r.shift) }));
  }
  return {
    shareChanged: num(ranking.shareChanged),
    lists: num(ranking.lists),
    listsChanged: num(ranking.listsChanged),
    estimator,
    estimate: est ? { value: num(est.value), lo: num(est.ci95[0]), hi: num(est.ci95[1]) } : null,
    logged: change ? num(change.logged) : NaN,
    loggedEstimate: loggedEst ? { value: num(loggedEst.value), lo: num(loggedEst.ci95[0]), hi: num(loggedEst.ci95[1]) } : null,
    difference: change && change.differenceCi95 ? { lo: num(change.differenceCi95[0]), hi: num(change.differenceCi95[1]) } : null,
    why: verdict && typeof verdict.reason === 'string' ? verdict.reason : null,
    excluded: verdict ? verdict.excluded.map((e) => ({ estimator: e.estimator, why: e.why })) : [],
    coverage: num(candidate.supportCoverage),
    ess: num(candidate.ess),
    warnings: report.warnings,
    exposure,
  };
}

/**
 * The rows of the dry run's charts: the click rate today (the logged policy, judged by the same estimator) and with
 * the draft, each with its 95% interval; and the change with its paired interval when the report has one.
 */
export function chartRows(r) {
  const rates = [];
  if (r.loggedEstimate) rates.push({ label: 'Today', series: 1, ...r.loggedEstimate });
  if (r.estimate) rates.push({ label: 'With your draft', series: 0, ...r.estimate });
  const change = r.estimate && r.difference && Number.isFinite(r.logged)
    ? [{ label: 'Change', series: 0, value: r.estimate.value - r.logged, lo: r.difference.lo, hi: r.difference.hi }] : [];
  return { rates, change };
}

/** report: a replay report; el: makes HTML elements; svg: makes SVG elements (createElementNS), el's signature. */
export function renderDryRun(report, el, svg = el) {
  const r = readReport(report);
  const box = el('div', { class: 'dry' });

  // 1. share of lists changed
  box.append(el('div', { class: 'stat' }, el('span', { class: 'big' }, pct(r.shareChanged, 0)),
    el('span', {}, ` of the recent lists would look different with your draft`
      + (Number.isFinite(r.lists) ? ` (${Number.isFinite(r.listsChanged) ? `${r.listsChanged} of ` : ''}${r.lists} lists replayed).` : '.'))));

  // 2. estimated CTR change with its interval
  const lowSupport = (Number.isFinite(r.coverage) && r.coverage < MIN_COVERAGE) || (Number.isFinite(r.ess) && r.ess < MIN_ESS) || !r.estimate;
  if (r.estimate) {
    const { value: v, lo, hi } = r.estimate;
    const hasBase = Number.isFinite(r.logged);
    const d = hasBase ? v - r.logged : NaN;
    // The change's own interval (paired: both policies judged on the same logged requests) is much narrower than
    // the draft's click-rate interval; the latter is shown when the report has no difference interval.
    const dlo = r.difference ? r.difference.lo : NaN, dhi = r.difference ? r.difference.hi : NaN;
    const hasDiffCi = hasBase && Number.isFinite(dlo) && Number.isFinite(dhi);
    let verdict = '';
    if (hasDiffCi) {
      verdict = dlo <= 0 && dhi >= 0 ? 'The range includes no change: the data cannot tell whether clicks go up or down.'
        : dlo > 0 ? 'Clicks are likely to go up.' : 'Clicks are likely to go down.';
    } else if (Number.isFinite(lo) && Number.isFinite(hi) && hasBase && lo <= r.logged && r.logged <= hi) {
      verdict = 'The range includes today’s click rate: the data cannot tell whether clicks go up or down.';
    }
    box.append(el('div', { class: 'stat' },
      el('span', { class: 'big' }, hasBase ? signedPts(d) : pct(v, 2)),
      el('span', {}, !hasBase
        ? ` estimated click rate per shown item with your draft (95% sure between ${pct(lo, 2)} and ${pct(hi, 2)}).`
        : hasDiffCi
          ? ` estimated change in click rate per shown item (now ${pct(r.logged, 2)}, with your draft about ${pct(v, 2)}; `
            + `95% sure the change is between ${signedPts(dlo)} and ${signedPts(dhi)}).`
          : ` estimated change in click rate per shown item (now ${pct(r.logged, 2)}, with your draft about ${pct(v, 2)}; `
            + `95% sure the draft's click rate is between ${pct(lo, 2)} and ${pct(hi, 2)}).`)),
    el('p', { class: 'hint' }, `Estimated from logged clicks without showing the draft to anyone (method: ${r.estimator}). ${verdict}`
      + (r.why ? ` Why this method: ${r.why}.` : '')));
    const { rates, change } = chartRows(r);
    box.append(el('figure', { class: 'chart' },
      drawChart(chartModel(rates), svg, 'Click rate per shown item: today and with your draft, with 95% intervals', (x) => pct(x, 2)),
      change.length ? drawChart(chartModel(change, 0), svg, 'Change in click rate per shown item, with its 95% interval',
        (x) => signedPts(x, 2).replace(' points', ' pts'), (x) => (x === 0 ? '0' : signedPts(x, 2).replace(' points', ''))) : null,
      el('figcaption', { class: 'hint' }, 'Dots are estimates, bars the range they are 95% sure to be in. '
        + (change.length ? 'A change whose bar crosses the dashed zero line could go either way.' : ''))));
  }
  if (lowSupport) {
    box.append(el('div', { class: 'warning', role: 'alert' },
      el('strong', {}, 'Warning: not enough data to trust the click estimate. '),
      r.estimate ? `Your draft would show items in places the logged traffic rarely or never tried${Number.isFinite(r.coverage) ? ` (only ${pct(r.coverage, 0)} of what it would show was ever shown that way)` : ''}${Number.isFinite(r.ess) ? `; the estimate rests on about ${Math.round(r.ess)} effective requests` : ''}. Use the ranking changes above, or test with a small share of real traffic.`
        : r.excluded.length ? 'No method of estimating clicks holds for this draft on the logged traffic.'
          : 'No click estimate could be made from the logged traffic.'));
  }
  if (r.excluded.length) {
    box.append(el('details', {}, el('summary', {}, `Methods left out for this draft (${r.excluded.length})`),
      el('ul', {}, r.excluded.map((x) => el('li', {}, `${x.estimator}: ${x.why}`)))));
  }
  if (r.warnings.length) {
    box.append(el('details', {}, el('summary', {}, `Technical notes from the replay (${r.warnings.length})`),
      el('ul', {}, r.warnings.map((w) => el('li', {}, w)))));
  }

  // 3. exposure shift by category and brand
  for (const [attr, rows] of Object.entries(r.exposure)) {
    if (!rows.length) continue;
    const max = Math.max(...rows.map((x) => Math.abs(x.shift) || 0), 1e-9);
    box.append(el('h3', {}, `Who gets more or less attention, by ${attr}`),
      el('table', { class: 'shift' },
        el('thead', {}, el('tr', {}, ['', 'Share of attention now', 'With your draft', 'Change', ''].map((t) => el('th', { scope: 'col' }, t)))),
        el('tbody', {}, rows.slice(0, 10).map((x) => el('tr', {},
          el('th', { scope: 'row' }, String(x.value)),
          el('td', {}, pct(x.logged)), el('td', {}, pct(x.draft)),
          el('td', { class: x.shift > 0 ? 'up' : x.shift < 0 ? 'down' : '' }, signedPts(x.shift, 1)),
          el('td', { class: 'barcell', 'aria-hidden': 'true' }, el('span', { class: `bar ${x.shift >= 0 ? 'up' : 'down'}`, style: `width:${Math.round(Math.abs(x.shift) / max * 100)}%` })))))),
      el('p', { class: 'hint' }, 'Attention counts higher positions more (an item at the top is seen far more often than one at position 10).'));
  }
  box.append(el('details', {}, el('summary', {}, 'All figures (for analysts)'), el('pre', { class: 'json' }, JSON.stringify(report, null, 2))));
  return box;
}
