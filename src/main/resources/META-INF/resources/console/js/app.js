// The policy console: one page, one surface at a time. The draft is the YAML text; the forms are a view of it.
// The draft is saved in localStorage on every change, so a failed validation or a reload loses nothing.
import { api, ApiError, useToken } from './api.js';
import { useSchema, ruleTypes, ruleType, newRule, fieldsFor, operatorWords, operatorShape, limitProblem, simpleCondition, conditionFrom, listOf, scalar, describeRule,
  describeCondition, describeDiffLine, ACTION_WORDS, plainError, COMBINE_WORDS, conditionKind, newCheck, getAt, setAt,
  removeAt, addTo, wrapAt, unwrapAt, switchGroup, isoToLocalInput, localInputToIso, describeActive, withKey } from './rules.js';
import { lineDiff } from './diff.js';
import * as jsyaml from '../vendor/js-yaml.mjs';
import { renderDryRun } from './dryrun.js';
import { patchRuleField, patchTopLevel, replaceRule, documentText, floatSpellings, ruleTexts } from './patch.js';

const $ = (id) => document.getElementById(id);
const YAML_OPTS = { schema: jsyaml.CORE_SCHEMA };
const AUTH_KEY = 'ranker.console.auth';
const draftKey = (surface) => `ranker.console.draft.${surface}`;

const S = {
  surfaces: [],
  surface: null,
  live: null,          // {version: PolicyVersion, source}
  liveDoc: null,
  yaml: '',
  doc: null,
  parseError: null,
  validation: { state: 'idle', errors: [], yaml: null, version: null },
  floats: new Map(),   // rule id -> "key=N" spelled N.0 in a text loaded or typed this session (see patch.js)
  auth: loadAuth(),
  recent: [],
};

// ---------- small DOM helpers ----------
function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'value') { if (v !== undefined && v !== null) e.value = String(v); continue; }
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'style') e.style.cssText = v; // CSSOM, not a style attribute: allowed by the page's Content-Security-Policy
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (v === true) e.setAttribute(k, '');
    else e.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
/** el for SVG elements (the dry run's charts): same signature, attributes only, in the SVG namespace. */
function svgEl(tag, attrs = {}, ...children) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null && v !== false) e.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}
const fmtTime = (iso) => { if (!iso) return ''; const d = new Date(iso); return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }); };
function ago(iso) {
  const s = (Date.now() - new Date(iso).getTime()) / 1000;
  if (!Number.isFinite(s)) return '';
  if (s < 90) return 'just now';
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  if (s < 36 * 3600) return `${Math.round(s / 3600)} h ago`;
  return fmtTime(iso);
}
function say(target, text, kind = 'info') {
  const t = typeof target === 'string' ? $(target) : target;
  t.replaceChildren();
  if (text) t.append(el('p', { class: `msg ${kind}` }, text));
}
function problemText(e) {
  if (!(e instanceof ApiError)) return String(e && e.message || e);
  if (e.status === 401 && !S.auth) return 'Sign in first: trying rules on requests and traffic needs the admin key.';
  const list = e.errors.map((x) => (x.line ? `Line ${x.line}: ` : '') + x.message);
  return [e.message, ...list].join(' — ');
}

// ---------- sign in ----------
function loadAuth() {
  let auth = null;
  try { auth = JSON.parse(sessionStorage.getItem(AUTH_KEY)) || null; } catch { auth = null; }
  useToken(auth && auth.token);
  return auth;
}
function renderAccount() {
  const a = S.auth;
  $('account-state').textContent = a ? `Signed in as ${a.name}: you can publish and undo changes.` : 'Read-only: sign in to publish or undo changes.';
  $('sign-in-open').hidden = !!a;
  $('sign-out').hidden = !a;
  updatePublishState();
  renderHistoryButtons();
}
function wireSignIn() {
  $('sign-in-open').addEventListener('click', () => { $('sign-in').hidden = false; $('sign-in-name').focus(); });
  $('sign-in-cancel').addEventListener('click', () => { $('sign-in').hidden = true; $('sign-in-open').focus(); });
  $('sign-in').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const auth = { name: $('sign-in-name').value.trim(), token: $('sign-in-token').value.trim() };
    // Check the token now, so a wrong one is found here and not at the first publish with a draft in hand.
    say('sign-in-status', 'Checking the token…');
    try {
      await api.checkToken(auth.token);
    } catch (e) {
      const text = e instanceof ApiError && e.status === 401 && !auth.token ? 'This server needs an admin key: enter it to sign in.'
        : e instanceof ApiError && e.status === 401 ? 'That admin token was not accepted. Check it and try again.'
        : e instanceof ApiError && e.status === 403 ? `This key cannot publish here: ${problemText(e)}`
          : problemText(e);
      say('sign-in-status', text, 'error');
      $('sign-in-token').select();
      $('sign-in-token').focus();
      return;
    }
    say('sign-in-status', '');
    S.auth = auth;
    useToken(auth.token);
    sessionStorage.setItem(AUTH_KEY, JSON.stringify(S.auth));
    $('sign-in-token').value = '';
    $('sign-in').hidden = true;
    renderAccount();
    if (S.surface) loadRecent(); // recent requests need the key
    $('sign-out').focus();
  });
  $('sign-out').addEventListener('click', () => signOut());
}
function signOut(reason) {
  S.auth = null;
  useToken(null);
  sessionStorage.removeItem(AUTH_KEY);
  renderAccount();
  if (reason) say('publish-status', reason, 'error');
}

// ---------- catalog attributes, offered while typing a rule ----------
async function loadAttributes() {
  try {
    const names = await api.attributes();
    $('known-attributes').replaceChildren(...names.map((n) => el('option', { value: n })));
  } catch {
    // only a typing aid: validation still names unknown attributes
  }
}

// ---------- surfaces ----------
async function loadSurfaces() {
  const box = $('surface-list');
  try {
    S.surfaces = await api.surfaces();
  } catch (e) {
    say(box, `Cannot load the surfaces: ${problemText(e)}`, 'error');
    return;
  }
  if (!S.surfaces.length) { say(box, 'No surface has rules yet.', 'info'); return; }
  const lives = await Promise.all(S.surfaces.map((s) => api.live(s.surface).catch(() => null)));
  box.replaceChildren(...S.surfaces.map((s, i) => surfaceCard(s, lives[i])));
}
function surfaceCard(s, live) {
  const v = s.live || {};
  let doc = null;
  try { doc = live && live.source ? jsyaml.load(live.source, YAML_OPTS) : null; } catch { doc = null; }
  const rules = doc && Array.isArray(doc.rules) ? doc.rules : [];
  const fileBad = s.file && s.file.errors && s.file.errors.length;
  return el('article', { class: `card${s.surface === S.surface ? ' current' : ''}`, 'aria-labelledby': `card-${s.surface}` },
    el('h3', { id: `card-${s.surface}` }, s.surface),
    doc && doc.description ? el('p', {}, doc.description) : null,
    el('p', { class: 'meta' }, `Live version ${v.version} · ${v.ruleCount} rules · by ${v.author || 'unknown'} · ${fmtTime(v.publishedAt)}`),
    v.comment ? el('p', { class: 'meta' }, `“${v.comment}”`) : null,
    fileBad ? el('p', { class: 'msg warn' }, `The rule file in ranking-config has ${s.file.errors.length} problem(s) and was not used.`) : null,
    el('details', {}, el('summary', {}, 'What the live rules do'),
      el('ol', { class: 'plain' }, rules.map((r) => el('li', {}, describeRule(r, fmtTime))))),
    el('button', { type: 'button', class: s.surface === S.surface ? '' : 'primary', onclick: () => { selectSurface(s.surface); $('edit-h').focus(); } },
      s.surface === S.surface ? `Editing ${s.surface}` : `Edit ${s.surface} rules`));
}

