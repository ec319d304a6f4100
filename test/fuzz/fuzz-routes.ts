// Every documented route of a running Kalends, fuzzed: requests generated from the route's own
// request schemas (its OpenAPI document: path, query, body) and mutations of them (wrong types,
// missing and extra fields, huge strings and arrays, unicode, boundary numbers, malformed JSON,
// wrong content types, bad path segments, no or wrong credentials). Each reply must be below 500,
// in the dialect's error format when refused, and a refused request must leave every table of
// the store as it was.
import fc from 'fast-check';
import { arbitraryOf, type JsonSchema } from './json-schema-arbitrary.ts';
import { changedTables, type StoreDigest } from './store-digest.ts';

export type Surface = 'dingtalk' | 'feishu' | 'admin';

export interface Operation {
  surface: Surface;
  operationId: string;
  method: string;
  template: string;
  pathParams: string[];
  query: JsonSchema | undefined;
  body: JsonSchema | undefined;
}

/** The operations of the OpenAPI documents the server serves: the routes, from the app itself. */
export async function operationsOf(baseUrl: string): Promise<Operation[]> {
  const operations: Operation[] = [];
  for (const surface of ['dingtalk', 'feishu', 'admin'] as const) {
    const doc = (await (await fetch(`${baseUrl}/openapi/${surface}.json`)).json()) as { paths: Record<string, Record<string, any>> };
    for (const [template, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const params = (op.parameters ?? []) as { in: string; name: string; required?: boolean; schema: JsonSchema }[];
        const queryParams = params.filter((p) => p.in === 'query');
        operations.push({
          surface, operationId: op.operationId, method: method.toUpperCase(), template,
          pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
          query: queryParams.length === 0 ? undefined : {
            type: 'object', properties: Object.fromEntries(queryParams.map((p) => [p.name, p.schema])),
            required: queryParams.filter((p) => p.required).map((p) => p.name),
          },
          body: op.requestBody?.content?.['application/json']?.schema,
        });
      }
    }
  }
  return operations;
}

/** One request as sent. */
export interface FuzzRequest {
  path: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
  /** Sent instead of JSON.stringify(body) (malformed JSON). */
  rawBody?: string;
  contentType: string;
  auth: 'valid' | 'none' | 'wrong';
  mutation: string;
}

const BOUNDARY_NUMBERS = [0, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, -(2 ** 53), Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308, 0.5, 1e-300];
const anyJson = fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }));
const weirdString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom('', ' ', '..', '%', '%E0%A4%A', '\u0000', '\uD800', '😀'.repeat(10), '<script>', "' OR 1=1 --", '../../etc/passwd', 'a/b', '%2F', 'null', 'undefined', '-1', '1e999'),
  fc.constantFrom('x'.repeat(501), 'é'.repeat(10_000)),
);

