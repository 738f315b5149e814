// Edits one value of the YAML text in place, so that editing with the forms keeps the file's comments, layout and
// number spelling (3.0 stays 3.0 elsewhere). Returns null when the edit is not a simple in-place change; the caller
// then re-writes the whole text.

const PLAIN = /^[A-Za-z_][\w .\/-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|~)$/i;

/**
 * A value as YAML flow text: numbers and booleans bare, safe words plain, other strings double-quoted.
 * `floats` (from floatSpellings) keeps "max: 3.0" as 3.0: the parser hashes 3.0 and 3 differently.
 */
export function flow(v, floats = NO_FLOATS, key = null) {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) && floats.has(`${key}=${v}`) ? `${v}.0` : String(v);
  if (typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map((x) => flow(x, floats, key)).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}: ${flow(x, floats, k)}`).join(', ')}}`;
  const s = String(v);
  return PLAIN.test(s) && !RESERVED.test(s) && s.trim() === s ? s : JSON.stringify(s);
}

const NO_FLOATS = new Set();

/** The "key=N" pairs a text spells as a float with nothing after the point (max: 3.0), to write them back alike. */
export function floatSpellings(text) {
  const out = new Set();
  for (const m of String(text).matchAll(/([\w-]+)\s*:\s*(-?\d+)\.0*(?=\s*[,}\]#]|\s*$)/gm)) out.add(`${m[1]}=${Number(m[2])}`);
  return out;
}

const isScalar = (v) => v === null || typeof v !== 'object';
const COMBINERS = ['all', 'any', 'not'];

/** Whether a value reads well on one line: scalars, lists of scalars, a check such as {attribute: x, range: {max: 3}}. */
export function isFlat(v, depth = 0) {
  if (isScalar(v)) return true;
  if (Array.isArray(v)) return v.every(isScalar);
  if (depth > 1 || Object.keys(v).some((k) => COMBINERS.includes(k))) return false;
  return Object.values(v).every((x) => isFlat(x, depth + 1) && (depth === 0 || isScalar(x)));
}

/** Block YAML lines for a mapping at `indent` spaces: flat values inline, groups of conditions as nested lists. */
export function mappingLines(obj, indent, floats = NO_FLOATS) {
  const pad = ' '.repeat(indent);
  const lines = [];
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    if (isFlat(v)) { lines.push(`${pad}${k}: ${flow(v, floats, k)}`); continue; }
    lines.push(`${pad}${k}:`);
    if (Array.isArray(v)) {
      if (!v.length) { lines[lines.length - 1] += ' []'; continue; }
      for (const item of v) lines.push(...listItemLines(item, indent + 2, floats, k));
    } else {
      lines.push(...mappingLines(v, indent + 2, floats));
    }
  }
  return lines;
}

function listItemLines(item, indent, floats, key, block = false) {
  const pad = ' '.repeat(indent);
  if ((!block && isFlat(item)) || isScalar(item) || Array.isArray(item)) return [`${pad}- ${flow(item, floats, key)}`];
  const inner = mappingLines(item, indent + 2, floats);
  if (!inner.length) return [`${pad}- {}`];
  inner[0] = `${pad}- ${inner[0].slice(indent + 2)}`;
  return inner;
}

/**
 * The whole rule file as text: header comments kept, then surface, description and the rules, a blank line apart.
 * `floatsFor(rule)` gives each rule's float spellings (per rule: "max: 3.0" of a range must not turn a cap's max to 3.0).
 */
export function documentText(doc, headerComments = '', floatsFor = () => NO_FLOATS) {
  const top = [];
  const { rules, ...rest } = doc;
  top.push(...mappingLines(rest, 0));
  if (!Array.isArray(rules) || !rules.length) {
    top.push('rules: []');
    return headerComments + top.join('\n') + '\n';
  }
  top.push('rules:');
  const blocks = rules.map((r) => listItemLines(r, 2, floatsFor(r) || NO_FLOATS, null, true).join('\n'));
  return headerComments + top.join('\n') + '\n' + blocks.join('\n\n') + '\n';
}

/** The line ranges of the items of the top-level "rules:" list. */
function ruleRanges(lines) {
  const rulesLine = lines.findIndex((l) => /^rules\s*:\s*(#.*)?$/.test(l));
  if (rulesLine < 0) return null;
  const starts = [];
  let itemIndent = null, end = lines.length;
  for (let i = rulesLine + 1; i < lines.length; i++) {
    const l = lines[i];
    if (/^\s*(#.*)?$/.test(l)) continue;
    if (/^\S/.test(l) && !l.startsWith('-')) { end = i; break; }
    const m = /^(\s*)-(\s|$)/.exec(l);
    if (m && (itemIndent === null || m[1].length === itemIndent)) {
      if (itemIndent === null) itemIndent = m[1].length;
      starts.push(i);
    }
  }
  return starts.map((s, k) => [s, k + 1 < starts.length ? starts[k + 1] : end]);
}

/** Replaces the inline value of `key` on one line, keeping a trailing comment. */
function replaceValue(line, key, value, known = NO_FLOATS) {
  const m = new RegExp(`^(\\s*(?:-\\s+)?${key}\\s*:)(\\s*)([^#]*?)(\\s+#.*)?$`).exec(line);
  if (!m || m[3] === '') return null; // block value on the following lines: not a one-line edit
  return `${m[1]} ${flow(value, new Set([...known, ...floatSpellings(line)]), key)}${m[4] || ''}`;
}

/**
 * Rewrites one rule's lines (its comments are lost, every other line stays as it was), keeping the blank lines and
 * comments that follow it (they introduce the next rule). Null when the rules list cannot be found.
 */
export function replaceRule(text, ruleIndex, rule, known = NO_FLOATS) {
  const lines = text.split('\n');
  const ranges = ruleRanges(lines);
  if (!ranges || !ranges[ruleIndex] || !rule || typeof rule !== 'object') return null;
  const [from, to] = ranges[ruleIndex];
  let end = to;
  while (end > from + 1 && /^\s*(#.*)?$/.test(lines[end - 1])) end--;
  const indent = /^(\s*)-/.exec(lines[from])[1].length;
  const floats = new Set([...known, ...floatSpellings(lines.slice(from, end).join('\n'))]);
  const fresh = listItemLines(rule, indent, floats, null, true);
  return [...lines.slice(0, from), ...fresh, ...lines.slice(end)].join('\n');
}

export function patchRuleField(text, ruleIndex, key, value, known = NO_FLOATS) {
  if (value === undefined || !/^\w+$/.test(key) || !isFlat(value)) return null;
  const lines = text.split('\n');
  const ranges = ruleRanges(lines);
  if (!ranges || !ranges[ruleIndex]) return null;
  const [from, to] = ranges[ruleIndex];
  const first = /^(\s*-\s+)/.exec(lines[from]);
  const keyCol = first ? first[1].length : -1;
  for (let i = from; i < to; i++) {
    const m = new RegExp(`^(\\s*(?:-\\s+)?)${key}\\s*:`).exec(lines[i]);
    if (!m || m[1].length !== keyCol) continue;
    const patched = replaceValue(lines[i], key, value, known);
    if (patched === null) return null;
    lines[i] = patched;
    return lines.join('\n');
  }
  return null;
}

/** The text of each rule of the rules list, in order (for floatSpellings per rule). */
export function ruleTexts(text) {
  const lines = text.split('\n');
  return (ruleRanges(lines) || []).map(([from, to]) => lines.slice(from, to).join('\n'));
}

export function patchTopLevel(text, key, value) {
  if (value === undefined) return null;
  const lines = text.split('\n');
  const i = lines.findIndex((l) => new RegExp(`^${key}\\s*:`).test(l));
  if (i < 0) return null;
  const patched = replaceValue(lines[i], key, value);
  if (patched === null) return null;
  lines[i] = patched;
  return lines.join('\n');
}
