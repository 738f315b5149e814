// Unit tests of how the console reads its vocabulary from JSON Schemas: the rule forms from the rule-file schema
// (ranking-config/policies/policy.schema.json, served as GET /v1/schemas/policy) and the dry run from the replay
// report schema (src/main/resources/schemas/replay-report.schema.json, GET /v1/schemas/replay-report).
// node --test e2e/vocabulary.test.mjs; no browser and no service needed.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const JS = path.join(ROOT, 'src/main/resources/META-INF/resources/console/js');
const rules = await import(path.join(JS, 'rules.js'));
const { vocabularyFrom } = await import(path.join(JS, 'vocabulary.js'));
const dryrun = await import(path.join(JS, 'dryrun.js'));
const chart = await import(path.join(JS, 'chart.js'));
const readJson = (p) => JSON.parse(fs.readFileSync(path.join(ROOT, p), 'utf8'));
const SCHEMA = readJson('ranking-config/policies/policy.schema.json');
const REPORT_SCHEMA = readJson('src/main/resources/schemas/replay-report.schema.json');
/** A real replay report (ReplayCommandTest's capped-policy replay); ReplayCommandTest checks it against the schema. */
const REPORT = readJson('e2e/fixtures/replay-report.json');

rules.useSchema(SCHEMA);
const field = (type, key) => rules.ruleType(type).fields.find((f) => f.key === key);
const typeSchema = (schema, type) => schema.$defs.rule.allOf.find((e) => e.if.properties.type.const === type).then;

test('every rule type of the schema has a form, in the schema\'s order, named and explained by the schema', () => {
  assert.deepEqual(Object.keys(rules.ruleTypes()), SCHEMA.$defs.rule.properties.type.enum);
  for (const [type, t] of Object.entries(rules.ruleTypes())) {
    assert.equal(t.name, typeSchema(SCHEMA, type).title);
    assert.equal(t.help, typeSchema(SCHEMA, type).description);
    assert.ok(t.fields.length > 0, type);
    for (const f of t.fields) assert.notEqual(f.kind, 'other', `${type}.${f.key} has a form control`);
    const fresh = rules.newRule(type);
    assert.equal(fresh.type, type);
    assert.equal(fresh.id, undefined, 'the console names new rules itself');
  }
});

test('diversify: window from 2 to 1000 (default 50), method attribute or mmr, as the schema says', () => {
  const w = field('diversify', 'window');
  assert.deepEqual([w.kind, w.integer, w.min, w.max, w.default, w.step], ['number', true, 2, 1000, 50, 1]);
  const m = field('diversify', 'method');
  assert.equal(m.kind, 'choice');
  assert.deepEqual(m.options.map((o) => o.value), ['attribute', 'mmr']);
  assert.equal(m.default, 'attribute');
  assert.equal(rules.limitProblem(w, 1), '“Among the top” must be a whole number from 2 to 1000.');
  assert.equal(rules.limitProblem(w, 2.5), '“Among the top” must be a whole number from 2 to 1000.');
  assert.equal(rules.limitProblem(w, 2), '');
  assert.equal(rules.limitProblem(w, ''), '');
  // by mmr there is no attribute to spread on: the schema's if/then rules the field out
  assert.deepEqual(rules.fieldsFor({ type: 'diversify', method: 'mmr' }).map((f) => f.key), ['method', 'strength', 'window']);
  assert.deepEqual(rules.fieldsFor({ type: 'diversify', attribute: 'brand' }).map((f) => f.key), ['method', 'attribute', 'strength', 'window']);
  // an absent window or strength reads as its default
  assert.equal(rules.describeRule({ type: 'diversify', attribute: 'brand' }), 'Spread out items with the same brand in the top 50 (strength 0.3).');
  assert.equal(rules.describeRule({ type: 'diversify', method: 'mmr', window: 20 }), 'Spread out items that look alike in the top 20 (strength 0.3).');
});