/** Every JSON path (array of keys) into a value, the value itself first. */
function pathsOf(value: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (at.length >= 5) return out;
  if (Array.isArray(value)) value.slice(0, 3).forEach((v, i) => pathsOf(v, [...at, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...at, k], out);
  return out;
}

/** `value` with the node at `path` replaced (`undefined`: removed); a copy. */
function replaceAt(value: unknown, path: (string | number)[], next: (old: unknown) => unknown): unknown {
  if (path.length === 0) return next(value);
  const copy: any = Array.isArray(value) ? [...value] : { ...(value as object) };
  const [head, ...rest] = path;
  const replaced = replaceAt(copy[head!], rest, next);
  if (replaced === undefined && !Array.isArray(copy)) delete copy[head!];
  else copy[head!] = replaced;
  return copy;
}

type Mutator = (req: FuzzRequest, pick: number, extra: unknown) => FuzzRequest;

const MUTATORS: Record<string, { extra: fc.Arbitrary<unknown>; apply: Mutator }> = {
  none: { extra: fc.constant(null), apply: (r) => r },
  wrongType: { extra: anyJson, apply: (r, pick, v) => ({ ...r, body: at(r.body, pick, () => v) }) },
  missingField: { extra: fc.constant(null), apply: (r, pick) => ({ ...r, body: at(r.body, pick, () => undefined, true) }) },
  extraField: { extra: fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), anyJson), apply: (r, _p, v) => {
    const [k, val] = v as [string, unknown];
    return { ...r, body: r.body && typeof r.body === 'object' && !Array.isArray(r.body) ? { ...r.body, [k]: val } : { [k]: val } };
  } },
  hugeString: { extra: fc.constantFrom('x'.repeat(70_000), '漢'.repeat(40_000)), apply: (r, pick, v) => ({ ...r, body: at(r.body, pick, () => v) }) },
  hugeArray: { extra: fc.constantFrom(5_001, 20_000), apply: (r, pick, n) => ({ ...r, body: at(r.body, pick, (old) => Array.from({ length: n as number }, (_v, i) => (Array.isArray(old) && old.length > 0 ? old[0] : i))) }) },
  unicode: { extra: weirdString, apply: (r, pick, v) => ({ ...r, body: at(r.body, pick, () => v) }) },
  boundaryNumber: { extra: fc.constantFrom(...BOUNDARY_NUMBERS), apply: (r, pick, v) => ({ ...r, body: at(r.body, pick, () => v) }) },
  malformedJson: { extra: fc.constantFrom('{', '{"a":', 'nul', '[1,2', '{"summary": "x",}', '\u0000', '{"a": NaN}', '"'), apply: (r, _p, v) => ({ ...r, rawBody: v as string }) },
  wrongContentType: { extra: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=latin1'), apply: (r, _p, v) => ({ ...r, contentType: v as string }) },
  badQuery: { extra: fc.tuple(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('page_size', 'maxResults', 'page_token', 'nextToken', 'user_id_type', 'timeMin', 'start_time', 'limit')), fc.oneof(weirdString, fc.constantFrom(...BOUNDARY_NUMBERS))), apply: (r, _p, v) => {
    const [k, val] = v as [string, unknown];
    return { ...r, query: { ...r.query, [k]: val } };
  } },
  badPathParam: { extra: weirdString, apply: (r, pick, v) => {
    const names = Object.keys(r.path);
    if (names.length === 0) return r;
    return { ...r, path: { ...r.path, [names[pick % names.length]!]: v as string } };
  } },
  noAuth: { extra: fc.constant(null), apply: (r) => ({ ...r, auth: 'none' }) },
  wrongAuth: { extra: fc.constant(null), apply: (r) => ({ ...r, auth: 'wrong' }) },
};

/** The body with the node picked by `pick` (among all its paths) replaced; `skipRoot` never replaces the whole body. */
function at(body: unknown, pick: number, next: (old: unknown) => unknown, skipRoot = false): unknown {
  const paths = pathsOf(body).filter((p) => !skipRoot || p.length > 0);
  if (paths.length === 0) return body;
  return replaceAt(body, paths[pick % paths.length]!, next);
}

/** Requests for `op`: valid ones from its schemas (known ids mixed in), then mutated. */
export function requestsFor(op: Operation, known: Record<string, string[]>): fc.Arbitrary<FuzzRequest> {
  const pathArb = fc.record(Object.fromEntries(op.pathParams.map((name) => [name,
    known[name] ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known[name]!) }, { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 20 }) }) : fc.string({ minLength: 1, maxLength: 20 }),
  ])));
  const base = fc.record({
    path: pathArb as fc.Arbitrary<Record<string, string>>,
    query: (op.query ? arbitraryOf(op.query) : fc.constant({})) as fc.Arbitrary<Record<string, unknown>>,
    body: op.body ? arbitraryOf(op.body) : fc.constant(undefined),
  });
  const mutation = fc.constantFrom(...Object.keys(MUTATORS)).chain((name) => fc.tuple(fc.constant(name), fc.nat(), MUTATORS[name]!.extra));
  return fc.tuple(base, fc.oneof({ weight: 1, arbitrary: fc.constant(['none', 0, null] as [string, number, unknown]) }, { weight: 4, arbitrary: mutation }))
    .map(([b, [name, pick, extra]]) => MUTATORS[name]!.apply({ ...b, contentType: 'application/json', auth: 'valid', mutation: name }, pick, extra));
}