async function selectSurface(surface) {
  S.surface = surface;
  localStorage.setItem('ranker.console.surface', surface);
  $('edit-surface').textContent = surface;
  document.title = `${surface} · Ranker policy console`;
  try {
    S.live = await api.live(surface);
  } catch (e) {
    say('validity', `Cannot load the live rules: ${problemText(e)}`, 'error');
    return;
  }
  try { S.liveDoc = jsyaml.load(S.live.source, YAML_OPTS); } catch { S.liveDoc = null; }
  let draft = null;
  try { draft = JSON.parse(localStorage.getItem(draftKey(surface))); } catch { draft = null; }
  const note = $('draft-note');
  if (draft && typeof draft.yaml === 'string' && draft.yaml !== S.live.source) {
    note.hidden = false;
    note.replaceChildren(el('p', {}, `Your unpublished changes from ${fmtTime(draft.savedAt)} were restored.`
      + (draft.base && draft.base !== S.live.version.version ? ` Careful: the live rules changed since (${draft.base} → ${S.live.version.version}).` : '')));
    setYaml(draft.yaml, 'load');
  } else {
    note.hidden = true;
    setYaml(S.live.source, 'load');
  }
  renderSurfaceCards();
  loadRecent();
  loadHistory();
  say('preview-status', '');
  $('preview-result').replaceChildren();
  $('dry-result').replaceChildren();
  say('dry-status', '');
}
function renderSurfaceCards() {
  // Cheap re-render of the "current" marks without reloading.
  document.querySelectorAll('#surface-list .card').forEach((c) => {
    const name = c.querySelector('h3').textContent;
    c.classList.toggle('current', name === S.surface);
    const b = c.querySelector('button');
    b.textContent = name === S.surface ? `Editing ${name}` : `Edit ${name} rules`;
    b.className = name === S.surface ? '' : 'primary';
  });
}

// ---------- the draft ----------
function setYaml(text, origin) {
  S.yaml = text;
  if (origin !== 'yaml') $('yaml').value = text;
  if (origin !== 'load') saveDraft();
  try {
    S.doc = jsyaml.load(text, YAML_OPTS);
    S.parseError = null;
    rememberFloats(text);
  } catch (e) {
    S.doc = null;
    S.parseError = { line: e.mark ? e.mark.line + 1 : null, column: e.mark ? e.mark.column + 1 : null, message: e.reason || e.message };
  }
  if (origin !== 'forms') renderForms();
  renderGutter();
  renderChanges();
  scheduleValidate();
}
/**
 * The parser hashes 3.0 and 3 differently; JavaScript numbers cannot tell them apart. What each rule spelled as a
 * float is remembered, so that the forms write it back alike, even after the value was cleared and typed again.
 */
