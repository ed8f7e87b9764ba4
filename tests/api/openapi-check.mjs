// Every answer an API test receives is checked against docs/openapi.yaml (the contract): the
// status must be documented for the route and method, the Content-Type must be one the response
// lists, a JSON body must match the response's schema (ajv, formats enforced: `date` is
// YYYY-MM-DD, `date-time` RFC 3339 with a zone), and headers marked `required` must be present.
// lib.mjs's Client calls checkAnswer() after every request and throws a ContractViolation, so the
// test that made the request fails with the path, method, status and each schema error.
//
// Rules beyond the per-operation responses (stated in the spec's info.description too):
//   - a path under /api/ that no operation has → 404 `not_found` (Error);
//   - a path the spec has, with a method it does not have → 405 `method_not_allowed` (Error);
//   - paths outside /api/ that the spec does not list are the web UI's files: not checked.
// OpenAPI 3.0 → JSON Schema: `nullable` becomes a `null` type (or enum value), `$ref`s to
// components point into one schema registered with ajv, boolean `exclusiveMinimum/Maximum`
// become numbers, OpenAPI-only keywords (example, xml, discriminator, readOnly, x-…) are dropped.
// additionalProperties follows the spec (open unless it says false); FAZHI_CONTRACT_STRICT=1 also
// reports properties a schema does not list (to find undocumented fields; not on by default).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

