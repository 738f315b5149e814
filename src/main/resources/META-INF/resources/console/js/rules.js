// The rule vocabulary in plain words (from the rule files' JSON Schema, see vocabulary.js), the sentences that
// describe rules and conditions, and the pure helpers the forms use to edit them.
import { vocabularyFrom } from './vocabulary.js';

let V = { types: {}, typeNames: [], common: [], operators: {} };

/** Reads the vocabulary from the rule-file schema (GET /v1/schemas/policy); the console calls it once at load. */
export function useSchema(schema) {
  V = vocabularyFrom(schema);
  return V;
}

/** Rule types in the schema's order: {type, name, help, example, fields, forbidden(rule)}. */
export function ruleTypes() { return V.types; }

/** A rule type's description, or undefined for a type the schema does not describe. */
export function ruleType(type) { return Object.hasOwn(V.types, type) ? V.types[type] : undefined; }

/** The rule a product owner starts from when adding one of this type (the schema's example, without its id). */
export function newRule(type) { return structuredClone(ruleType(type)?.example ?? { type }); }

/** The fields the form shows for this rule: its type's fields, less those the rest of the rule rules out. */
export function fieldsFor(rule) {
  const t = ruleType(rule?.type);
  if (!t) return [];
  const out = new Set(t.forbidden(rule));
  return t.fields.filter((f) => !out.has(f.key));
}

/** Condition operators the forms offer: {op: words}; for a segment, those taking one value or a list. */
export function operatorWords(forSegment = false) {
  return Object.fromEntries(Object.entries(V.operators)
    .filter(([, o]) => !forSegment || o.shape === 'scalar' || o.shape === 'list').map(([k, o]) => [k, o.words]));
}
/** How an operator's value is written: 'list', 'range' ({min, max}), 'flag', 'text' or 'scalar'. */
export const operatorShape = (op) => V.operators[op]?.shape;
const shapeOf = operatorShape;
const opWithShape = (shape) => Object.keys(V.operators).find((k) => V.operators[k].shape === shape);

/** A number field's limits in words ('' when the value is within them): the schema's minimum, maximum, integer. */
export function limitProblem(f, value) {
  if (f.kind !== 'number' || value === undefined || value === null || value === '') return '';
  const n = Number(value);
  const range = f.min !== undefined && f.max !== undefined ? `from ${f.min} to ${f.max}`
    : f.min !== undefined ? `at least ${f.min}` : f.max !== undefined ? `at most ${f.max}` : '';
  const what = f.integer ? 'a whole number' : 'a number';
  if (!Number.isFinite(n) || (f.integer && !Number.isInteger(n)) || (f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max)) {
    return `“${f.title}” must be ${what}${range ? ` ${range}` : ''}.`;
  }
  return '';
}

const show = (v) => (Array.isArray(v) ? v.join(', ') : v === undefined || v === null ? '…' : String(v));

/** A simple condition the form can edit: one attribute or context key, one operator. Null when not simple. */
export function simpleCondition(c) {
  if (!c || typeof c !== 'object' || Array.isArray(c)) return null;
  if ('segment' in c && Object.keys(c).length === 1) {
    const op = opWithShape(Array.isArray(c.segment) ? 'list' : 'scalar');
    return op ? { on: 'segment', name: 'segment', op, value: c.segment } : null;
  }
  const on = 'attribute' in c ? 'attribute' : 'context' in c ? 'context' : null;
  if (!on) return null;
  const ops = Object.keys(c).filter((k) => k !== on);
  if (ops.length !== 1 || !shapeOf(ops[0])) return null;
  return { on, name: c[on], op: ops[0], value: c[ops[0]] };
}

/** Rebuilds a condition from the form's fields. */
export function conditionFrom({ on, name, op, value }) {
  if (on === 'segment') return { segment: shapeOf(op) === 'list' ? listOf(value) : String(value ?? '') };
  const c = { [on]: name };
  const shape = shapeOf(op);
  if (shape === 'list') c[op] = listOf(value).map(scalar);
  else if (shape === 'range') c[op] = value && typeof value === 'object' ? value : {};
  else if (shape === 'flag') c[op] = value === true || value === 'true';
  else if (shape === 'text') c[op] = String(value ?? '');
  else c[op] = scalar(value);
  return c;
}