function rememberFloats(text) {
  if (!S.doc || !Array.isArray(S.doc.rules)) return;
  ruleTexts(text).forEach((t, i) => {
    const id = S.doc.rules[i] && S.doc.rules[i].id;
    if (typeof id !== 'string') return;
    const set = S.floats.get(id) || new Set();
    for (const f of floatSpellings(t)) set.add(f);
    S.floats.set(id, set);
  });
}
const floatsOf = (rule) => (rule && S.floats.get(rule.id)) || new Set();
function saveDraft() {
  if (!S.surface || !S.live) return;
  if (S.yaml === S.live.source) {
    localStorage.removeItem(draftKey(S.surface));
    $('draft-saved').textContent = 'No unpublished changes.';
  } else {
    const savedAt = new Date().toISOString();
    localStorage.setItem(draftKey(S.surface), JSON.stringify({ yaml: S.yaml, base: S.live.version.version, savedAt }));
    $('draft-saved').textContent = `Your draft is saved in this browser (${new Date(savedAt).toLocaleTimeString()}).`;
  }
}
function headerComments(text) {
  const lines = [];
  for (const l of text.split('\n')) { if (/^\s*#/.test(l)) lines.push(l); else break; }
  return lines.length ? lines.join('\n') + '\n' : '';
}
function yamlFromDoc(doc) {
  return documentText(doc, headerComments(S.yaml), floatsOf);
}
function formsChanged(patched) {
  // An in-place edit keeps comments and layout; it is used only when it parses back to exactly the form's rules.
  if (patched) {
    try {
      if (JSON.stringify(jsyaml.load(patched, YAML_OPTS)) === JSON.stringify(S.doc)) { setYaml(patched, 'forms'); return; }
    } catch { /* fall back to rewriting the text */ }
  }
  setYaml(yamlFromDoc(S.doc), 'forms');
}

// ---------- validation ----------
let validateTimer = null;
let validateAbort = null;
function scheduleValidate() {
  clearTimeout(validateTimer);
  S.validation = { state: 'checking', errors: [], yaml: S.yaml, version: null };
  renderValidity();
  updatePublishState();
  validateTimer = setTimeout(runValidate, 350);
}
async function runValidate() {
  const text = S.yaml;
  if (validateAbort) validateAbort.abort();
  validateAbort = new AbortController();
  if (S.parseError) {
    S.validation = { state: 'invalid', yaml: text, version: null,
      errors: [{ line: S.parseError.line, column: S.parseError.column, message: `The text is not valid YAML: ${S.parseError.message}` }] };
  } else {
    try {
      const r = await api.validate(text, validateAbort.signal);
      S.validation = { state: 'valid', errors: [], yaml: text, version: r.version, rules: r.rules };
    } catch (e) {
      if (e.name === 'AbortError') return;
      S.validation = e instanceof ApiError && e.status === 422
        ? { state: 'invalid', errors: e.errors.length ? e.errors : [{ message: e.message }], yaml: text, version: null }
        : { state: 'unknown', errors: [{ message: problemText(e) }], yaml: text, version: null };
    }
  }
  if (text !== S.yaml) return; // a newer edit is being checked
  renderValidity();
  renderGutter();
  renderRuleErrors();
  updatePublishState();
}
function ruleIndexOf(err) {
  const m = /^\/rules\/(\d+)/.exec(err.pointer || '');
  if (m) return Number(m[1]);
  if (err.line && S.doc && Array.isArray(S.doc.rules)) {
    // Structural errors carry only a line: find the rule whose "- id:" starts at or before it.
    const lines = S.yaml.split('\n');
    let idx = -1;
    for (let i = 0; i < Math.min(err.line, lines.length); i++) if (/^\s*-\s+id\s*:/.test(lines[i])) idx++;
    return idx >= 0 ? idx : null;
  }
  return null;
}
function renderValidity() {
  const box = $('validity');
  const v = S.validation;
  box.className = `validity ${v.state}`;
  if (v.state === 'checking') { box.replaceChildren(el('p', {}, 'Checking the rules…')); return; }
  if (v.state === 'valid') {
    box.replaceChildren(el('p', {}, `✓ The rules are valid (${v.rules} rules).` + (v.version === S.live?.version.version ? ' They are the same as the live rules.' : ' They differ from the live rules.')));
    return;
  }
  const n = v.errors.length;
  box.replaceChildren(
    el('p', {}, v.state === 'invalid' ? `✗ ${n} problem${n === 1 ? '' : 's'} to fix before this can be published:` : `Could not check the rules: ${v.errors[0]?.message}`),
    v.state === 'invalid' ? el('ul', { class: 'errors' }, v.errors.map((e) => {
      const ri = ruleIndexOf(e);
      const rule = ri !== null && S.doc?.rules?.[ri];
      const where = [e.line ? `line ${e.line}${e.column ? `, column ${e.column}` : ''}` : null, rule ? `rule ${ri + 1} (${rule.id ?? 'no id'})` : null].filter(Boolean).join(', ');
      return el('li', {}, el('button', { type: 'button', class: 'link', onclick: () => goToError(e, ri) }, where ? `${where[0].toUpperCase()}${where.slice(1)}` : 'Whole file'), ': ', plainError(e.message));
    })) : null);
}
function goToError(err, ruleIndex) {
  const formsShown = !$('forms-view').hidden;
  if (formsShown && ruleIndex !== null && ruleIndex !== undefined && !S.parseError) {
    const card = document.querySelector(`#rule-list > li[data-index="${ruleIndex}"]`);
    if (card) { card.scrollIntoView({ block: 'center' }); (card.querySelector('input,select,button') || card).focus(); return; }
  }
  showTab('yaml');
  if (err.line) selectLine(err.line);
}
function selectLine(line) {
  const ta = $('yaml');
  const lines = ta.value.split('\n');
  let start = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
  const end = start + (lines[line - 1] || '').length;
  ta.focus();
  ta.setSelectionRange(start, end);
  const lh = parseFloat(getComputedStyle(ta).lineHeight) || 18;
  ta.scrollTop = Math.max(0, (line - 5) * lh);
  syncGutter();
}
function renderGutter() {
  const n = S.yaml.split('\n').length;
  const bad = new Map();
  for (const e of S.validation.errors || []) if (e.line) bad.set(e.line, e.message);
  if (S.parseError && S.parseError.line) bad.set(S.parseError.line, S.parseError.message);
  const g = $('yaml-gutter');
  g.replaceChildren(...Array.from({ length: n }, (_, i) => el('span', { class: bad.has(i + 1) ? 'err' : null, title: bad.get(i + 1) }, `${i + 1}\n`)));
  syncGutter();
}
function syncGutter() { $('yaml-gutter').scrollTop = $('yaml').scrollTop; }

// ---------- forms ----------
function renderForms() {
  const list = $('rule-list');
  const blocked = $('forms-blocked');
  const doc = S.doc;
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.rules)) {
    blocked.hidden = false;
    blocked.replaceChildren(el('p', {}, S.parseError
      ? `The YAML text has a mistake at line ${S.parseError.line}: ${S.parseError.message}. Fix it in the YAML text view to use the forms again; your text is kept.`
      : 'The text has no list of rules yet. Add "rules:" in the YAML text view.'),
    el('button', { type: 'button', onclick: () => { showTab('yaml'); if (S.parseError?.line) selectLine(S.parseError.line); } }, 'Go to the YAML text'));
    list.replaceChildren();
    $('description').disabled = true;
    $('add-rule').disabled = true;
    return;
  }
  blocked.hidden = true;
  $('description').disabled = false;
  $('add-rule').disabled = false;
  if (document.activeElement !== $('description')) $('description').value = doc.description ?? '';
  list.replaceChildren(...doc.rules.map((r, i) => ruleCard(r, i)));
  renderRuleErrors();
}
function ruleCard(rule, i) {
  const rules = S.doc.rules;
  const type = ruleType(rule?.type);
  const idId = `r${i}-id`;
  const summary = el('p', { class: 'summary', id: `r${i}-summary` }, describeRule(rule, fmtTime));
  // S.doc is parsed again from the text after every edit, so each edit reads the rule afresh.
  const update = (key, value) => {
    let r = S.doc.rules[i];
    if (value === undefined || value === '' || (Array.isArray(value) && !value.length)) delete r[key];
    else r = S.doc.rules[i] = withKey(r, key, value);
    summary.textContent = describeRule(r, fmtTime);
    formsChanged(patchRuleField(S.yaml, i, key, r[key], floatsOf(r)) ?? replaceRule(S.yaml, i, r, floatsOf(r)));
  };
  const fields = type ? fieldsFor(rule).map((f) => field(rule, i, f, update)) : [el('p', {}, 'This rule type has no form: edit it in the YAML text view.')];
  if (type) fields.push(activeField(rule, i, update));
  const move = (d) => { const rs = S.doc.rules; const j = i + d; if (j < 0 || j >= rs.length) return; [rs[i], rs[j]] = [rs[j], rs[i]]; formsChanged(); renderForms(); document.querySelector(`#rule-list > li[data-index="${j}"] .rule-head input`)?.focus(); };
  return el('li', { class: 'rule', 'data-index': i, 'data-rule-id': rule?.id ?? '' },
    el('div', { class: 'rule-head' },
      el('span', { class: 'rule-type' }, `${i + 1}. ${type ? type.name : rule?.type ?? 'Rule'}`),
      el('label', { for: idId, class: 'small' }, 'Name'),
      el('input', { id: idId, value: rule?.id ?? '', class: 'rule-id', oninput: (ev) => update('id', ev.target.value.trim()) })),
    summary,
    type ? el('p', { class: 'hint' }, type.help) : null,
    el('div', { class: 'fields' }, fields),
    el('div', { class: 'rule-errors', id: `r${i}-errors`, role: 'alert' }),
    el('div', { class: 'row rule-actions' },
      el('button', { type: 'button', disabled: i === 0, onclick: () => move(-1), 'aria-label': `Move rule ${rule?.id} up` }, '↑ Move up'),
      el('button', { type: 'button', disabled: i === rules.length - 1, onclick: () => move(1), 'aria-label': `Move rule ${rule?.id} down` }, '↓ Move down'),
      el('button', { type: 'button', class: 'danger', 'aria-label': `Remove rule ${rule?.id}`, onclick: () => { S.doc.rules.splice(i, 1); formsChanged(); renderForms(); $('add-rule').focus(); } }, 'Remove')));
}
function field(rule, i, f, update) {
  const id = `r${i}-${f.key}`;
  const v = rule[f.key];
  if (f.kind === 'condition') return conditionField(i, f, update);
  const placeholder = f.default === undefined ? null : String(f.default); // what an empty field means
  const msgId = `${id}-limits`;
  const msg = el('p', { class: 'field-msg', id: msgId, 'aria-live': 'polite' });
  let input;
  if (f.kind === 'number') {
    // The schema's limits: the browser knows them (min/max), and a value outside them is named at the field at once;
    // it is still written to the draft, where the server's validation reports it with its line.
    const check = (value) => {
      const problem = limitProblem(f, value);
      msg.textContent = problem;
      input.setAttribute('aria-invalid', String(!!problem));
    };
    input = el('input', { id, type: 'number', step: f.step, min: f.min, max: f.max, value: v ?? '', placeholder,
      'aria-describedby': msgId,
      oninput: (ev) => { check(ev.target.value); update(f.key, ev.target.value === '' ? undefined : Number(ev.target.value)); } });
    check(v);
  } else if (f.kind === 'choice') {
    const current = v ?? f.default;
    input = el('select', { id, onchange: (ev) => {
      const chosen = f.options.find((o) => String(o.value) === ev.target.value);
      update(f.key, chosen ? chosen.value : undefined);
      // a choice can rule other fields out (diversify by mmr takes no attribute): drop them and redraw the card
      const r = S.doc.rules[i];
      for (const k of ruleType(r.type).forbidden(r)) if (k in r) update(k, undefined);
      renderForms();
      document.getElementById(id)?.focus();
    } },
    current === undefined ? el('option', { value: '', selected: true }, '(choose)') : null,
    f.options.map((o) => el('option', { value: String(o.value), selected: o.value === current }, o.label)));
  } else if (f.kind === 'positions') {
    input = el('input', { id, value: Array.isArray(v) ? v.join(', ') : v ?? '',
      oninput: (ev) => update(f.key, listOf(ev.target.value).map(scalar)) });
  } else if (f.kind === 'list') {
    input = el('input', { id, value: Array.isArray(v) ? v.join(', ') : v ?? '', oninput: (ev) => update(f.key, listOf(ev.target.value)) });
  } else if (f.kind === 'text' || f.kind === 'attribute') {
    input = el('input', { id, value: v ?? '', placeholder, list: f.kind === 'attribute' ? 'known-attributes' : null,
      oninput: (ev) => update(f.key, ev.target.value.trim() || undefined) });
  } else {
    return el('div', { class: 'field', 'data-field': f.key }, el('span', { class: 'label' }, f.label),
      el('p', { class: 'hint' }, v === undefined ? 'Not set (edit it in the YAML text view).' : `${JSON.stringify(v)} (edit it in the YAML text view).`));
  }
  return el('div', { class: 'field', 'data-field': f.key }, el('label', { for: id }, f.label), input,
    f.help ? el('p', { class: 'hint' }, f.help) : null, f.kind === 'number' ? msg : null);
}
// A condition is edited as a tree: checks ("the item's brand is X") combined in groups ("all of these", "any of
// these") and "not". Every control has a label and an id derived from its place in the tree, so that focus can be
// put back after a change redraws the forms.
function conditionField(i, f, update) {
  const id = `r${i}-${f.key}`;
  const root = () => S.doc.rules[i][f.key];
  const nodeId = (path) => `${id}-n${path.map((p) => `-${p}`).join('')}`;
  const focusLater = (elId) => { const e = elId && document.getElementById(elId); if (e) e.focus(); };
  const ctx = {
    id, f, nodeId, root,
    /** A change of structure: write it, redraw the forms, put the focus where the user expects it. */
    change(next, focusId) { update(f.key, next); renderForms(); focusLater(focusId); },
    /** A change of a value inside a check: write it, keep the controls (and the focus) as they are. */
    edit(next) { update(f.key, next); },
  };
  const c = root();
  if (c === undefined) {
    return el('div', { class: 'field cond', 'data-field': f.key }, el('span', { class: 'label' }, f.label),
      el('button', { type: 'button', id: `${id}-add`,
        onclick: () => ctx.change(structuredClone(f.fresh ?? newCheck()), `${nodeId([])}-on`) }, f.add ?? 'Add a condition'));
  }
  return el('fieldset', { class: 'field cond-tree', 'data-field': f.key },
    el('legend', {}, f.label),
    conditionNode(ctx, c, [], null),
    f.optional ? el('div', { class: 'row cond-actions' },
      el('button', { type: 'button', class: 'danger', id: `${id}-remove`, onclick: () => ctx.change(undefined, `${id}-add`) },
        f.remove ?? 'Remove the condition')) : null);
}

