// One source of limits: the declaration each entity serves (GET /api/v1/entities/{name}) is what
// the server enforces, and docs/openapi.yaml's request schemas must say the same — for every
// field the create (POST path), update (PUT path/{id}) and import (POST path/import) bodies
// take: the type, maxLength/minLength of text, minimum/maximum of numbers, maxItems of lists,
// the options of an enum, and which fields are required. A limit changed in the declaration
// without the spec (or the other way round) fails here; so does a field one has and the other
// lacks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, ok, CONTRACT } from './lib.mjs';

let srv;
const decls = new Map(); // name → declaration (read by whoever may read it)
before(async () => {
    srv = await startServer();
    for (const u of ['office', 'sysadmin', 'secadmin', 'auditor', 'clerk1']) {
        const c = await srv.login(u);
        for (const e of ok(await c.get('/api/v1/entities')).items) {
            if (!decls.has(e.name)) decls.set(e.name, ok(await c.get(`/api/v1/entities/${e.name}`)));
        }
    }
});
after(async () => { await srv.stopAndCheck(); });

/** The JSON request schema of an operation, $refs followed (null when the spec has none). */
function requestSchema(path, method) {
    const op = CONTRACT.doc.paths[path]?.[method];
    const s = op?.requestBody?.content?.['application/json']?.schema;
    return s ? deref(s) : null;
}
function deref(s) {
    if (s && s.$ref) return deref(CONTRACT.deref(s)[0]);
    if (s && s.allOf) { // PUT bodies: the create body and { version }
        const parts = s.allOf.map(deref);
        return { type: 'object', properties: Object.assign({}, ...parts.map((x) => x.properties || {})),
            required: parts.flatMap((x) => x.required || []) };
    }
    return s;
}

const TYPES = { text: 'string', longtext: 'string', phone: 'string', date: 'string', datetime: 'string',
    enum: 'string', int: 'integer', unit: 'integer', user: 'integer', ref: 'integer', bool: 'boolean' };

/** Differences between one declared field and its schema property. */
function compareField(where, f, prop) {
    const out = [];
    if (!prop) return [`${where}: the spec has no property ${f.name}`];
    let p = deref(prop);
    if (f.multi) {
        if (p.type !== 'array') out.push(`${where}.${f.name}: a list in the declaration, ${p.type} in the spec`);
        if (p.maxItems !== f.max_items) out.push(`${where}.${f.name}: maxItems ${p.maxItems} in the spec, ${f.max_items} declared`);
        p = deref(p.items || {});
    }
    if (f.type === 'json') return out; // a structure of its own (milestones): the spec describes it
    // a decimal field (FT_INT with decimals: 2.5 分) is a JSON number
    const want = f.type === 'int' && f.decimals ? 'number' : TYPES[f.type];
    const types = [].concat(p.type ?? (p.enum ? 'string' : []));
    if (want && !types.includes(want)) out.push(`${where}.${f.name}: type ${p.type} in the spec, ${want} declared`);
    if (['text', 'longtext', 'phone'].includes(f.type)) {
        if (p.maxLength !== f.max) out.push(`${where}.${f.name}: maxLength ${p.maxLength} in the spec, ${f.max} declared`);
        const min = f.min > 0 ? f.min : undefined;
        if ((p.minLength || undefined) !== min) out.push(`${where}.${f.name}: minLength ${p.minLength} in the spec, ${f.min} declared`);
    }
    if (f.type === 'int' && f.max !== null) {
        if (p.minimum !== f.min || p.maximum !== f.max) {
            out.push(`${where}.${f.name}: ${p.minimum}…${p.maximum} in the spec, ${f.min}…${f.max} declared`);
        }
    }
    if (f.type === 'date' && p.format !== 'date') out.push(`${where}.${f.name}: format ${p.format} in the spec, date declared`);
    // a data dictionary's field: the spec lists its codes only when they are fixed (the program's)
    if (f.type === 'enum' && !(f.dict && !p.enum)) {
        const spec = (p.enum || []).filter((x) => x !== null).slice().sort();
        const mine = f.options.map((o) => o.value).sort();
        if (JSON.stringify(spec) !== JSON.stringify(mine)) out.push(`${where}.${f.name}: enum ${spec} in the spec, ${mine} declared`);
    }
    return out;
}

