// Edits one value of the YAML text in place, so that editing with the forms keeps the file's comments, layout and
// number spelling (3.0 stays 3.0 elsewhere). Returns null when the edit is not a simple in-place change; the caller
// then re-writes the whole text.

const PLAIN = /^[A-Za-z_][\w .\/-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|~)$/i;

/** A value as YAML flow text: numbers and booleans bare, safe words plain, other strings double-quoted. */
export function flow(v) {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}: ${flow(x)}`).join(', ')}}`;
  const s = String(v);
  return PLAIN.test(s) && !RESERVED.test(s) && s.trim() === s ? s : JSON.stringify(s);
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
function replaceValue(line, key, value) {
  const m = new RegExp(`^(\\s*(?:-\\s+)?${key}\\s*:)(\\s*)([^#]*?)(\\s+#.*)?$`).exec(line);
  if (!m || m[3] === '') return null; // block value on the following lines: not a one-line edit
  return `${m[1]} ${flow(value)}${m[4] || ''}`;
}

export function patchRuleField(text, ruleIndex, key, value) {
  if (value === undefined || !/^\w+$/.test(key)) return null;
  const lines = text.split('\n');
  const ranges = ruleRanges(lines);
  if (!ranges || !ranges[ruleIndex]) return null;
  const [from, to] = ranges[ruleIndex];
  const first = /^(\s*-\s+)/.exec(lines[from]);
  const keyCol = first ? first[1].length : -1;
  for (let i = from; i < to; i++) {
    const m = new RegExp(`^(\\s*(?:-\\s+)?)${key}\\s*:`).exec(lines[i]);
    if (!m || m[1].length !== keyCol) continue;
    const patched = replaceValue(lines[i], key, value);
    if (patched === null) return null;
    lines[i] = patched;
    return lines.join('\n');
  }
  return null;
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