/** Words for where a node sits, for the accessible names of its buttons ("check 2 of the group in check 1"). */
function nodeName(path) {
  const nums = path.filter((p) => typeof p === 'number').map((n) => n + 1);
  return nums.length ? `check ${nums.join('.')}` : 'the condition';
}

function conditionNode(ctx, c, path, parentKind) {
  const kind = conditionKind(c);
  if (kind === 'all' || kind === 'any') return groupNode(ctx, c, path, kind, parentKind);
  if (kind === 'not') return notNode(ctx, c, path, parentKind);
  if (kind === 'leaf') return leafNode(ctx, c, path, parentKind);
  return el('div', { class: 'cond-other', 'data-path': path.join('/') },
    el('p', { class: 'cond-text' }, describeCondition(c)),
    el('button', { type: 'button', onclick: () => showTab('yaml') }, 'The forms cannot show this check: edit it in the YAML text'),
    nodeActions(ctx, c, path, parentKind, 'other'));
}

function nodeActions(ctx, c, path, parentKind, kind) {
  const { nodeId, root } = ctx;
  const here = nodeId(path);
  const name = nodeName(path);
  const buttons = [];
  if (!path.length && kind === 'leaf') {
    buttons.push(el('button', { type: 'button', id: `${here}-also`, 'aria-label': `Add another check to ${ctx.f.label.toLowerCase()}`,
      onclick: () => ctx.change(wrapAt(root(), path, 'all'), `${nodeId(['all', 1])}-on`) }, '+ Add another check'));
  }
  if (parentKind !== 'not' && kind !== 'other' && kind !== 'not') {
    const inner = [...path, 'not'];
    buttons.push(el('button', { type: 'button', id: `${here}-not`, 'aria-label': `Turn ${name} into its opposite (not)`,
      onclick: () => ctx.change(wrapAt(root(), path, 'not'), kind === 'leaf' ? `${nodeId(inner)}-on` : `${nodeId(inner)}-kind`) }, 'Not…'));
  }
  if (path.length && parentKind !== 'not') { // inside a "not", the not's own buttons remove it
    const after = removeAt(root(), path);
    const groupPath = path.slice(0, -2);
    buttons.push(el('button', { type: 'button', class: 'danger', id: `${here}-remove`, disabled: after === undefined && !ctx.f.optional,
      'aria-label': `Remove ${name}`,
      onclick: () => ctx.change(after, groupPath && getAt(after, groupPath) !== undefined ? `${nodeId(groupPath)}-add` : `${ctx.id}-add`) }, 'Remove'));
  }
  return buttons.length ? el('span', { class: 'cond-actions' }, buttons) : null;
}

function groupNode(ctx, c, path, kind, parentKind) {
  const { nodeId, root } = ctx;
  const here = nodeId(path);
  const children = c[kind];
  const other = kind === 'all' ? 'any' : 'all';
  return el('fieldset', { class: `cond-group ${kind}`, 'data-kind': kind, 'data-path': path.join('/'), id: here },
    el('legend', {},
      el('label', { for: `${here}-kind` }, path.length ? `Group (${nodeName(path)}): items match` : 'Items match'), ' ',
      el('select', { id: `${here}-kind`, onchange: (ev) => ctx.change(switchGroup(root(), path, ev.target.value), `${here}-kind`) },
        Object.entries(COMBINE_WORDS).map(([k, w]) => el('option', { value: k, selected: k === kind }, w)))),
    el('ol', { class: 'cond-children' }, children.map((child, n) =>
      el('li', {}, conditionNode(ctx, child, [...path, kind, n], kind)))),
    el('div', { class: 'row cond-group-actions' },
      el('button', { type: 'button', id: `${here}-add`, 'aria-label': `Add a check to ${path.length ? `the group ${nodeName(path)}` : 'this group'}`,
        onclick: () => ctx.change(addTo(root(), path, newCheck()), `${nodeId([...path, kind, children.length])}-on`) }, '+ Add a check'),
      el('button', { type: 'button', id: `${here}-addgroup`, 'aria-label': `Add a group (${COMBINE_WORDS[other]}) to ${path.length ? `the group ${nodeName(path)}` : 'this group'}`,
        onclick: () => ctx.change(addTo(root(), path, { [other]: [newCheck()] }), `${nodeId([...path, kind, children.length])}-kind`) },
      `+ Add a group (${COMBINE_WORDS[other]})`),
      children.length === 1 ? el('button', { type: 'button', id: `${here}-ungroup`, 'aria-label': `Ungroup ${nodeName(path)}`,
        onclick: () => ctx.change(unwrapAt(root(), path), null) }, 'Ungroup') : null,
      nodeActions(ctx, c, path, parentKind, kind)));
}