let YAML, Ajv, addFormats;
try {
    YAML = (await import('yaml')).default;
    Ajv = (await import('ajv')).default;
    addFormats = (await import('ajv-formats')).default;
} catch (e) {
    throw new Error(`tests/api needs its npm packages (yaml, ajv, ajv-formats): run \`cd tests/api && npm ci\` `
        + `(make test and tests/run-tests.sh do it). ${e.message}`);
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const DROP = new Set(['nullable', 'example', 'examples', 'xml', 'externalDocs', 'discriminator', 'readOnly',
    'writeOnly', 'deprecated']);
const SCHEMA_ID = 'fazhi-openapi';
const STRICT_PROPS = process.env.FAZHI_CONTRACT_STRICT === '1';

export class ContractViolation extends Error {
    constructor(message, detail) {
        super(message);
        this.name = 'ContractViolation';
        this.detail = detail;
    }
}

/** docs/openapi.yaml → the checker (operations, compiled validators). */
export class Contract {
    /** root: the repository; doc: an already parsed document instead of docs/openapi.yaml (tests). */
    constructor(root, doc = null) {
        this.file = join(root, 'docs/openapi.yaml');
        this.doc = doc || YAML.parse(readFileSync(this.file, 'utf8'));
        this.violations = []; // messages of every violation met (lib.mjs fails the file on any)
        this.ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false, allowUnionTypes: true });
        addFormats(this.ajv);
        const defs = {};
        this.locations = new WeakMap(); // converted schema object → where it is in docs/openapi.yaml
        for (const [name, s] of Object.entries(this.doc.components?.schemas || {})) {
            defs[name] = this.convert(s, `components.schemas.${name}`);
        }
        this.ajv.addSchema({ $id: SCHEMA_ID, definitions: defs });
        try {
            this.ajv.getSchema(SCHEMA_ID); // compile now: a schema ajv rejects is a spec error
        } catch (e) {
            throw new Error(`docs/openapi.yaml: components.schemas do not compile as JSON Schema: ${e.message}`);
        }
        this.routes = [];
        for (const [path, item] of Object.entries(this.doc.paths || {})) {
            const segs = split(path);
            this.routes.push({
                path, item, segs,
                literal: segs.filter((s) => !/^\{.*\}$/.test(s)).length,
                methods: METHODS.filter((m) => item[m]),
            });
        }
        this.validators = new Map(); // "METHOD path status media" → ajv validate function
    }

    /** An OpenAPI 3.0 schema object → JSON Schema (draft-07, as ajv runs it). */
    convert(s, where) {
        if (!s || typeof s !== 'object' || Array.isArray(s)) return s;
        if (typeof s.$ref === 'string') {
            const ref = { $ref: this.schemaRef(s.$ref) };
            this.locations.set(ref, where);
            return s.nullable === true ? { anyOf: [ref, { type: 'null' }] } : ref;
        }
        const out = {};
        for (const [k, v] of Object.entries(s)) {
            if (DROP.has(k) || k.startsWith('x-')) continue;
            if (k === 'properties' || k === 'patternProperties') {
                out[k] = Object.fromEntries(Object.entries(v || {}).map(([n, p]) => [n, this.convert(p, `${where}.${k}.${n}`)]));
            } else if (['items', 'additionalProperties', 'not'].includes(k)) {
                out[k] = v && typeof v === 'object' ? this.convert(v, `${where}.${k}`) : v;
            } else if (['allOf', 'anyOf', 'oneOf'].includes(k)) {
                out[k] = v.map((x, i) => this.convert(x, `${where}.${k}[${i}]`));
            } else {
                out[k] = v;
            }
        }
        for (const [ex, lim] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']]) {
            if (out[ex] === true) { out[ex] = out[lim]; delete out[lim]; } else if (out[ex] === false) delete out[ex];
        }
        if (STRICT_PROPS && out.properties && out.additionalProperties === undefined && !out.allOf) {
            out.additionalProperties = false;
        }
        this.locations.set(out, where);
        if (s.nullable === true) {
            if (typeof out.type === 'string' && !out.allOf && !out.anyOf && !out.oneOf) {
                out.type = [out.type, 'null'];
                if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
            } else {
                return { anyOf: [out, { type: 'null' }] };
            }
        }
        return out;
    }

    schemaRef(ref) {
        const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
        if (!m) throw new Error(`docs/openapi.yaml: schema $ref ${ref} is not #/components/schemas/…`);
        return `${SCHEMA_ID}#/definitions/${m[1]}`;
    }

    /** Follow a local $ref (#/a/b) in the document; returns [object, where]. */
    deref(obj, where) {
        for (let i = 0; obj && typeof obj.$ref === 'string' && i < 10; i++) {
            where = obj.$ref.replace(/^#\//, '').split('/').join('.');
            obj = obj.$ref.replace(/^#\//, '').split('/')
                .reduce((o, k) => (o == null ? o : o[k.replace(/~1/g, '/').replace(/~0/g, '~')]), this.doc);
            if (obj === undefined) throw new Error(`docs/openapi.yaml: dangling $ref at ${where}`);
        }
        return [obj, where];
    }

    /**
     * Find the operation for a request path (query stripped) and method. Segments split like
     * the server's router (empty segments dropped); literal segments beat {params}.
     * Returns {route, method, op} | {route, method: null} (path known) | null (unknown path).
     */
    match(method, rawPath) {
        let p = rawPath.split('?')[0].split('#')[0];
        try { p = decodeURIComponent(p); } catch { /* keep it raw */ }
        const nul = p.indexOf('\0');
        if (nul >= 0) p = p.slice(0, nul);
        const segs = split(p);
        const hits = this.routes.filter((r) => r.segs.length === segs.length
            && r.segs.every((s, i) => /^\{.*\}$/.test(s) || s === segs[i]));
        if (!hits.length) return null;
        hits.sort((a, b) => b.literal - a.literal);
        const m = method.toLowerCase();
        const withMethod = hits.find((r) => r.item[m]);
        if (!withMethod) return { route: hits[0], method: null };
        return { route: withMethod, method: m, op: withMethod.item[m] };
    }

    /**
     * Check one answer. ans = {method, path, status, headers (Headers), buf (Buffer)}.
     * Returns null when it conforms, else {summary, problems:[...], where} for a message.
     */
    check(ans) {
        const { method, path, status } = ans;
        const urlPath = path.split('?')[0];
        const hit = this.match(method, path);
        const isApi = urlPath.startsWith('/api/');
        if (!hit && !isApi) return null; // the web UI's files
        let responses, opName, where;
        if (!hit) {
            opName = `(no operation: ${urlPath} is not a path of the spec)`;
            if (status !== 404) {
                return { opName, problems: [`status ${status}: a path the spec does not list must answer 404 not_found`
                    + ' — add the operation to docs/openapi.yaml, or the server answers a route it should not'] };
            }
            return this.checkError(ans, opName, 'not_found');
        }
        if (!hit.method) {
            opName = `(${method} is not an operation of ${hit.route.path}: it has ${hit.route.methods.map((m) => m.toUpperCase()).join(', ')})`;
            if (status !== 405) {
                return { opName, problems: [`status ${status}: a method the path does not have must answer 405 method_not_allowed`
                    + ` — add ${method.toLowerCase()} under paths.${hit.route.path} in docs/openapi.yaml, or fix the server's answer`] };
            }
            return this.checkError(ans, opName, 'method_not_allowed');
        }
        const op = hit.op;
        opName = `${hit.method.toUpperCase()} ${hit.route.path}${op.operationId ? ` (${op.operationId})` : ''}`;
        where = `paths.${hit.route.path}.${hit.method}.responses`;
        responses = op.responses || {};
        const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses);
        if (!key) {
            const comp = this.doc.components?.responses?.[`E${status}`]
                ? `$ref: '#/components/responses/E${status}'` : `a response (and components.responses.E${status} if others share it)`;
            return { opName, problems: [`status ${status} is not documented: ${where} lists ${Object.keys(responses).join(', ') || 'nothing'}`
                + ` — add '${status}': ${comp} there, or fix the server's answer`] };
        }
        const [resp, respWhere] = this.deref(responses[key], `${where}.${key}`);
        return this.checkBody(ans, opName, resp, respWhere, `${hit.method.toUpperCase()} ${hit.route.path} ${key}`);
    }

    /** Generic answers (unknown path, method): an Error body with that code. */
    checkError(ans, opName, code) {
        const err = this.doc.components?.schemas?.Error;
        if (!err) return { opName, problems: ['components.schemas.Error is missing'] };
        const r = this.checkBody(ans, opName, { content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
            'components.schemas.Error', `generic ${code}`);
        if (r) return r;
        let j = null;
        try { j = JSON.parse(ans.buf.toString('utf8')); } catch { /* checked above */ }
        if (j?.error?.code !== code) return { opName, problems: [`error.code is ${JSON.stringify(j?.error?.code)}, want ${code}`] };
        return null;
    }

    checkBody(ans, opName, resp, respWhere, cacheKey) {
        const problems = [];
        for (const [name, h] of Object.entries(resp.headers || {})) {
            const [hd] = this.deref(h, `${respWhere}.headers.${name}`);
            if (hd?.required && !ans.headers.has(name)) problems.push(`header ${name} is required (${respWhere}.headers) but missing`);
        }
        const ctype = ans.headers.get('content-type') || '';
        const essence = ctype.split(';')[0].trim().toLowerCase();
        const content = resp.content || null;
        const empty = ans.buf.length === 0 || ans.method === 'HEAD';
        if (!content || Object.keys(content).length === 0) {
            if (!empty) problems.push(`body of ${ans.buf.length} bytes (${ctype || 'no Content-Type'}) but ${respWhere} documents no content`);
            return problems.length ? { opName, problems, where: respWhere } : null;
        }
        const keys = Object.keys(content);
        const mediaKey = keys.find((k) => k.toLowerCase() === essence)
            || keys.find((k) => k.endsWith('/*') && essence.startsWith(k.slice(0, -1).toLowerCase()))
            || keys.find((k) => k === '*/*');
        if (!mediaKey) {
            problems.push(`Content-Type ${ctype || '(none)'} is not one of ${respWhere}.content: ${keys.join(', ')}`);
            return { opName, problems, where: respWhere };
        }
        const media = content[mediaKey];
        const isJson = /^application\/(.+\+)?json$/.test(essence);
        if (!isJson || ans.method === 'HEAD') return problems.length ? { opName, problems, where: respWhere } : null;
        let body;
        try {
            body = JSON.parse(ans.buf.toString('utf8'));
        } catch (e) {
            problems.push(`body is not JSON although Content-Type is ${ctype}: ${e.message}`);
            return { opName, problems, where: respWhere };
        }
        if (!media?.schema) return problems.length ? { opName, problems, where: respWhere } : null;
        const vkey = `${cacheKey} ${mediaKey}`;
        let validate = this.validators.get(vkey);
        if (!validate) {
            try {
                validate = this.ajv.compile(this.convert(media.schema, `${respWhere}.content.${mediaKey}.schema`));
            } catch (e) {
                throw new Error(`docs/openapi.yaml: the schema at ${respWhere}.content.${mediaKey} does not compile: ${e.message}`);
            }
            this.validators.set(vkey, validate);
        }
        if (!validate(body)) {
            const seen = new Set();
            for (const e of validate.errors) {
                const line = describe(e, this.locations);
                if (seen.has(line)) continue;
                seen.add(line);
                problems.push(line);
                if (seen.size >= 20) { problems.push(`… ${validate.errors.length - 20} more ajv errors`); break; }
            }
        }
        return problems.length ? { opName, problems, where: `${respWhere}.content.${mediaKey}.schema`, body } : null;
    }
}

function split(path) { return path.split('/').filter(Boolean); }

/** An ajv error → one line: where in the body, what is wrong, the value, where in the spec. */
function describe(e, locations) {
    const at = e.instancePath || '(top level)';
    let what = e.message;
    if (e.keyword === 'additionalProperties') what = `has property "${e.params.additionalProperty}" that the schema does not list`;
    if (e.keyword === 'enum') what = `must be one of ${JSON.stringify(e.params.allowedValues)}`;
    let value = '';
    if (e.data !== undefined && e.keyword !== 'required' && e.keyword !== 'additionalProperties') {
        const v = JSON.stringify(e.data);
        value = ` — value ${v && v.length > 120 ? `${v.slice(0, 117)}...` : v}`;
    }
    const loc = locations.get(e.parentSchema);
    const spec = loc ? ` [${loc}${['type', 'format', 'enum', 'required', 'additionalProperties', 'pattern', 'minimum',
        'maximum', 'minLength', 'maxLength'].includes(e.keyword) ? `.${e.keyword}` : ''}]` : ` [schema ${e.schemaPath}]`;
    return `body ${at}: ${what}${value}${spec}`;
}

/** Format a violation for a test failure. */
export function violationMessage(ans, v, file = 'docs/openapi.yaml') {
    const ctype = ans.headers.get('content-type') || '(no Content-Type)';
    const body = ans.buf.toString('utf8');
    const lines = [
        `API answer does not match ${file}:`,
        `  request:   ${ans.method} ${ans.path}`,
        `  operation: ${v.opName}`,
        `  answer:    ${ans.status} ${ctype}`,
        ...(v.where ? [`  spec:      ${v.where}`] : []),
        '  problems:',
        ...v.problems.map((p) => `    - ${p}`),
        `  body:      ${body.length > 600 ? `${body.slice(0, 600)}…` : body}`,
        '  Fix docs/openapi.yaml or the server (docs/API.md, "The contract checks"). A call that must not be checked',
        '  passes { unchecked: \'<why>\' } to the client.',
    ];
    return lines.join('\n');
}