/** Percent-encodes the UTF-8 of a path segment, lone surrogates included (as U+FFFD), or sends `%…` junk as is. */
function segment(value: string): string {
  if (/^%[0-9A-F]{0,2}/i.test(value) && value.length < 12) return value;
  return [...Buffer.from(value, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

export interface Credentials {
  dingtalk: string;
  feishu: string;
  admin: string;
}

export interface Sent {
  url: string;
  status: number;
  body: unknown;
  text: string;
}

/** Sends one request; the reply's JSON body (or null). */
export async function send(baseUrl: string, op: Operation, req: FuzzRequest, credentials: Credentials): Promise<Sent> {
  const path = op.template.replace(/\{(\w+)\}/g, (_m, name: string) => segment(req.path[name] ?? ''));
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) query.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  const url = `${baseUrl}${path}${query.size ? `?${query}` : ''}`;
  const headers: Record<string, string> = {};
  const token = req.auth === 'wrong' ? 'not-a-token-at-all-0000000000' : credentials[op.surface];
  if (req.auth !== 'none') {
    if (op.surface === 'dingtalk') headers['x-acs-dingtalk-access-token'] = token;
    else headers.authorization = `Bearer ${token}`;
  }
  const hasBody = op.method !== 'GET' && op.method !== 'HEAD' && (req.body !== undefined || req.rawBody !== undefined);
  if (hasBody) headers['content-type'] = req.contentType;
  const res = await fetch(url, { method: op.method, headers, redirect: 'manual', body: hasBody ? req.rawBody ?? JSON.stringify(req.body ?? null) : undefined });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { url, status: res.status, body, text };
}

/** Why a reply breaks the rules, or null. */
export function verdict(op: Operation, sent: Sent): string | null {
  if (sent.status >= 500) return `HTTP ${sent.status}`;
  if (!refused(op, sent)) return null;
  const b = sent.body as Record<string, any> | null | undefined;
  if (!b || typeof b !== 'object') return `refused (HTTP ${sent.status}) without a JSON body: ${sent.text.slice(0, 200)}`;
  if (op.surface === 'dingtalk' && !(typeof b.code === 'string' && typeof b.message === 'string' && typeof b.requestid === 'string')) return `not a DingTalk error body: ${sent.text.slice(0, 200)}`;
  // authen v2 oauth/token refuses in the OAuth 2.0 shape (RFC 6749 §5.2) with Feishu's code.
  if (op.surface === 'feishu' && op.template.endsWith('/authen/v2/oauth/token')) {
    if (!(typeof b.code === 'number' && b.code !== 0 && typeof b.error === 'string' && typeof b.error_description === 'string')) return `not an OAuth error body: ${sent.text.slice(0, 200)}`;
    return null;
  }
  if (op.surface === 'feishu' && !(typeof b.code === 'number' && b.code !== 0 && typeof b.msg === 'string')) return `not a Feishu error body: ${sent.text.slice(0, 200)}`;
  if (op.surface === 'admin' && !(typeof b.code === 'string' && typeof b.message === 'string')) return `not an admin error body: ${sent.text.slice(0, 200)}`;
  return null;
}

/** Whether the server refused the request (an error status, or Feishu's non-zero code). */
export function refused(op: Operation, sent: Sent): boolean {
  if (sent.status >= 400) return true;
  const code = (sent.body as { code?: unknown } | null)?.code;
  return op.surface === 'feishu' && typeof code === 'number' && code !== 0;
}

export interface RouteReport {
  operationId: string;
  route: string;
  tried: number;
  refused: number;
  failure: string | null;
}

export interface FuzzOptions {
  baseUrl: string;
  credentials: Credentials;
  known: Record<string, string[]>;
  digest: StoreDigest;
  runs: number;
  seed: number;
  /** Puts back what an accepted admin call changed (clock, faults), so later calls are comparable. */
  restore(): Promise<void>;
  /** Only these operations (ids); all when empty. */
  only?: string[];
}

/** Fuzzes each operation with `runs` requests; @returns one report per operation. */
/** A URL short enough for a report line. */
const short = (url: string) => (url.length > 160 ? `${url.slice(0, 150)}…(${url.length} chars)` : url);

export async function fuzzRoutes(options: FuzzOptions): Promise<RouteReport[]> {
  const reports: RouteReport[] = [];
  for (const op of await operationsOf(options.baseUrl)) {
    if (options.only?.length && !options.only.includes(op.operationId)) continue;
    const report: RouteReport = { operationId: `${op.surface} ${op.operationId}`, route: `${op.method} ${op.template}`, tried: 0, refused: 0, failure: null };
    const property = fc.asyncProperty(requestsFor(op, options.known), async (req) => {
      const before = await options.digest.read();
      const sent = await send(options.baseUrl, op, req, options.credentials);
      report.tried++;
      const wrong = verdict(op, sent);
      if (wrong) throw new Error(`${op.method} ${short(sent.url)} (${req.mutation}): ${wrong}`);
      if (refused(op, sent)) {
        report.refused++;
        const changed = changedTables(before, await options.digest.read());
        if (changed.length > 0) throw new Error(`${op.method} ${short(sent.url)} (${req.mutation}) was refused (HTTP ${sent.status}) but changed ${changed.join(', ')}`);
      } else if (op.surface === 'admin') {
        await options.restore();
      }
    });
    const result = await fc.check(property, { numRuns: options.runs, seed: options.seed, endOnFailure: true });
    if (result.failed) report.failure = `${String((result.errorInstance as Error | undefined)?.message ?? result.errorInstance)} (seed ${options.seed}, path ${result.counterexamplePath})`;
    reports.push(report);
  }
  return reports;
}