function notNode(ctx, c, path, parentKind) {
  const { nodeId, root } = ctx;
  const here = nodeId(path);
  return el('fieldset', { class: 'cond-not', 'data-kind': 'not', 'data-path': path.join('/'), id: here },
    el('legend', {}, 'Not: items where this is false'),
    conditionNode(ctx, c.not, [...path, 'not'], 'not'),
    el('div', { class: 'row' },
      el('button', { type: 'button', id: `${here}-unnot`, 'aria-label': `Remove the “not” of ${nodeName(path)}`,
        onclick: () => ctx.change(unwrapAt(root(), path), null) }, 'Remove “not”'),
      path.length ? nodeActions(ctx, c, path, parentKind, 'not') : null));
}

function leafNode(ctx, c, path, parentKind) {
  const { nodeId, root } = ctx;
  const here = nodeId(path);
  const state = { ...simpleCondition(c) };
  const apply = () => ctx.edit(setAt(root(), path, conditionFrom(state)));
  const redraw = (focusId) => ctx.change(setAt(root(), path, conditionFrom(state)), focusId);
  const valueBox = el('span', { class: 'cond-value' });
  const shape = operatorShape(state.op);
  if (shape === 'range') {
    const r = state.value && typeof state.value === 'object' ? state.value : {};
    state.value = r;
    const num = (k, label) => [el('label', { for: `${here}-${k}`, class: 'small' }, label),
      el('input', { id: `${here}-${k}`, type: 'number', step: 'any', value: r[k] ?? '', class: 'short',
        oninput: (ev) => { if (ev.target.value === '') delete r[k]; else r[k] = Number(ev.target.value); apply(); } })];
    valueBox.append(...num('min', 'from'), ...num('max', 'to'));
  } else if (shape === 'flag') {
    valueBox.append(el('label', { for: `${here}-v`, class: 'visually-hidden' }, 'Is set'),
      el('select', { id: `${here}-v`, onchange: (ev) => { state.value = ev.target.value === 'true'; apply(); } },
        el('option', { value: 'true', selected: state.value !== false }, 'set (has a value)'),
        el('option', { value: 'false', selected: state.value === false }, 'not set')));
  } else {
    valueBox.append(el('label', { for: `${here}-v`, class: 'small' }, shape === 'list' ? 'values (comma separated)' : 'value'),
      el('input', { id: `${here}-v`, value: Array.isArray(state.value) ? state.value.join(', ') : state.value ?? '', class: 'short',
        oninput: (ev) => { state.value = shape === 'list' ? listOf(ev.target.value) : ev.target.value; apply(); } }));
  }
  const ops = operatorWords(state.on === 'segment');
  const onSel = el('select', { id: `${here}-on`, onchange: (ev) => {
    state.on = ev.target.value;
    if (state.on === 'segment' && !(state.op in operatorWords(true))) { state.op = Object.keys(operatorWords(true))[0]; state.value = ''; }
    if (state.on !== 'segment' && (!state.name || state.name === 'segment')) state.name = state.on === 'context' ? 'segment' : 'brand';
    redraw(`${here}-on`);
  } },
  el('option', { value: 'attribute', selected: state.on === 'attribute' }, 'item’s'),
  el('option', { value: 'context', selected: state.on === 'context' }, 'request’s'),
  el('option', { value: 'segment', selected: state.on === 'segment' }, 'customer segment'));
  const opSel = el('select', { id: `${here}-op`, onchange: (ev) => {
    state.op = ev.target.value;
    const to = operatorShape(state.op);
    if (to === 'range') state.value = {}; else if (to === 'flag') state.value = true;
    else if (to === 'list') state.value = listOf(typeof state.value === 'object' ? '' : state.value);
    else if (typeof state.value === 'object' || typeof state.value === 'boolean') state.value = '';
    redraw(`${here}-op`);
  } }, Object.entries(ops).map(([k, w]) => el('option', { value: k, selected: state.op === k }, w)));
  return el('div', { class: 'cond-leaf', role: 'group', 'aria-label': nodeName(path), 'data-path': path.join('/'), id: here },
    el('label', { for: `${here}-on`, class: 'small' }, 'Check the'), onSel,
    state.on === 'segment' ? null : [el('label', { for: `${here}-name`, class: 'small' }, state.on === 'context' ? 'request value' : 'attribute'),
      el('input', { id: `${here}-name`, value: state.name ?? '', class: 'short',
        list: state.on === 'attribute' ? 'known-attributes' : null,
        oninput: (ev) => { state.name = ev.target.value.trim(); apply(); } })],
    el('label', { for: `${here}-op`, class: 'small' }, 'which'), opSel, valueBox,
    nodeActions(ctx, c, path, parentKind, 'leaf'));
}

/** When the rule is in force: two local date-time inputs, written as the ISO-8601 instants (UTC) the parser reads. */
function activeField(rule, i, update) {
  const id = `r${i}-active`;
  const a = rule.active && typeof rule.active === 'object' ? rule.active : null;
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
  const saved = el('p', { class: 'meta', id: `${id}-saved`, 'aria-live': 'polite' });
  const showSaved = (w) => { saved.textContent = w && (w.from || w.until) ? `Saved as ${[w.from && `from ${w.from}`, w.until && `until ${w.until}`].filter(Boolean).join(' ')} (UTC).` : 'Always in force.'; };
  showSaved(a);
  const words = (w) => (w && Object.keys(w).length ? `Schedule: ${describeActive(w, fmtTime).replace(/^Only i/, 'i')}` : 'Schedule: always in force (set dates to limit it)');
  const summary = el('summary', {}, words(a));
  const set = (which, local, input) => {
    if (local && !localInputToIso(local)) return; // still typing
    if (!local && input.validity && input.validity.badInput) return;
    const cur = S.doc.rules[i].active && typeof S.doc.rules[i].active === 'object' ? S.doc.rules[i].active : {};
    const next = { from: cur.from, until: cur.until, [which]: local ? localInputToIso(local) : undefined };
    const w = Object.fromEntries(Object.entries(next).filter(([, v]) => v !== undefined && v !== ''));
    update('active', Object.keys(w).length ? w : undefined);
    showSaved(w);
    summary.textContent = words(w);
  };
  const input = (which, label) => {
    const v = a && a[which];
    const local = isoToLocalInput(v);
    return el('div', { class: 'field' }, el('label', { for: `${id}-${which}` }, label),
      el('input', { id: `${id}-${which}`, type: 'datetime-local', step: /:\d\d:\d\d$/.test(local) ? 1 : null, value: local,
        'aria-describedby': `${id}-zone`, oninput: (ev) => set(which, ev.target.value, ev.target) }));
  };
  return el('details', { class: 'active-window', open: !!a, 'data-field': 'active' }, summary,
    el('p', { class: 'hint', id: `${id}-zone` }, `Times are in your time zone (${zone}). Leave a box empty for no limit on that side.`),
    el('div', { class: 'fields' }, input('from', 'In force from'), input('until', 'Until (not included)'),
      el('button', { type: 'button', id: `${id}-clear`, onclick: () => {
        update('active', undefined); renderForms();
        const d = document.querySelector(`#rule-list > li[data-index="${i}"] details.active-window`);
        if (d) { d.open = true; d.querySelector('input')?.focus(); }
      } }, 'Always in force')),
    saved);
}

function renderRuleErrors() {
  document.querySelectorAll('#rule-list .rule-errors').forEach((b) => b.replaceChildren());
  document.querySelectorAll('#rule-list > li.rule').forEach((li) => li.classList.remove('has-error'));
  if (S.validation.state !== 'invalid') return;
  for (const e of S.validation.errors) {
    const ri = ruleIndexOf(e);
    if (ri === null) continue;
    const box = $(`r${ri}-errors`);
    if (!box) continue;
    box.closest('li').classList.add('has-error');
    box.append(el('p', { class: 'msg error' }, `${e.line ? `Line ${e.line}: ` : ''}${plainError(e.message)}`));
  }
}

