// Unit tests of the console's pure helpers (condition trees, active windows, YAML writing), with Node's own test
// runner: node --test e2e/helpers.test.mjs. No browser and no service needed.
process.env.TZ = 'Europe/Berlin'; // before any Date is made: the active-window conversions are tested in a known zone
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONSOLE = path.join(ROOT, 'src/main/resources/META-INF/resources/console');
const rules = await import(path.join(CONSOLE, 'js/rules.js'));
const patch = await import(path.join(CONSOLE, 'js/patch.js'));
const jsyaml = await import(path.join(CONSOLE, 'vendor/js-yaml.mjs'));
const load = (t) => jsyaml.load(t, { schema: jsyaml.CORE_SCHEMA });
const FIXTURE = fs.readFileSync(path.join(ROOT, 'e2e/fixtures/combined-conditions.yaml'), 'utf8');
const POLICIES = ['feed', 'search'].map((s) => fs.readFileSync(path.join(ROOT, `ranking-config/policies/${s}.yaml`), 'utf8'));
// The rule vocabulary comes from the schema the service serves (GET /v1/schemas/policy is this file, packaged).
const SCHEMA = JSON.parse(fs.readFileSync(path.join(ROOT, 'ranking-config/policies/policy.schema.json'), 'utf8'));
rules.useSchema(SCHEMA);

const leaf = (attribute, eq) => ({ attribute, eq });

test('conditionKind tells groups, not, checks the form edits, and anything else apart', () => {
  assert.equal(rules.conditionKind({ all: [leaf('a', 1)] }), 'all');
  assert.equal(rules.conditionKind({ any: [leaf('a', 1)] }), 'any');
  assert.equal(rules.conditionKind({ not: leaf('a', 1) }), 'not');
  assert.equal(rules.conditionKind(leaf('a', 1)), 'leaf');
  assert.equal(rules.conditionKind({ segment: ['vip', 'gold'] }), 'leaf');
  assert.equal(rules.conditionKind({ context: 'age_group', prefix: 'min' }), 'leaf');
  assert.equal(rules.conditionKind({ attribute: 'a', eq: 1, in: [1] }), 'other');
  assert.equal(rules.conditionKind({ all: [leaf('a', 1)], any: [] }), 'other');
  assert.equal(rules.conditionKind({ not: 'x' }), 'other');
  assert.equal(rules.conditionKind(null), 'other');
});

test('building "any of: out of stock, not (brand is X)" step by step, as the forms do', () => {
  let c = leaf('in_stock', false);
  c = rules.wrapAt(c, [], 'all');
  assert.deepEqual(c, { all: [leaf('in_stock', false), rules.newCheck()] });
  c = rules.switchGroup(c, [], 'any');
  c = rules.setAt(c, ['any', 1], leaf('brand', 'Voltix'));
  c = rules.wrapAt(c, ['any', 1], 'not');
  assert.deepEqual(c, { any: [leaf('in_stock', false), { not: leaf('brand', 'Voltix') }] });
  assert.equal(rules.describeCondition(c), 'in_stock is false or not (brand is Voltix)');
});

test('tree edits leave the old tree untouched', () => {
  const before = { any: [leaf('a', 1), { not: leaf('b', 2) }] };
  const copy = structuredClone(before);
  rules.setAt(before, ['any', 1, 'not'], leaf('c', 3));
  rules.removeAt(before, ['any', 0]);
  rules.addTo(before, [], leaf('d', 4));
  rules.wrapAt(before, ['any', 0], 'not');
  rules.unwrapAt(before, ['any', 1]);
  rules.switchGroup(before, [], 'all');
  assert.deepEqual(before, copy);
});

test('removing: a check, the last check of a group (the group goes), the check of a not (the not goes)', () => {
  const c = { all: [leaf('a', 1), { any: [leaf('b', 2)] }, { not: leaf('c', 3) }] };
  assert.deepEqual(rules.removeAt(c, ['all', 0]), { all: [{ any: [leaf('b', 2)] }, { not: leaf('c', 3) }] });
  assert.deepEqual(rules.removeAt(c, ['all', 1, 'any', 0]), { all: [leaf('a', 1), { not: leaf('c', 3) }] });
  assert.deepEqual(rules.removeAt(c, ['all', 2, 'not']), { all: [leaf('a', 1), { any: [leaf('b', 2)] }] });
  assert.equal(rules.removeAt({ all: [leaf('a', 1)] }, ['all', 0]), undefined);
  assert.equal(rules.removeAt(leaf('a', 1), []), undefined);
});

