// Renders a replay ("dry run") result for product owners. The replay report is written by another component;
// every field is looked up defensively and whatever is present is shown (the full report stays available).

const pct = (x, digits = 1) => (Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '–');
const signedPts = (x, digits = 2) => (Number.isFinite(x) ? `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(digits)} points` : '–');
const num = (x) => (typeof x === 'number' ? x : typeof x === 'string' && x !== '' && !Number.isNaN(Number(x)) ? Number(x) : NaN);
const pick = (o, ...keys) => { for (const k of keys) if (o && o[k] !== undefined && o[k] !== null) return o[k]; return undefined; };

/** Support below this share of the draft's choices seen in the logs makes the estimate untrustworthy. */
const MIN_COVERAGE = 0.95; // the replay report's own threshold
const MIN_ESS = 100;
const ESTIMATOR_ORDER = ['snips', 'dr', 'switch-dr', 'switch_dr', 'switchdr', 'ips', 'list', 'pbm', 'pi'];

export function renderDryRun(result, el) {
  const ranking = pick(result, 'ranking', 'rankingChanges', 'changes') || result;
  const opeAll = pick(result, 'offPolicy', 'ope', 'offpolicy') || {};
  // The replay report has {candidate: {estimates, ess, supportCoverage, warnings}, logged: {...}, change: {...}}.
  const ope = pick(opeAll, 'candidate') || opeAll;
  const change = pick(opeAll, 'change') || {};
  const box = el('div', { class: 'dry' });

  // 1. share of lists changed
  const share = num(pick(ranking, 'shareChanged', 'listsChangedShare', 'changedShare', 'shareOfListsChanged'));
  const lists = num(pick(ranking, 'lists', 'impressions', 'replayed') ?? pick(result.input || {}, 'impressionsReplayed'));
  const changedLists = num(pick(ranking, 'listsChanged', 'changed'));
  box.append(el('div', { class: 'stat' }, el('span', { class: 'big' }, pct(share, 0)),
    el('span', {}, ` of the recent lists would look different with your draft`
      + (Number.isFinite(lists) ? ` (${Number.isFinite(changedLists) ? `${changedLists} of ` : ''}${lists} lists replayed).` : '.'))));

  // 2. estimated CTR change with its interval
  const estimates = pick(ope, 'estimates') || (ope && typeof ope === 'object' && !Array.isArray(ope) ? ope : {});
  const names = Object.keys(estimates || {});
  const best = ESTIMATOR_ORDER.map((n) => names.find((k) => k.toLowerCase() === n)).find(Boolean)
    || names.find((k) => estimates[k] && typeof estimates[k] === 'object' && 'value' in estimates[k]);
  const est = best ? estimates[best] : null;
  const loggedEst = best && opeAll.logged && opeAll.logged.estimates ? opeAll.logged.estimates[best] : null;
  const loggedValue = pick(ope, 'loggedValue', 'baseline');
  const logged = num(pick(change[best] || {}, 'logged') ?? (loggedEst && loggedEst.value)
    ?? (loggedValue && typeof loggedValue === 'object' ? loggedValue.value : loggedValue));
  // The report's own list already repeats the estimator's warnings ("candidate: ..."); fall back to those alone.
  const warnings = [...new Set([].concat(pick(result, 'warnings') || pick(ope, 'warnings') || []))].filter((w) => typeof w === 'string');
  const coverage = num(pick(ope, 'supportCoverage', 'coverage', 'support'));
  const ess = num(pick(ope, 'ess', 'effectiveSampleSize'));
  const lowSupport = (Number.isFinite(coverage) && coverage < MIN_COVERAGE) || (Number.isFinite(ess) && ess < MIN_ESS)
    || pick(result, 'supportWarning', 'lowSupport') === true || (!est && Number.isFinite(lists));
  if (est) {
    const ci = Array.isArray(est.ci95) ? est.ci95 : [];
    const v = num(est.value), lo = num(ci[0] ?? est.lo ?? est.low), hi = num(ci[1] ?? est.hi ?? est.high);
    const hasBase = Number.isFinite(logged);
    const d = hasBase ? v - logged : NaN;
    // The change's own interval (paired: both policies judged on the same logged requests) is much narrower than
    // the draft's click-rate interval; fall back to the latter when the report has no difference interval.
    const diffCi = (change[best] || {}).differenceCi95;
    const dlo = Array.isArray(diffCi) ? num(diffCi[0]) : NaN, dhi = Array.isArray(diffCi) ? num(diffCi[1]) : NaN;
    const hasDiffCi = hasBase && Number.isFinite(dlo) && Number.isFinite(dhi);
    let verdict = '';
    if (hasDiffCi) {
      verdict = dlo <= 0 && dhi >= 0 ? 'The range includes no change: the data cannot tell whether clicks go up or down.'
        : dlo > 0 ? 'Clicks are likely to go up.' : 'Clicks are likely to go down.';
    } else if (Number.isFinite(lo) && Number.isFinite(hi) && hasBase && lo <= logged && logged <= hi) {
      verdict = 'The range includes today’s click rate: the data cannot tell whether clicks go up or down.';
    }
    box.append(el('div', { class: 'stat' },
      el('span', { class: 'big' }, hasBase ? signedPts(d) : pct(v, 2)),
      el('span', {}, !hasBase
        ? ` estimated click rate per shown item with your draft (95% sure between ${pct(lo, 2)} and ${pct(hi, 2)}).`
        : hasDiffCi
          ? ` estimated change in click rate per shown item (now ${pct(logged, 2)}, with your draft about ${pct(v, 2)}; `
            + `95% sure the change is between ${signedPts(dlo)} and ${signedPts(dhi)}).`
          : ` estimated change in click rate per shown item (now ${pct(logged, 2)}, with your draft about ${pct(v, 2)}; `
            + `95% sure the draft's click rate is between ${pct(lo, 2)} and ${pct(hi, 2)}).`)),
    el('p', { class: 'hint' }, `Estimated from logged clicks without showing the draft to anyone (method: ${best}). ${verdict}`));
  }
  if (lowSupport) {
    box.append(el('div', { class: 'warning', role: 'alert' },
      el('strong', {}, 'Warning: not enough data to trust the click estimate. '),
      est ? `Your draft would show items in places the logged traffic rarely or never tried${Number.isFinite(coverage) ? ` (only ${pct(coverage, 0)} of what it would show was ever shown that way)` : ''}${Number.isFinite(ess) ? `; the estimate rests on about ${Math.round(ess)} effective requests` : ''}. Use the ranking changes above, or test with a small share of real traffic.`
        : 'No click estimate could be made from the logged traffic.'));
  }
  if (warnings.length) {
    box.append(el('details', {}, el('summary', {}, `Technical notes from the replay (${warnings.length})`),
      el('ul', {}, warnings.map((w) => el('li', {}, w)))));
  }

  // 3. exposure shift by category and brand
  const shift = pick(ranking, 'exposureShift', 'exposure') || {};
  for (const attr of Object.keys(shift)) {
    const rows = Array.isArray(shift[attr]) ? shift[attr] : Object.entries(shift[attr] || {}).map(([value, s]) => ({ value, shift: num(s) }));
    if (!rows.length) continue;
    const max = Math.max(...rows.map((r) => Math.abs(num(r.shift)) || 0), 1e-9);
    box.append(el('h3', {}, `Who gets more or less attention, by ${attr}`),
      el('table', { class: 'shift' },
        el('thead', {}, el('tr', {}, ['', 'Share of attention now', 'With your draft', 'Change', ''].map((t) => el('th', { scope: 'col' }, t)))),
        el('tbody', {}, rows.slice(0, 10).map((r) => {
          const s = num(r.shift);
          return el('tr', {},
            el('th', { scope: 'row' }, String(r.value)),
            el('td', {}, pct(num(r.loggedShare))), el('td', {}, pct(num(r.candidateShare))),
            el('td', { class: s > 0 ? 'up' : s < 0 ? 'down' : '' }, signedPts(s, 1)),
            el('td', { class: 'barcell', 'aria-hidden': 'true' }, el('span', { class: `bar ${s >= 0 ? 'up' : 'down'}`, style: `width:${Math.round(Math.abs(s) / max * 100)}%` })));
        }))),
      el('p', { class: 'hint' }, 'Attention counts higher positions more (an item at the top is seen far more often than one at position 10).'));
  }
  box.append(el('details', {}, el('summary', {}, 'All figures (for analysts)'), el('pre', { class: 'json' }, JSON.stringify(result, null, 2))));
  return box;
}