// ---------- tabs ----------
function showTab(which) {
  const forms = which === 'forms';
  $('forms-view').hidden = !forms;
  $('yaml-view').hidden = forms;
  $('tab-forms').setAttribute('aria-selected', String(forms));
  $('tab-yaml').setAttribute('aria-selected', String(!forms));
  $('tab-forms').tabIndex = forms ? 0 : -1;
  $('tab-yaml').tabIndex = forms ? -1 : 0;
  if (forms) renderForms(); else renderGutter();
}
function wireEditor() {
  $('tab-forms').addEventListener('click', () => showTab('forms'));
  $('tab-yaml').addEventListener('click', () => showTab('yaml'));
  for (const t of ['tab-forms', 'tab-yaml']) {
    $(t).addEventListener('keydown', (ev) => {
      if (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') {
        const next = t === 'tab-forms' ? 'yaml' : 'forms';
        showTab(next);
        $(`tab-${next}`).focus();
      }
    });
  }
  $('yaml').addEventListener('input', (ev) => setYaml(ev.target.value, 'yaml'));
  $('yaml').addEventListener('scroll', syncGutter);
  $('description').addEventListener('input', (ev) => { if (S.doc) { if (ev.target.value) S.doc.description = ev.target.value; else delete S.doc.description; formsChanged(patchTopLevel(S.yaml, 'description', S.doc.description)); } });
  $('new-rule-type').replaceChildren(...Object.entries(ruleTypes()).map(([k, t]) => el('option', { value: k }, `${t.name} (${k})`)));
  $('add-rule').addEventListener('click', () => {
    const type = $('new-rule-type').value;
    const ids = new Set(S.doc.rules.map((r) => r && r.id));
    let n = 1;
    while (ids.has(`${type}-${n}`)) n++;
    S.doc.rules.push({ id: `${type}-${n}`, ...newRule(type) });
    formsChanged();
    renderForms();
    const li = document.querySelector('#rule-list > li:last-child');
    li.scrollIntoView({ block: 'center' });
    li.querySelector('input').focus();
  });
  $('discard-draft').addEventListener('click', () => {
    if (!S.live) return;
    localStorage.removeItem(draftKey(S.surface));
    $('draft-note').hidden = true;
    setYaml(S.live.source, 'load');
    saveDraft();
    say('publish-status', 'Your changes were discarded; the editor shows the live rules again.', 'info');
  });
}

// ---------- what changed (draft vs live), for the publish step ----------
function ruleChanges(a, b) {
  const out = [];
  if (!a || !b || !Array.isArray(a.rules) || !Array.isArray(b.rules)) return out;
  const byId = (doc) => new Map(doc.rules.filter((r) => r && r.id).map((r) => [r.id, r]));
  const A = byId(a), B = byId(b);
  for (const [id, r] of B) {
    if (!A.has(id)) out.push({ kind: 'added', text: `New rule “${id}”: ${describeRule(r, fmtTime)}` });
    else if (JSON.stringify(A.get(id)) !== JSON.stringify(r)) out.push({ kind: 'changed', text: `Rule “${id}”: was “${describeRule(A.get(id), fmtTime)}”, now “${describeRule(r, fmtTime)}”` });
  }
  for (const [id, r] of A) if (!B.has(id)) out.push({ kind: 'removed', text: `Removed rule “${id}”: ${describeRule(r, fmtTime)}` });
  const orderA = [...A.keys()].filter((k) => B.has(k)), orderB = [...B.keys()].filter((k) => A.has(k));
  if (orderA.join() !== orderB.join()) out.push({ kind: 'changed', text: 'The order of the rules changed.' });
  if ((a.description ?? '') !== (b.description ?? '')) out.push({ kind: 'changed', text: 'The description changed.' });
  return out;
}
function renderChanges() {
  const box = $('changes-summary');
  if (!S.live) return;
  if (S.yaml === S.live.source) { box.replaceChildren(el('p', {}, 'You have not changed anything yet.')); return; }
  const ch = ruleChanges(S.liveDoc, S.doc);
  box.replaceChildren(el('p', {}, ch.length ? 'Your changes compared with the live rules:' : 'Only the text layout or comments changed.'),
    el('ul', { class: 'changes' }, ch.map((c) => el('li', { class: c.kind }, c.text))));
}

// ---------- publish ----------
function publishBlockers() {
  const v = S.validation;
  if (!S.auth) return 'Sign in to publish.';
  if (v.state === 'checking' || v.yaml !== S.yaml) return 'Checking the rules…';
  if (v.state !== 'valid') return 'Fix the problems in the rules first (see step 2).';
  if (S.live && v.version === S.live.version.version) return 'Nothing to publish: the draft does the same as the live rules.';
  if (!$('publish-comment').value.trim()) return 'Say why you are making this change.';
  return null;
}
function updatePublishState() {
  const why = publishBlockers();
  $('publish-btn').disabled = !!why;
  $('publish-why').textContent = why || 'Ready: publishing makes these rules live for every customer within seconds.';
}
function wirePublish() {
  $('publish-comment').addEventListener('input', updatePublishState);
  $('publish-btn').addEventListener('click', async () => {
    if (publishBlockers()) return;
    const btn = $('publish-btn');
    btn.disabled = true;
    say('publish-status', 'Publishing…');
    try {
      const v = await api.publish(S.surface, S.yaml, { token: S.auth.token, author: S.auth.name,
        comment: $('publish-comment').value.trim(), base: S.live && S.live.version.version });
      localStorage.removeItem(draftKey(S.surface));
      $('publish-comment').value = '';
      await refreshAfterChange();
      say('publish-status', `Published. Version ${v.version} is live now (by ${v.author}, ${fmtTime(v.publishedAt)}). You can undo it under “History and undo”.`, 'ok');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) signOut('The admin token was not accepted. Sign in again with the right token.');
      else if (e instanceof ApiError && e.status === 409 && e.problem.currentVersion) {
        say('publish-status', `Not published: someone else made version ${e.problem.currentVersion} live after you opened these rules. `
          + 'Your draft is kept: open the surface again to see their change, then publish once more if yours still applies.', 'error');
      } else say('publish-status', `Not published: ${problemText(e)}`, 'error');
      updatePublishState();
    }
  });
}
async function refreshAfterChange() {
  await loadSurfaces();
  const keep = localStorage.getItem(draftKey(S.surface));
  await selectSurface(S.surface);
  if (!keep) $('draft-note').hidden = true;
}