test('limits, labels and kinds of the other fields follow the schema (boost never below 1, cap max from 0)', () => {
  assert.equal(field('boost', 'multiply').min, 1);
  assert.equal(field('bury', 'multiply').max, 1);
  assert.equal(field('bury', 'add').max, 0);
  assert.deepEqual(rules.ruleType('cap').fields.map((f) => [f.key, f.kind, f.min]), [['attribute', 'attribute', undefined], ['max', 'number', 0], ['topK', 'number', 1]]);
  assert.equal(field('exclude_seen', 'events').label, 'Events (comma separated, e.g. shown, click)');
  assert.equal(field('freshness', 'halfLife').label, 'Lose half the advantage every (e.g. 30d, 12h)');
  assert.equal(field('freshness', 'attribute').default, 'created_at');
  assert.equal(field('slot', 'positions').kind, 'positions');
  const backfill = field('slot', 'backfill');
  assert.deepEqual([backfill.kind, backfill.optional, backfill.add, backfill.remove], ['condition', true, 'Add a backfill condition', 'Remove the backfill condition']);
  assert.deepEqual(backfill.fresh, { attribute: 'in_stock', eq: true });
  assert.equal(field('slot', 'when').optional, false);
  assert.equal(field('pin', 'when').add, 'Add a condition');
});

test('condition operators and their words come from the schema', () => {
  assert.deepEqual(rules.operatorWords(), { eq: 'is', in: 'is one of', range: 'is between', exists: 'exists', prefix: 'starts with' });
  assert.deepEqual(rules.operatorWords(true), { eq: 'is', in: 'is one of' }, 'a segment takes one value or a list');
  assert.deepEqual(rules.conditionFrom({ on: 'attribute', name: 'tags', op: 'in', value: 'a, 3' }), { attribute: 'tags', in: ['a', 3] });
  assert.deepEqual(rules.conditionFrom({ on: 'context', name: 'x', op: 'exists', value: 'false' }), { context: 'x', exists: false });
  assert.deepEqual(rules.conditionFrom({ on: 'segment', op: 'in', value: 'vip, gold' }), { segment: ['vip', 'gold'] });
  assert.equal(rules.describeCondition({ attribute: 'category', prefix: 'ever' }), 'category starts with "ever"');
  assert.equal(rules.simpleCondition({ attribute: 'a', near: 1 }), null, 'an operator the schema does not know');
});

test('a rule type added to the schema alone gets its form, its starting rule and a sentence', () => {
  const schema = structuredClone(SCHEMA);
  schema.$defs.rule.properties.type.enum.push('seller_cap');
  schema.$defs.rule.allOf.push({
    if: { properties: { type: { const: 'seller_cap' } } },
    then: {
      title: 'Limit items per seller',
      description: 'At most so many items of one seller in the top of the list.',
      examples: [{ id: 'x', type: 'seller_cap', attribute: 'seller', max: 2 }],
      required: ['attribute', 'max'],
      properties: { id: true, type: true, description: true, active: true,
        attribute: { $ref: '#/$defs/attribute', title: 'Seller attribute' },
        max: { type: 'integer', minimum: 1, maximum: 50, default: 3, title: 'At most' },
        when: { $ref: '#/$defs/condition', title: 'Only among items where' } },
      additionalProperties: false,
    },
  });
  try {
    rules.useSchema(schema);
    const t = rules.ruleType('seller_cap');
    assert.equal(t.name, 'Limit items per seller');
    assert.deepEqual(t.fields.map((f) => [f.key, f.kind, f.label, f.optional]),
      [['attribute', 'attribute', 'Seller attribute', false], ['max', 'number', 'At most', false], ['when', 'condition', 'Only among items where', true]]);
    assert.deepEqual(rules.newRule('seller_cap'), { type: 'seller_cap', attribute: 'seller', max: 2 });
    assert.equal(rules.describeRule({ type: 'seller_cap', attribute: 'seller', max: 2, when: { attribute: 'in_stock', eq: true } }),
      'Limit items per seller: Seller attribute seller; At most 2; Only among items where in_stock is true.');
    assert.equal(rules.describeDiffLine('+ rule x (seller_cap)'), 'Rule “x” added (Limit items per seller)');
    assert.deepEqual(Object.keys(rules.withKey({ id: 'x', type: 'seller_cap', max: 2, when: {} }, 'attribute', 'seller')),
      ['id', 'type', 'attribute', 'max', 'when'], 'a key the form adds goes to its place in the schema\'s order');
  } finally {
    rules.useSchema(SCHEMA);
  }
});