export function listOf(v) {
  if (Array.isArray(v)) return v;
  return String(v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** "true" -> true, "3" -> 3, else the text. */
export function scalar(v) {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t !== '' && !Number.isNaN(Number(t))) return Number(t);
  return t;
}

export function describeCondition(c, nested = false) {
  if (!c || typeof c !== 'object') return '…';
  const group = (parts, word) => (nested && parts.length > 1 ? `(${parts.map((p) => describeCondition(p, true)).join(word)})`
    : parts.map((p) => describeCondition(p, true)).join(word));
  if (Array.isArray(c.all)) return group(c.all, ' and ');
  if (Array.isArray(c.any)) return group(c.any, ' or ');
  if (c.not) return `not (${describeCondition(c.not)})`;
  if ('segment' in c) return `the customer is in segment ${show(c.segment)}`;
  const s = simpleCondition(c);
  if (!s) return JSON.stringify(c);
  const who = s.on === 'context' ? `the request's ${s.name}` : s.name;
  const words = V.operators[s.op].words;
  switch (shapeOf(s.op)) {
    case 'range': {
      const r = s.value || {};
      if (r.min !== undefined && r.max !== undefined) return `${who} is between ${r.min} and ${r.max}`;
      if (r.max !== undefined) return `${who} is at most ${r.max}`;
      return `${who} is at least ${r.min}`;
    }
    case 'flag': return s.value ? `${who} is set` : `${who} is not set`;
    case 'text': return `${who} ${words} "${s.value}"`;
    default: return `${who} ${words} ${show(s.value)}`;
  }
}

/** One sentence a product owner can read (and when the rule is in force, if it has an active window). */
export function describeRule(r, fmtTime) {
  if (!r || typeof r !== 'object') return '';
  const when = describeActive(r.active, fmtTime);
  return when ? `${describeWhat(r)} ${when}` : describeWhat(r);
}

function describeWhat(r) {
  const when = r.when ? describeCondition(r.when) : '';
  const v = (key) => r[key] ?? fieldOf(r.type, key)?.default; // an absent field means its default
  switch (r.type) {
    case 'filter': return `Hide items where ${when}.`;
    case 'boost': return `Raise items where ${when} (score × ${r.multiply ?? 1}${r.add ? ` + ${r.add}` : ''}).`;
    case 'bury': return `Lower items where ${when} (score × ${r.multiply ?? 1}${r.add ? ` + ${r.add}` : ''}).`;
    case 'freshness': return `Prefer new items${r.when ? ` where ${when}` : ''}: older ones lose half their advantage every ${r.halfLife ?? '…'}, keeping at least ${Math.round((v('floor') ?? 0) * 100)}%.`;
    case 'exclude_seen': return `Hide items the customer had (${show(r.events ?? 'any event')}) in the last ${r.window ?? '…'}.`;
    case 'diversify': return `Spread out items ${r.method === 'mmr' ? 'that look alike' : `with the same ${r.attribute ?? '…'}`} in the top ${v('window') ?? '…'} (strength ${v('strength') ?? '…'}).`;
    case 'pin': return `Put ${r.item ? `item ${r.item}` : `the best item where ${when}`} at position ${r.position ?? '…'}.`;
    case 'slot': return `Keep position${[].concat(r.positions ?? []).length === 1 ? '' : 's'} ${show(r.positions)} for the best items where ${when}`
      + (r.backfill ? `; when none is left, fill them with the best items where ${describeCondition(r.backfill)}.` : '.');
    case 'cap': return `At most ${r.max ?? '…'} items per ${r.attribute ?? '…'} in the top ${r.topK ?? '…'}.`;
    default: return describeFromSchema(r);
  }
}

const fieldOf = (type, key) => ruleType(type)?.fields.find((f) => f.key === key);

/** A rule type without its own sentence above (e.g. one just added to the schema): its name and its fields. */
function describeFromSchema(r) {
  const t = ruleType(r.type);
  if (!t) return `A ${r.type ?? 'rule without a type'} rule (edit it in the YAML text view).`;
  const parts = fieldsFor(r).filter((f) => r[f.key] !== undefined)
    .map((f) => `${f.title.replace(/\s*\(.*\)$/, '')} ${f.kind === 'condition' ? describeCondition(r[f.key]) : show(r[f.key])}`);
  return `${t.name}${parts.length ? `: ${parts.join('; ')}` : ''}.`;
}

/** Plain words for what a rule did to an item (a trace entry). */
export const ACTION_WORDS = {
  filtered: 'hidden', boosted: 'raised', buried: 'lowered', pinned: 'pinned', slotted: 'in a reserved slot',
  capped: 'held back by a limit', diversified: 'moved to spread out', decayed: 'lowered for age', seen: 'hidden (already seen)',
};

/** Plain words for the server's rule-by-rule diff lines. */
export function describeDiffLine(line) {
  let m;
  if ((m = /^~ rule (\S+): (.+?): (.*) -> (.*)$/.exec(line))) return `Rule “${m[1]}”: ${m[2]} changed from ${m[3]} to ${m[4]}`;
  if ((m = /^\+ rule (\S+) \((\w+)\)/.exec(line))) return `Rule “${m[1]}” added (${ruleType(m[2])?.name ?? m[2]})`;
  if ((m = /^- rule (\S+) \((\w+)\)/.exec(line))) return `Rule “${m[1]}” removed (${ruleType(m[2])?.name ?? m[2]})`;
  if ((m = /^~ order: (.*) -> (.*)$/.exec(line))) return `Order of rules changed: ${m[1]} → ${m[2]}`;
  if ((m = /^~ (\w+): (.*) -> (.*)$/.exec(line))) return `${m[1]} changed from ${m[2]} to ${m[3]}`;
  return line;
}

/** The validator's messages, reworded where a product owner would stumble; anything else is shown as is. */
export function plainError(message) {
  let m = String(message ?? '');
  m = m.replace(/^rule '([^']+)': /, ''); // the message is shown at the rule already
  m = m.replace(/'(\w+)' must be an integer in \[(-?\d+), (-?\d+)\], got (.+)$/, '“$1” must be a whole number from $2 to $3 (it is $4)');
  m = m.replace(/'(\w+)' must be a number in \[([^,]+), ([^\]]+)\], got (.+)$/, '“$1” must be a number from $2 to $3 (it is $4)');
  m = m.replace(/'(\w+)' must be an integer, got '(.*)'/, '“$1” must be a whole number, not “$2”');
  m = m.replace(/'(\w+)' must be a number, got '(.*)'/, '“$1” must be a number, not “$2”');
  m = m.replace(/unknown attribute '([^']+)'/, 'no item has an attribute called “$1” (check the spelling)');
  m = m.replace(/'active\.from' must be before 'until'/, 'the start of the active window must be before its end');
  m = m.replace(/not an ISO-8601 instant such as (\S+): '(.*)'$/, '“$2” is not a date and time (e.g. $1)');
  m = m.replace(/^the list of values is empty$/, 'give at least one value (comma separated)');
  m = m.replace(/^malformed YAML: /, 'the text is not valid YAML: ');
  return m;
}