// ---------- history, diff, rollback ----------
let versionsData = null;
async function loadHistory() {
  const surface = S.surface;
  try {
    versionsData = await api.versions(surface);
  } catch (e) {
    say('history-list', `Cannot load the history: ${problemText(e)}`, 'error');
    return;
  }
  if (surface !== S.surface) return;
  const meta = new Map(versionsData.versions.map((v) => [v.version, v]));
  const words = { publish: 'Published', file: 'Changed in the rule file', rollback: 'Undone (went back)' };
  const rows = [...versionsData.history].reverse().map((h, i) => el('tr', { class: h.version === versionsData.live && i === 0 ? 'live' : '' },
    el('td', {}, fmtTime(h.at)),
    el('td', {}, words[h.action] || h.action),
    el('td', {}, h.author || ''),
    el('td', {}, h.comment || ''),
    el('td', {}, el('code', {}, h.version), ` (${meta.get(h.version)?.ruleCount ?? '?'} rules)`, i === 0 ? el('strong', {}, ' live') : null),
    el('td', {}, i === 0 ? '' : el('button', { type: 'button', class: 'rollback-to', 'data-version': h.version,
      onclick: () => rollback(h.version) }, `Make ${h.version} live again`))));
  $('history-list').replaceChildren(el('table', { class: 'history' },
    el('caption', { class: 'visually-hidden' }, 'Changes, newest first'),
    el('thead', {}, el('tr', {}, ['When', 'What', 'Who', 'Why', 'Version', ''].map((t) => el('th', { scope: 'col' }, t)))),
    el('tbody', {}, rows)));
  const opts = (sel) => versionsData.versions.map((v) => el('option', { value: v.version, selected: v.version === sel },
    `${v.version} · ${fmtTime(v.publishedAt)} · ${v.author || ''}${v.comment ? ` · ${v.comment}` : ''}`));
  const hist = versionsData.history;
  const prev = [...hist].reverse().find((h) => h.version !== versionsData.live)?.version ?? versionsData.versions[0]?.version;
  $('diff-result').replaceChildren();
  $('diff-a').replaceChildren(...opts(prev));
  $('diff-b').replaceChildren(...opts(versionsData.live));
  renderHistoryButtons();
}
function renderHistoryButtons() {
  const ro = !S.auth;
  const hasEarlier = versionsData && versionsData.history.some((h) => h.version !== versionsData.live);
  $('undo-last').disabled = ro || !hasEarlier;
  $('undo-why').textContent = ro ? 'Sign in to undo changes.' : hasEarlier ? 'Goes back to the version that was live before the current one.' : 'There is no earlier version.';
  document.querySelectorAll('.rollback-to').forEach((b) => { b.disabled = ro; });
}
async function rollback(version) {
  if (!S.auth) return;
  say('history-status', 'Going back…');
  try {
    const v = await api.rollback(S.surface, version, { token: S.auth.token, author: S.auth.name,
      comment: $('undo-comment').value.trim() || (version ? `Went back to ${version}` : 'Undid the last change'),
      base: versionsData && versionsData.live });
    $('undo-comment').value = '';
    await refreshAfterChange();
    say('history-status', `Done: version ${v.version} is live again.`, 'ok');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) signOut('The admin token was not accepted. Sign in again with the right token.');
    else if (e instanceof ApiError && e.status === 409 && e.problem.currentVersion) {
      say('history-status', `Nothing changed: someone else made version ${e.problem.currentVersion} live meanwhile. The history below is up to date now; decide again.`, 'error');
      await loadHistory();
    } else say('history-status', `Could not go back: ${problemText(e)}`, 'error');
  }
}
async function runDiff() {
  const a = $('diff-a').value, b = $('diff-b').value;
  const box = $('diff-result');
  if (!a || !b) return;
  if (a === b) { say(box, 'Choose two different versions.'); return; }
  try {
    const [d, va, vb] = await Promise.all([api.diff(S.surface, a, b), api.version(S.surface, a), api.version(S.surface, b)]);
    const lines = lineDiff(va.source || '', vb.source || '');
    box.replaceChildren(
      el('h4', {}, `What changed from ${a} to ${b}`),
      d.changes.length ? el('ul', { class: 'changes' }, d.changes.map((c) => el('li', {}, describeDiffLine(c)))) : el('p', {}, 'The rules do the same; only the layout differs.'),
      el('details', {}, el('summary', {}, 'Show the text side by side, line by line'),
        el('pre', { class: 'linediff' }, lines.map((l) => el('span', { class: l.op === '+' ? 'add' : l.op === '-' ? 'del' : null }, `${l.op} ${l.text}\n`)))));
  } catch (e) {
    say(box, `Cannot compare: ${problemText(e)}`, 'error');
  }
}
function wireHistory() {
  $('undo-last').addEventListener('click', () => rollback(null));
  $('diff-run').addEventListener('click', runDiff);
}