test('a schema that is not a rule-file schema is refused', () => {
  assert.throws(() => vocabularyFrom({ type: 'object' }), /not a Ranker rule-file schema/);
});

// ---------- the dry run reads the replay report's documented fields ----------

/** The subschema a path of keys leads to in the replay report schema, or undefined where the schema documents nothing. */
function schemaAt(schema, keys) {
  const deref = (s) => (s && s.$ref ? deref(s.$ref.slice(2).split('/').reduce((o, k) => o[k], schema)) : s);
  let s = deref(schema);
  for (const k of keys) {
    if (!s || typeof s !== 'object') return undefined;
    if (s.properties && k in s.properties) s = s.properties[k];
    else if (Array.isArray(s.prefixItems) && /^\d+$/.test(k) && Number(k) < s.prefixItems.length) s = s.prefixItems[Number(k)];
    else if (s.items && /^\d+$/.test(k)) s = s.items;
    else if (s.additionalProperties && typeof s.additionalProperties === 'object') s = s.additionalProperties;
    else return undefined; // additionalProperties true (room for new sections) documents nothing
    s = deref(s);
  }
  return s;
}

/** Runs fn on a report wrapped so that every field it reads is recorded as a path of keys. */
function fieldsRead(report, fn) {
  const read = new Set();
  const wrap = (v, at) => (v && typeof v === 'object' ? new Proxy(v, {
    get(target, k, receiver) {
      const x = Reflect.get(target, k, receiver);
      // every name read counts, present or not (a guessed name is absent from the report): all but the built-ins
      if (typeof k !== 'string' || k in Object.getPrototypeOf(target) || (Array.isArray(target) && k === 'length')) return x;
      read.add(JSON.stringify([...at, k]));
      return wrap(x, [...at, k]);
    },
  }) : v);
  fn(wrap(report, []));
  return [...read].map((p) => JSON.parse(p));
}

test('every field the dry run reads is one the replay report schema documents', () => {
  const paths = fieldsRead(REPORT, dryrun.readReport);
  assert.ok(paths.length > 20, `the dry run reads the report (${paths.length} fields)`);
  const undocumented = paths.filter((p) => !schemaAt(REPORT_SCHEMA, p)).map((p) => p.join('.'));
  assert.deepEqual(undocumented, []);
  assert.equal(schemaAt(REPORT_SCHEMA, ['verdicts']), undefined, 'the walk itself refuses what the schema does not document');
  const guessing = fieldsRead(REPORT, (r) => r.rankingChanges.changedShare ?? r.rankingChanges.shareChanged);
  assert.deepEqual(guessing.filter((p) => !schemaAt(REPORT_SCHEMA, p)), [['rankingChanges', 'changedShare']], 'a guessed name is caught');
  const names = REPORT_SCHEMA.$defs.estimatorName.enum;
  for (const n of dryrun.ESTIMATOR_PREFERENCE) assert.ok(names.includes(n), `${n} is a documented estimator`);
});

test('the dry run\'s figures from a real report', () => {
  const r = dryrun.readReport(REPORT);
  // the estimator is the report's verdict (the one whose assumptions hold for this log and this change)
  assert.equal(r.estimator, REPORT.verdict.estimator);
  assert.ok(r.estimator, 'the fixture has a recommended estimator');
  const change = REPORT.offPolicy.change[r.estimator];
  assert.deepEqual([r.shareChanged, r.lists, r.listsChanged], [REPORT.rankingChanges.shareChanged, 300, REPORT.rankingChanges.listsChanged]);
  assert.equal(r.estimate.value, REPORT.offPolicy.candidate.estimates[r.estimator].value);
  assert.equal(r.why, REPORT.verdict.reason);
  assert.deepEqual(r.excluded.map((x) => x.estimator), REPORT.verdict.excluded.map((x) => x.estimator));
  assert.equal(r.logged, change.logged);
  assert.deepEqual([r.difference.lo, r.difference.hi], change.differenceCi95);
  assert.equal(r.coverage, REPORT.offPolicy.candidate.supportCoverage);
  assert.deepEqual(Object.keys(r.exposure), Object.keys(REPORT.rankingChanges.exposureShift));
  // null is the report's "no data": shown as a dash, never as 0
  const empty = structuredClone(REPORT);
  empty.rankingChanges.shareChanged = null;
  for (const e of Object.values(empty.offPolicy.candidate.estimates)) e.value = null;
  const e = dryrun.readReport(empty);
  assert.ok(Number.isNaN(e.shareChanged));
  assert.equal(e.estimate, null);
});