test('adding to a nested group, unwrapping a not and a one-check group, switching all/any keeps the checks', () => {
  const c = { all: [{ any: [leaf('a', 1)] }, { not: leaf('b', 2) }] };
  assert.deepEqual(rules.addTo(c, ['all', 0], leaf('x', 9)), { all: [{ any: [leaf('a', 1), leaf('x', 9)] }, { not: leaf('b', 2) }] });
  assert.throws(() => rules.addTo(c, ['all', 1], leaf('x', 9)));
  assert.deepEqual(rules.unwrapAt(c, ['all', 1]), { all: [{ any: [leaf('a', 1)] }, leaf('b', 2)] });
  assert.deepEqual(rules.unwrapAt(c, ['all', 0]), { all: [leaf('a', 1), { not: leaf('b', 2) }] });
  assert.deepEqual(rules.switchGroup(c, ['all', 0], 'all'), { all: [{ all: [leaf('a', 1)] }, { not: leaf('b', 2) }] });
  assert.equal(rules.switchGroup(c, ['all', 1], 'any'), c, 'a not is not a group');
});

test('plain words bracket nested groups so that "and" and "or" cannot be misread', () => {
  const c = { any: [{ all: [leaf('a', 1), leaf('b', 2)] }, { segment: 'vip' }] };
  assert.equal(rules.describeCondition(c), '(a is 1 and b is 2) or the customer is in segment vip');
  assert.equal(rules.describeCondition({ all: [leaf('a', 1), { any: [leaf('b', 2), leaf('c', 3)] }] }), 'a is 1 and (b is 2 or c is 3)');
});

test('a slot rule names its backfill; a rule with an active window says when it is in force', () => {
  const slot = { type: 'slot', when: leaf('sponsored', true), positions: [3, 8], backfill: { not: leaf('rating', 1) } };
  assert.match(rules.describeRule(slot), /fill them with the best items where not \(rating is 1\)/);
  const r = { type: 'filter', when: leaf('a', 1), active: { from: '2026-12-01T00:00:00Z', until: '2027-01-01T00:00:00Z' } };
  assert.equal(rules.describeRule(r), 'Hide items where a is 1. Only in force from 2026-12-01T00:00:00Z until 2027-01-01T00:00:00Z.');
  assert.equal(rules.describeActive({ until: 'X' }), 'In force until X.');
  assert.equal(rules.describeActive(undefined), '');
});

test('active window: local date-time inputs become the UTC instants Instant.parse reads, and back', () => {
  assert.equal(rules.localInputToIso('2026-12-01T09:00'), '2026-12-01T08:00:00Z'); // CET, UTC+1
  assert.equal(rules.localInputToIso('2026-07-01T09:00'), '2026-07-01T07:00:00Z'); // CEST, UTC+2
  assert.equal(rules.localInputToIso('2026-07-01T09:00:30'), '2026-07-01T07:00:30Z');
  assert.equal(rules.localInputToIso(''), '');
  assert.equal(rules.localInputToIso('2026-07-01'), '');
  assert.equal(rules.isoToLocalInput('2026-12-01T08:00:00Z'), '2026-12-01T09:00');
  assert.equal(rules.isoToLocalInput('2026-12-01T08:00:15Z'), '2026-12-01T09:00:15');
  assert.equal(rules.isoToLocalInput('2026-12-01T10:00:00+02:00'), '2026-12-01T09:00');
  assert.equal(rules.isoToLocalInput('soon'), '');
  for (const iso of ['2026-01-01T00:00:00Z', '2026-03-29T01:30:00Z', '2026-10-25T00:59:59Z']) {
    assert.equal(rules.localInputToIso(rules.isoToLocalInput(iso)), iso);
  }
});

test('validator messages about active windows in plain words', () => {
  assert.equal(rules.plainError("rule 'x': 'active.from' must be before 'until'"), 'the start of the active window must be before its end');
  assert.equal(rules.plainError("not an ISO-8601 instant such as 2026-12-01T00:00:00Z: 'tomorrow'"), '“tomorrow” is not a date and time (e.g. 2026-12-01T00:00:00Z)');
});

/** Each rule's float spellings by id, as the console remembers them. */
function floatsById(text) {
  const doc = load(text);
  const m = new Map(patch.ruleTexts(text).map((t, i) => [doc.rules[i].id, patch.floatSpellings(t)]));
  return (r) => m.get(r.id);
}