// ---------- preview ----------
const itemCache = new Map();
function itemInfo(id) {
  if (!itemCache.has(id)) itemCache.set(id, api.item(id).catch(() => ({ id })));
  return itemCache.get(id);
}
async function loadRecent() {
  const sel = $('recent-requests');
  sel.replaceChildren(el('option', { value: '' }, 'Loading…'));
  try {
    S.recent = await api.recent(S.surface, 20);
  } catch (e) {
    S.recent = [];
    sel.replaceChildren(el('option', { value: '' }, e instanceof ApiError && e.status === 401 && !S.auth
      ? 'Sign in to pick a recent logged request' : `Cannot read recent requests: ${problemText(e)}`));
    return;
  }
  if (!S.recent.length) {
    sel.replaceChildren(el('option', { value: '' }, 'No logged requests yet: describe one instead'));
    return;
  }
  sel.replaceChildren(...S.recent.map((r, i) => el('option', { value: String(i) }, requestLabel(r))));
}
function requestLabel(r) {
  const ctx = r.context && Object.keys(r.context).length ? ` · ${Object.entries(r.context).map(([k, v]) => `${k}=${v}`).join(', ')}` : '';
  return `${ago(r.time)} · customer ${r.userId}${r.query ? ` · searched “${r.query}”` : ''}${ctx} · ${r.shown} items`;
}
function currentRequest() {
  if ($('req-logged').checked) {
    const r = S.recent[Number($('recent-requests').value)];
    if (!r) return null;
    return { surface: S.surface, userId: r.userId, query: r.query || null, context: r.context || {}, limit: Math.max(10, r.shown || 10) };
  }
  const seg = $('req-segment').value.trim();
  return { surface: S.surface, userId: $('req-user').value.trim() || 'anonymous', query: $('req-query').value.trim() || null,
    context: seg ? { segment: seg } : {}, limit: Number($('req-limit').value) || 10 };
}
function changed(result) {
  if (!result.after) return false;
  const a = result.before.items.map((i) => i.id).join(), b = result.after.items.map((i) => i.id).join();
  return a !== b;
}
async function runPreview() {
  const request = currentRequest();
  if (!request) { say('preview-status', 'Choose a request first.', 'error'); return; }
  if (S.validation.state === 'invalid') { say('preview-status', 'Fix the problems in your draft first (step 2).', 'error'); return; }
  say('preview-status', 'Ordering the items…');
  try {
    const result = await api.preview(request, S.yaml === S.live.source ? null : S.yaml);
    await renderPreview(result, request);
  } catch (e) {
    say('preview-status', `Cannot show the effect: ${problemText(e)}`, 'error');
  }
}
async function findAffected() {
  if (!S.recent.length) { say('preview-status', 'There are no logged requests to search.', 'error'); return; }
  if (S.yaml === S.live.source) { say('preview-status', 'Change a rule first: your draft is the same as the live rules.', 'error'); return; }
  $('req-logged').checked = true;
  toggleRequestKind();
  for (let i = 0; i < S.recent.length; i++) {
    $('recent-requests').value = String(i);
    say('preview-status', `Checking request ${i + 1} of ${S.recent.length}…`);
    try {
      const request = currentRequest();
      const result = await api.preview(request, S.yaml);
      if (changed(result)) {
        await renderPreview(result, request, `Request ${i + 1} of the ${S.recent.length} most recent changes with your draft.`);
        return;
      }
    } catch (e) {
      say('preview-status', `Cannot show the effect: ${problemText(e)}`, 'error');
      return;
    }
  }
  say('preview-status', `None of the ${S.recent.length} most recent requests changes with your draft. Try the dry run on more traffic.`, 'info');
}
async function renderPreview(result, request, lead) {
  const before = result.before, after = result.after || result.before;
  const ids = new Set([...before.items, ...after.items, ...(after.removed || [])].map((i) => i.id));
  const infos = new Map(await Promise.all([...ids].map(async (id) => [id, await itemInfo(id)])));
  const afterPos = new Map(after.items.map((i) => [i.id, i.position]));
  const moved = after.items.filter((i) => i.positionBefore !== i.position).length;
  const gone = before.items.filter((i) => !afterPos.has(i.id)).length;
  const summary = !result.after ? 'Your draft is the same as the live rules: showing the live order.'
    : changed(result) ? `${moved} of ${after.items.length} positions change with your draft${gone ? `; ${gone} item${gone === 1 ? ' leaves' : 's leave'} the list` : ''}.`
      : 'No change for this request: the list is the same with your draft.';
  const short = [['live rules', before], ['draft', result.after]].filter(([, side]) => side && side.items.length < request.limit)
    .map(([name, side]) => `With the ${name} only ${side.items.length} of ${request.limit} places are filled: the limits leave no other item that fits.`);
  say('preview-status', [lead, summary, ...short].filter(Boolean).join(' '), changed(result) ? 'ok' : 'info');
  const col = (title, side, isAfter) => el('div', { class: 'side' },
    el('h3', {}, title), el('p', { class: 'meta' }, `Rules version ${side.policyVersion}`),
    el('ol', { class: 'items' }, side.items.map((it) => itemRow(it, infos.get(it.id), isAfter ? movement(it) : leaving(it, afterPos)))),
    side.removed && side.removed.length ? el('details', {}, el('summary', {}, `${side.removed.length} items hidden by rules`),
      el('ul', { class: 'plain' }, side.removed.map((it) => el('li', {}, `${title0(infos.get(it.id), it.id)}: `, traceText(it.trace))))) : null);
  $('preview-result').replaceChildren(
    el('p', { class: 'meta' }, `Request: customer ${request.userId}${request.query ? `, searched “${request.query}”` : ''}${Object.keys(request.context || {}).length ? `, ${Object.entries(request.context).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''} · ${result.candidates} candidate items`),
    el('div', { class: 'cols' }, col('Now (live rules)', before, false), col('With your draft', after, !!result.after)));
}
const title0 = (info, id) => (info && info.title) || id;
function itemRow(it, info, mark) {
  const a = (info && info.attributes) || {};
  return el('li', { class: `item ${mark.cls}` },
    el('span', { class: 'pos' }, String(it.position)),
    el('span', { class: `move ${mark.cls}`, title: mark.title, 'aria-label': mark.title }, mark.text),
    el('div', { class: 'what' },
      el('div', { class: 'title' }, title0(info, it.id)),
      el('div', { class: 'meta' }, [a.brand && `brand ${a.brand}`, a.category && `category ${a.category}`, `id ${it.id}`].filter(Boolean).join(' · ')),
      it.trace && it.trace.length ? el('div', { class: 'trace' }, traceText(it.trace)) : null));
}
function traceText(trace) {
  return el('span', {}, (trace || []).map((t) => el('span', { class: `chip ${t.action}`, title: t.detail || '' },
    `${t.rule}: ${ACTION_WORDS[t.action] || t.action}${t.detail ? ` (${t.detail})` : ''}`)));
}
function movement(it) {
  if (it.positionBefore === null || it.positionBefore === undefined) return { cls: 'new', text: '★ new', title: 'New in the list' };
  const d = it.positionBefore - it.position;
  if (d > 0) return { cls: 'up', text: `▲ ${d}`, title: `Up ${d} (was ${it.positionBefore})` };
  if (d < 0) return { cls: 'down', text: `▼ ${-d}`, title: `Down ${-d} (was ${it.positionBefore})` };
  return { cls: 'same', text: '=', title: 'Same position' };
}
function leaving(it, afterPos) {
  if (afterPos.size && !afterPos.has(it.id)) return { cls: 'gone', text: '✕ out', title: 'Not in the list with your draft' };
  return { cls: 'same', text: '', title: '' };
}
function toggleRequestKind() {
  const logged = $('req-logged').checked;
  $('req-logged-box').hidden = !logged;
  $('req-custom-box').hidden = logged;
}
function wirePreview() {
  $('req-logged').addEventListener('change', toggleRequestKind);
  $('req-custom').addEventListener('change', toggleRequestKind);
  $('reload-recent').addEventListener('click', loadRecent);
  $('find-affected').addEventListener('click', findAffected);
  $('run-preview').addEventListener('click', runPreview);
}

// ---------- dry run ----------
let dryTimer = null;
async function runDry() {
  if (S.validation.state === 'invalid') { say('dry-status', 'Fix the problems in your draft first (step 2).', 'error'); return; }
  clearTimeout(dryTimer);
  const hours = Number($('dry-window').value);
  const to = new Date(), from = new Date(to.getTime() - hours * 3600_000);
  $('dry-result').replaceChildren();
  $('run-dry').disabled = true;
  say('dry-status', 'Starting the dry run…');
  let job;
  try {
    job = await api.startReplay({ surface: S.surface, policyYaml: S.yaml, from: from.toISOString(), to: to.toISOString() });
  } catch (e) {
    $('run-dry').disabled = false;
    if (e instanceof ApiError && (e.status === 404 || e.status === 405)) say('dry-status', 'Dry runs are not available on this server (its replay service is not installed).', 'error');
    else say('dry-status', `The dry run could not start: ${problemText(e)}`, 'error');
    return;
  }
  $('dry-progress').hidden = false;
  const poll = async () => {
    let st;
    try { st = await api.replay(job.jobId); } catch (e) {
      $('run-dry').disabled = false;
      say('dry-status', `Lost track of the dry run: ${problemText(e)}`, 'error');
      return;
    }
    const p = Number(st.progress);
    $('dry-bar').value = Number.isFinite(p) ? Math.max(0, Math.min(1, p)) : 0;
    // the job view (docs/replay.md): status running | done | failed, progress, processed, result (the replay report), error (a problem)
    $('dry-progress-text').textContent = `${Math.round(($('dry-bar').value) * 100)}% · ${st.processed} logged requests read`;
    if (st.status === 'running') { say('dry-status', 'Replaying logged requests with your draft…'); dryTimer = setTimeout(poll, 700); return; }
    $('run-dry').disabled = false;
    if (st.status === 'failed') { say('dry-status', `The dry run failed: ${st.error.detail}`, 'error'); return; }
    $('dry-bar').value = 1;
    say('dry-status', `Dry run finished: ${st.processed} logged requests read.`, 'ok');
    $('dry-result').replaceChildren(renderDryRun(st.result, el, svgEl));
  };
  poll();
}

// ---------- start ----------
async function start() {
  // The rule vocabulary (types, fields, labels, limits) comes from the rule files' JSON Schema, served by Ranker.
  try {
    useSchema(await api.policySchema());
  } catch (e) {
    say('surface-list', `Cannot load the rule vocabulary (GET /v1/schemas/policy): ${problemText(e)}. Reload the page to try again.`, 'error');
    return;
  }
  wireSignIn();
  wireEditor();
  wirePreview();
  wirePublish();
  wireHistory();
  $('run-dry').addEventListener('click', runDry);
  renderAccount();
  loadAttributes();
  await loadSurfaces();
  if (!S.surfaces.length) return;
  const names = S.surfaces.map((s) => s.surface);
  const wanted = new URLSearchParams(location.search).get('surface') || localStorage.getItem('ranker.console.surface');
  await selectSurface(names.includes(wanted) ? wanted : names.includes('feed') ? 'feed' : names[0]);
  document.body.dataset.ready = 'true';
}
start();
