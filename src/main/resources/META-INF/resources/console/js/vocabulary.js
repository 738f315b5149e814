// The rule vocabulary the forms are built from, read from the rule files' JSON Schema (GET /v1/schemas/policy,
// source ranking-config/policies/policy.schema.json): rule types, their fields in order, labels, limits, defaults,
// choices, examples, and the condition operators. Nothing here names a rule type: a new rule type
// needs its entry in the schema (and its Java rule), not a change to the console.

const CONDITION = '#/$defs/condition';
const ATTRIBUTE = '#/$defs/attribute';

/** The subschema a local "$ref" ("#/$defs/x") points to. */
function deref(schema, ref) {
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return {};
  return ref.slice(2).split('/').reduce((s, k) => (s && typeof s === 'object' ? s[k.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), schema) ?? {};
}

/** A field's schema with the referenced definition's keywords under its own (its own title, default, ... win). */
function resolved(schema, s) {
  if (!s || typeof s !== 'object') return {};
  return s.$ref ? { ...resolved(schema, deref(schema, s.$ref)), ...s } : s;
}

/** Choices of a field: an enum, or a oneOf of consts with titles (the JSON Schema way to label enum values). */
function choices(s) {
  if (Array.isArray(s.enum)) return s.enum.map((v) => ({ value: v, label: String(v) }));
  if (Array.isArray(s.oneOf) && s.oneOf.length && s.oneOf.every((o) => o && 'const' in o)) {
    return s.oneOf.map((o) => ({ value: o.const, label: o.title ?? String(o.const) }));
  }
  return null;
}

const exampleText = (e) => (Array.isArray(e) ? e.join(', ') : String(e));

/** One form field from a rule type's property. */
function fieldFrom(schema, key, own, required) {
  const s = resolved(schema, own);
  const f = { key, title: own.title ?? s.title ?? key, help: own.description ?? null, optional: !required.includes(key) };
  if ('default' in s) f.default = s.default;
  const options = choices(s);
  const itemType = s.type === 'array' ? resolved(schema, s.items).type : null;
  if (own.$ref === CONDITION) {
    f.kind = 'condition';
    f.fresh = Array.isArray(own.examples) ? own.examples[0] : undefined;
    const what = key === 'when' ? 'the condition' : `the ${key} condition`;
    f.add = `Add ${what.replace(/^the /, 'a ')}`;
    f.remove = `Remove ${what}`;
  } else if (options) {
    f.kind = 'choice';
    f.options = options;
  } else if (s.type === 'integer' || s.type === 'number') {
    f.kind = 'number';
    f.integer = s.type === 'integer';
    f.step = f.integer ? 1 : 0.05; // the arrow keys' step; any decimal may be typed
    if (typeof s.minimum === 'number') f.min = s.minimum;
    if (typeof s.maximum === 'number') f.max = s.maximum;
  } else if (itemType === 'integer' || itemType === 'number') {
    f.kind = 'positions';
  } else if (s.type === 'array') {
    f.kind = 'list';
  } else if (s.type === 'string') {
    f.kind = own.$ref === ATTRIBUTE ? 'attribute' : 'text';
  } else {
    f.kind = 'other'; // no form control: the YAML text edits it
  }
  const hints = [];
  if (f.kind === 'list' || f.kind === 'positions') hints.push('comma separated');
  if (f.kind !== 'condition' && Array.isArray(own.examples) && own.examples.length) hints.push(`e.g. ${own.examples.map(exampleText).join(', ')}`);
  f.label = hints.length ? `${f.title} (${hints.join(', ')})` : f.title;
  return f;
}

/**
 * Fields a rule type's own if/then/else forbids for this rule, e.g. diversify's "attribute" when its method is
 * mmr ({if: {properties: {method: {const: mmr}}, required: [method]}, then: {not: {required: [attribute]}}}).
 */
function forbiddenBy(typeSchema) {
  if (!typeSchema.if) return () => [];
  const holds = (s, rule) => (s.required ?? []).every((k) => k in rule)
    && Object.entries(s.properties ?? {}).every(([k, p]) => !(k in rule) || !p || !('const' in p) || rule[k] === p.const);
  return (rule) => [].concat((holds(typeSchema.if, rule) ? typeSchema.then : typeSchema.else)?.not?.required ?? []);
}

/** How an operator's value is written, from its schema: a list, a {min, max} range, a flag, a text or a scalar. */
function shapeOf(s) {
  if (s.type === 'array') return 'list';
  if (s.type === 'object') return 'range';
  if (s.type === 'boolean') return 'flag';
  if (s.type === 'string') return 'text';
  return 'scalar';
}

/**
 * The vocabulary of a rule-file schema: {types, typeNames, common, operators}. types maps each rule type (in the
 * schema's order) to {type, name, help, example, fields, forbidden(rule)}; operators maps each condition operator
 * to {words, shape}.
 */
export function vocabularyFrom(schema) {
  const rule = schema?.$defs?.rule;
  if (!rule || !Array.isArray(rule.allOf)) throw new Error('not a Ranker rule-file schema: no $defs.rule.allOf');
  const common = Object.keys(rule.properties ?? {});
  const typeNames = rule.properties?.type?.enum ?? [];
  const byType = new Map(rule.allOf.map((e) => [e?.if?.properties?.type?.const, e.then]).filter(([t, s]) => t && s));
  const types = {};
  for (const t of typeNames) {
    const s = byType.get(t);
    if (!s) continue; // a type the schema names but does not describe: the YAML text edits it
    const required = s.required ?? [];
    const fields = Object.entries(s.properties ?? {})
      .filter(([k, p]) => !common.includes(k) && p && typeof p === 'object')
      .map(([k, p]) => fieldFrom(schema, k, p, required));
    const example = Array.isArray(s.examples) && s.examples[0] ? { ...s.examples[0] } : { type: t };
    delete example.id;
    types[t] = { type: t, name: s.title ?? t, help: s.description ?? '', example, fields, forbidden: forbiddenBy(s) };
  }
  const leaf = resolved(schema, deref(schema, CONDITION)).oneOf?.find((o) => o?.properties?.attribute) ?? {};
  const operators = {};
  for (const [k, p] of Object.entries(leaf.properties ?? {})) {
    if (k === 'attribute' || k === 'context') continue;
    const s = resolved(schema, p);
    operators[k] = { words: s.title ?? k, shape: shapeOf(s) };
  }
  return { types, typeNames: Object.keys(types), common, operators };
}