// ---------- combined conditions (all / any / not) as a tree the forms edit ----------
// A path names one node of a condition tree: [] is the root, ['any', 1] the second check of an "any" group,
// ['any', 1, 'not'] the check inside that "not". Every operation returns a new tree and leaves the old one alone.

export const COMBINE_WORDS = { all: 'all of these', any: 'any of these' };

/** 'all' | 'any' | 'not' | 'leaf' (a check the form can edit) | 'other' (only the YAML text can edit it). */
export function conditionKind(c) {
  if (!c || typeof c !== 'object' || Array.isArray(c)) return 'other';
  const keys = Object.keys(c);
  for (const k of ['all', 'any']) if (k in c) return keys.length === 1 && Array.isArray(c[k]) ? k : 'other';
  if ('not' in c) return keys.length === 1 && c.not && typeof c.not === 'object' ? 'not' : 'other';
  return simpleCondition(c) ? 'leaf' : 'other';
}

/** A fresh check to start from: "the item's brand is …". */
export function newCheck() { return { attribute: 'brand', eq: '' }; }

export function getAt(root, path) {
  let c = root;
  for (const step of path) { if (c === undefined || c === null) return undefined; c = c[step]; }
  return c;
}

/** The tree with the node at `path` replaced by `value`. */
export function setAt(root, path, value) {
  if (!path.length) return value;
  const [step, ...rest] = path;
  const copy = Array.isArray(root) ? [...root] : { ...root };
  copy[step] = setAt(root[step], rest, value);
  return copy;
}