function compareBody(where, fields, schema, { version = false, extra = [], partiesRequired = false } = {}) {
    const out = [];
    const props = schema.properties || {};
    for (const f of fields) out.push(...compareField(where, f, props[f.name]));
    const names = new Set(fields.map((f) => f.name));
    for (const p of Object.keys(props)) {
        if (!names.has(p) && p !== 'version' && !extra.includes(p)) out.push(`${where}: the spec takes ${p}, which is no declared field`);
    }
    const required = new Set((schema.required || []).filter((x) => x !== 'version'));
    const declared = new Set(fields.filter((f) => f.required).map((f) => f.name));
    // 当事人 (the declaration's `parties`): required on create when its min is above 0
    if (partiesRequired) {
        declared.add('parties');
        if (!required.has('parties')) out.push(`${where}: parties is required by the declaration (min > 0), not in the spec`);
    }
    for (const r of required) if (!declared.has(r)) out.push(`${where}: ${r} is required in the spec, not in the declaration`);
    for (const r of declared) if (!required.has(r)) out.push(`${where}: ${r} is required in the declaration, not in the spec`);
    if (version && !(schema.required || []).includes('version')) out.push(`${where}: version must be required`);
    return out;
}

// keys a write takes that are not declared fields (a generated password; uploads given to the record)
const NOT_FIELDS = {
    'POST /api/v1/users': ['password'],
    'POST /api/v1/notices': ['attachment_ids'],
    'PUT /api/v1/notices/{id}': ['attachment_ids'],
    // 当事人 (entity.parties): written by the parties layer, not a column of the record
    'POST /api/v1/reconsiderations': ['parties'],
    'PUT /api/v1/reconsiderations/{id}': ['parties'],
    'POST /api/v1/litigations': ['parties'],
    'PUT /api/v1/litigations/{id}': ['parties'],
    'POST /api/v1/petitions': ['parties'], // 当事人: the party store's (entity_parties.c)
    'PUT /api/v1/petitions/{id}': ['parties'],
    'POST /api/v1/mediations': ['parties'], // 当事人: the parties layer's, beside the declared fields
    'PUT /api/v1/mediations/{id}': ['parties'],
};

test('the request schemas of docs/openapi.yaml say what the declarations enforce', () => {
    assert.ok(decls.size >= 9, `only ${[...decls.keys()]}`);
    const problems = [];
    let compared = 0;
    for (const [name, d] of decls) {
        const bodies = [
            ['post', d.path, d.fields.filter((f) => f.create && !f.readonly), {}],
            ['put', `${d.path}/{id}`, d.fields.filter((f) => f.update && !f.readonly), { version: true }],
        ];
        for (const [method, path, fields, opts] of bodies) {
            if (!fields.length) continue;
            const schema = requestSchema(path, method);
            const where = `${method.toUpperCase()} ${path}`;
            if (!schema) {
                if (CONTRACT.doc.paths[path]?.[method]) problems.push(`${where} (${name}): no JSON request schema`);
                continue; // the entity takes no such write through the API
            }
            const extra = [...(NOT_FIELDS[where] || []), ...(d.parties ? ['parties'] : [])];
            const partiesRequired = !!d.parties && method === 'post' && d.parties.min > 0;
            problems.push(...compareBody(where, fields, schema, { ...opts, extra, partiesRequired }));
            compared++;
        }
        if (d.can.import || d.fields.some((f) => f.import)) {
            const schema = requestSchema(`${d.path}/import`, 'post');
            const where = `POST ${d.path}/import`;
            if (!schema) { problems.push(`${where} (${name}): not in the spec`); continue; }
            const row = deref(deref(schema.properties.rows).items);
            const keys = Object.keys(row.properties || {}).sort();
            const mine = [...d.fields.filter((f) => f.import).map((f) => f.import_key),
                ...(d.parties?.import || []).map((c) => c.key)].sort(); // the first party's columns
            if (JSON.stringify(keys) !== JSON.stringify(mine)) problems.push(`${where}: row keys ${keys} in the spec, ${mine} declared`);
            const max = deref(schema.properties.rows).maxItems;
            if (!max) problems.push(`${where}: rows.maxItems missing`);
            compared++;
        }
    }
    assert.deepEqual(problems, []);
    assert.ok(compared >= 8, `only ${compared} bodies compared`);
});

test('the limit the declaration serves is the one the server enforces (one past it is refused)', async () => {
    const office = await srv.login('office');
    const d = decls.get('documents');
    const title = d.fields.find((f) => f.name === 'title');
    const docNo = d.fields.find((f) => f.name === 'doc_no');
    assert.equal(docNo.max, 60, 'DocumentDialog.vue may allow no more than the server: 60');
    const r = await office.post('/api/v1/documents', { title: '甲'.repeat(title.max + 1), kind: 'plan', doc_no: '号'.repeat(docNo.max + 1) });
    assert.equal(r.status, 400);
    assert.ok(r.json.error.fields.title && r.json.error.fields.doc_no, JSON.stringify(r.json));
    ok(await office.post('/api/v1/documents', { title: '甲'.repeat(title.max), kind: 'plan', doc_no: '号'.repeat(docNo.max) }), 201);
    const t = decls.get('tasks');
    const tTitle = t.fields.find((f) => f.name === 'title');
    assert.equal(tTitle.max, 200);
});