test('writing the whole file from the forms gives back the same data, floats spelled as floats', () => {
  for (const text of [FIXTURE, ...POLICIES]) {
    const doc = load(text);
    const out = patch.documentText(doc, '', floatsById(text));
    assert.deepEqual(load(out), doc);
    for (const f of text.matchAll(/\w+: -?\d+\.0\b/g)) assert.ok(out.includes(f[0]), `${f[0]} is kept`);
  }
});

test('rewriting one rule changes only its lines; its floats, the comments and other rules stay as written', () => {
  const text = FIXTURE;
  const doc = load(text);
  for (let i = 0; i < doc.rules.length; i++) {
    const out = patch.replaceRule(text, i, doc.rules[i]);
    assert.deepEqual(load(out), doc, `rule ${i}`);
    assert.ok(out.startsWith(text.split('\nrules:')[0]), 'header and comments kept');
    for (const f of ['min: 0.0', 'max: 3.0', 'max: 4.0', 'max: 5}']) assert.ok(out.includes(f), `${f} kept after rewriting rule ${i}`);
  }
  const changed = structuredClone(doc.rules[1]);
  changed.when = rules.removeAt(changed.when, ['all', 2]);
  const out = patch.replaceRule(text, 1, changed);
  const after = load(out);
  assert.deepEqual(after.rules[1], changed);
  assert.deepEqual(after.rules.filter((_, k) => k !== 1), doc.rules.filter((_, k) => k !== 1));
  const untouched = (t) => t.split('\n').filter((l) => !/^ {4,}/.test(l) || /winter|sponsored|rating/.test(l));
  assert.ok(out.split('\n').length < text.split('\n').length);
  assert.deepEqual(untouched(out).filter((l) => /winter|sponsored/.test(l)), untouched(text).filter((l) => /winter|sponsored/.test(l)));
});

test('nested conditions are written as indented lists, checks on one line each', () => {
  const rule = { id: 'x', type: 'filter', when: { any: [leaf('in_stock', false), { not: leaf('brand', 'Voltix') }] } };
  const out = patch.documentText({ rules: [rule] });
  assert.equal(out, [
    'rules:',
    '  - id: x',
    '    type: filter',
    '    when:',
    '      any:',
    '        - {attribute: in_stock, eq: false}',
    '        - not: {attribute: brand, eq: Voltix}',
    ''].join('\n'));
  assert.equal(patch.patchRuleField('rules:\n  - id: x\n    when: {attribute: a, eq: 1}\n', 0, 'when', rule.when), null,
    'a nested condition is not squeezed onto one line');
});

test('values that YAML would misread are quoted', () => {
  for (const v of ['yes', 'no', 'on', '3', '2026-12-01T00:00:00Z', 'a: b', '#x', '', ' pad', 'null']) {
    assert.deepEqual(load(patch.documentText({ rules: [{ id: 'x', type: 'filter', when: leaf('brand', v) }] })).rules[0].when.eq, v);
  }
});

test('a key the forms add back goes to its usual place in the rule', () => {
  const keys = (r) => Object.keys(r).join(',');
  assert.equal(keys(rules.withKey({ id: 'c', type: 'cap', attribute: 'brand', topK: 10 }, 'max', 3)), 'id,type,attribute,max,topK');
  assert.equal(keys(rules.withKey({ id: 'f', type: 'filter', when: {} }, 'active', {})), 'id,type,active,when');
  assert.equal(keys(rules.withKey({ id: 's', type: 'slot', when: {}, positions: [3] }, 'backfill', {})), 'id,type,when,positions,backfill');
  assert.equal(keys(rules.withKey({ id: 'x', type: 'odd', zzz: 1 }, 'yyy', 2)), 'id,type,zzz,yyy');
  const r = { id: 'b', type: 'boost', when: {}, multiply: 2 };
  assert.deepEqual(rules.withKey(r, 'multiply', 3), { id: 'b', type: 'boost', when: {}, multiply: 3 });
  assert.equal(r.multiply, 2, 'the old rule is left alone');
});

test('a float spelling belongs to its rule: a range "max: 3.0" does not make a cap\'s "max: 3" a float', () => {
  const text = POLICIES[1].replace('max: 2', 'max: 3');
  const doc = load(text);
  doc.rules.reverse();
  const out = patch.documentText(doc, '', floatsById(text));
  assert.match(out, /range: \{max: 3\.0\}/);
  assert.match(out, /\n {4}max: 3\n/);
  assert.deepEqual(load(out), doc);
});

test('an empty "is one of" list in plain words', () => {
  assert.equal(rules.plainError("rule 'x': the list of values is empty"), 'give at least one value (comma separated)');
});