/**
 * The tree without the node at `path`. A group left empty, or a "not" left without its check, goes too;
 * undefined when nothing is left.
 */
export function removeAt(root, path) {
  if (!path.length) return undefined;
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  const parent = getAt(root, parentPath);
  if (Array.isArray(parent)) {
    const list = parent.filter((_, i) => i !== last);
    if (list.length) return setAt(root, parentPath, list);
    return removeAt(root, parentPath.slice(0, -1)); // the group ([..., 'any']) itself
  }
  return removeAt(root, parentPath); // a "not" without its check
}

/** Adds `child` to the group at `path` (a node of kind all/any). */
export function addTo(root, path, child) {
  const g = getAt(root, path);
  const k = conditionKind(g);
  if (k !== 'all' && k !== 'any') throw new Error(`not a group at ${path.join('/')}`);
  return setAt(root, [...path, k], [...g[k], child]);
}

/** Wraps the node at `path`: in a group with one more check ('all' / 'any') or in a "not". */
export function wrapAt(root, path, how) {
  const c = getAt(root, path);
  if (how === 'not') return setAt(root, path, { not: c });
  return setAt(root, path, { [how]: [c, newCheck()] });
}

/** Replaces a "not" by its check, or a one-check group by that check. */
export function unwrapAt(root, path) {
  const c = getAt(root, path);
  const k = conditionKind(c);
  if (k === 'not') return setAt(root, path, c.not);
  if ((k === 'all' || k === 'any') && c[k].length === 1) return setAt(root, path, c[k][0]);
  return root;
}

/** Switches a group between "all of these" and "any of these", keeping its checks. */
export function switchGroup(root, path, to) {
  const c = getAt(root, path);
  const k = conditionKind(c);
  if ((k !== 'all' && k !== 'any') || k === to) return root;
  return setAt(root, path, { [to]: c[k] });
}

// ---------- a rule's active window ----------
const pad2 = (n) => String(n).padStart(2, '0');

/** An ISO-8601 instant as the value of an <input type="datetime-local"> in this browser's time zone ('' if not one). */
export function isoToLocalInput(iso) {
  if (typeof iso !== 'string' || !iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const base = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  return d.getSeconds() || d.getMilliseconds() ? `${base}:${pad2(d.getSeconds())}` : base;
}

/**
 * The value of a datetime-local input (local time) as the ISO-8601 instant the rule parser reads (Instant.parse:
 * UTC with a Z, e.g. 2026-12-01T08:00:00Z); '' for an empty or unreadable input.
 */
export function localInputToIso(local) {
  if (typeof local !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(local)) return '';
  const d = new Date(local); // a date-time without an offset is local time
  if (Number.isNaN(d.getTime())) return '';
  return d.toISOString().replace('.000Z', 'Z');
}

/** "from … until …" in plain words, '' when the rule is always in force. */
export function describeActive(a, fmt = (iso) => iso) {
  if (!a || typeof a !== 'object') return '';
  if (a.from && a.until) return `Only in force from ${fmt(a.from)} until ${fmt(a.until)}.`;
  if (a.from) return `In force from ${fmt(a.from)} on.`;
  if (a.until) return `In force until ${fmt(a.until)}.`;
  return '';
}

// A key the forms add back goes to its usual place, not to the end: the common keys (id, type, description,
// active), then the rule type's fields in the schema's order.
const keyOrder = (type) => [...V.common, ...(ruleType(type)?.fields.map((f) => f.key) ?? [])];

/** The rule with `key` set to `value`: in place when it has the key, else before the first key that usually follows. */
export function withKey(rule, key, value) {
  if (key in rule) return { ...rule, [key]: value };
  const order = keyOrder(rule.type);
  const rank = (k) => { const n = order.indexOf(k); return n < 0 ? order.length : n; };
  const entries = Object.entries(rule);
  let at = entries.findIndex(([k]) => rank(k) > rank(key));
  if (at < 0) at = entries.length;
  entries.splice(at, 0, [key, value]);
  return Object.fromEntries(entries);
}