test('the dry run in words: lists changed, the change with its own interval, a support warning, attention by brand', () => {
  const el = (tag, attrs = {}, ...children) => {
    const node = { tag, attrs, children: [], append(...c) { node.children.push(...c.flat().filter((x) => x !== null && x !== undefined && x !== false)); } };
    node.append(...children);
    return node;
  };
  const text = (n) => (typeof n === 'string' || typeof n === 'number' ? String(n) : n.children.map(text).join(''));
  const out = text(dryrun.renderDryRun(REPORT, el));
  assert.match(out, /100% of the recent lists would look different with your draft \(300 of 300 lists replayed\)/);
  assert.match(out, /estimated change in click rate per shown item .*95% sure the change is between/);
  assert.match(out, new RegExp(`method: ${REPORT.verdict.estimator}\\). .*Why this method: `));
  assert.match(out, /Methods left out for this draft/);
  assert.match(out, /not enough data to trust the click estimate.*only 94% of what it would show/); // coverage 0.94 < 0.95
  assert.match(out, /by category/);
  assert.match(out, /by brand/);
});

test('the dry run\'s chart: today and the draft with their intervals, and the change, as in the report', () => {
  const r = dryrun.readReport(REPORT);
  const { rates, change } = dryrun.chartRows(r);
  // the estimator the dry run reads (the report's recommended one)
  const est = (which) => REPORT.offPolicy[which].estimates[r.estimator];
  assert.deepEqual(rates.map((x) => [x.label, x.value, x.lo, x.hi]), [
    ['Today', est('logged').value, ...est('logged').ci95],
    ['With your draft', est('candidate').value, ...est('candidate').ci95]]);
  const c = REPORT.offPolicy.change[r.estimator];
  assert.deepEqual(change.map((x) => [x.lo, x.hi]), [c.differenceCi95]);
  assert.ok(Math.abs(change[0].value - c.difference) < 1e-12);
  // positions: every point inside its interval's bar, the axis covers every bound, the zero line inside the change axis
  const m = chart.chartModel(rates);
  for (const row of m.rows) assert.ok(row.x1 <= row.cx && row.cx <= row.x2, JSON.stringify(row));
  const ends = [m.ticks[0].value, m.ticks.at(-1).value];
  for (const x of rates.flatMap((x) => [x.lo, x.hi])) assert.ok(ends[0] <= x && x <= ends[1], `${x} within ${ends}`);
  const mc = chart.chartModel(change, 0);
  assert.ok(mc.refX >= mc.ticks[0].x && mc.refX <= mc.ticks.at(-1).x);
  assert.deepEqual([1, 2, 5, 10].map((x) => chart.niceStep(x * 0.7e-3)), [1e-3, 2e-3, 5e-3, 1e-2]);
  // a row without a value is left out; a row without bounds is a point alone
  const partial = chart.chartModel([{ label: 'a', series: 0, value: NaN }, { label: 'b', series: 0, value: 0.1, lo: NaN, hi: NaN }]);
  assert.deepEqual(partial.rows.map((x) => [x.label, x.ci]), [['b', false]]);
  // drawn through the factory: one group per row carrying its numbers
  const svg = (tag, attrs = {}, ...children) => ({ tag, attrs, children: children.flat().filter((x) => x !== null && x !== undefined && x !== false) });
  const drawn = chart.drawChart(m, svg, 't', String);
  const groups = drawn.children.filter((x) => x.tag === 'g');
  assert.deepEqual(groups.map((g) => Number(g.attrs['data-hi'])), rates.map((x) => x.hi));
  // no estimate: no chart rows
  assert.deepEqual(dryrun.chartRows({ ...r, estimate: null, loggedEstimate: null }).rates, []);
});
