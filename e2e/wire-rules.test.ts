import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, LogCapture } from '@pmh/core/http/logging';
import { generateClientKey } from '@pmh/core/auth/index';
import { buildClinic, type Clinic } from '@pmh/clinic';
import { WIRE_FORMATS } from '@pmh/protocol';
import { World, type ServiceName } from '../packages/testkit/src/index.ts';

/**
 * Issue 9: "one text rule for the whole wire". Every request schema of every service, as each
 * publishes it at /openapi.json (body, path, query and headers), obeys it: every string has a
 * maximum length and a character rule (one of the wire's formats, a pattern, an enum or a constant),
 * every number a range, every array a maximum size. A route added later without the rule fails here.
 */
const SERVICES: ServiceName[] = ['hub', 'idserver', 'oqs', 'portal'];
/** Standard formats that bound their characters themselves. */
const STANDARD_FORMATS = new Set(['uuid', 'uri']);
/** Bodies kept unread and validated part by part later, by the same rule (a registration task's records). */
const UNREAD_ITEMS = new Set(['POST /municipal/v1/medical-subsidy/registration-tasks']);

type Schema = Record<string, any>;

/** Every place in `schema` that breaks the rule, as `where: why`. */
function violations(schema: Schema | undefined, where: string, unreadItems: boolean): string[] {
  if (schema === undefined || schema === null) return [];
  const out: string[] = [];
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const)
    if (Array.isArray(schema[k])) schema[k].forEach((s: Schema, i: number) => out.push(...violations(s, `${where}<${k}${i}>`, unreadItems)));
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const constant = 'const' in schema || Array.isArray(schema.enum);
  if (types.includes('string') && !constant) {
    if (typeof schema.maxLength !== 'number') out.push(`${where}: a string without maxLength`);
    const ruled = (schema.format && (schema.format in WIRE_FORMATS || STANDARD_FORMATS.has(schema.format))) || typeof schema.pattern === 'string';
    if (!ruled) out.push(`${where}: a string without a character rule (format ${schema.format ?? 'none'})`);
    if (schema.format === 'uri' && typeof schema.pattern !== 'string') out.push(`${where}: a URI without a scheme pattern`);
  }
  if ((types.includes('integer') || types.includes('number')) && !constant) {
    if (typeof schema.minimum !== 'number' || typeof schema.maximum !== 'number') out.push(`${where}: a number without minimum and maximum`);
  }
  if (types.includes('array')) {
    // An unread body's size is the handler's to refuse (a task of more than 10,000 records is a 413).
    if (typeof schema.maxItems !== 'number' && !unreadItems) out.push(`${where}: an array without maxItems`);
    const items = schema.items;
    if (items && Object.keys(items).length === 0) {
      if (!unreadItems) out.push(`${where}[]: items of any kind`);
    } else out.push(...violations(items, `${where}[]`, false));
  }
  if (types.includes('object')) {
    for (const [name, s] of Object.entries(schema.properties ?? {})) out.push(...violations(s as Schema, `${where}/${name}`, false));
    if (schema.additionalProperties !== false && typeof schema.maxProperties !== 'number' && schema.properties && Object.keys(schema.properties).length)
      if (!where.includes('headers')) out.push(`${where}: an open object without maxProperties`);
  }
  if (!types.length && !constant && !schema.anyOf && !schema.oneOf && !schema.allOf && !('$ref' in schema)) out.push(`${where}: a value of any kind`);
  return out;
}

/** Every request part of every operation of one service's OpenAPI document. */
function documentViolations(service: string, doc: any): string[] {
  const out: string[] = [];
  for (const [path, ops] of Object.entries<any>(doc.paths ?? {})) {
    for (const [method, op] of Object.entries<any>(ops)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const name = `${method.toUpperCase()} ${path.replace(/\{[^}]+\}/g, (m) => m)}`;
      for (const p of op.parameters ?? []) {
        if (p.in === 'header' && !['idempotency-key', 'consent-assertion'].includes(p.name)) continue;
        out.push(...violations(p.schema, `${service} ${name} ${p.in} ${p.name}`, false));
      }
      for (const [type, c] of Object.entries<any>(op.requestBody?.content ?? {}))
        out.push(...violations(c.schema, `${service} ${name} body(${type})`, UNREAD_ITEMS.has(name)));
    }
  }
  return out;
}

describe('one text rule for the whole wire (issue 9)', () => {
  let w: World;
  let clinic: Clinic;

  before(async () => {
    w = await World.start({ services: SERVICES });
    const key = await generateClientKey();
    clinic = await buildClinic({
      institutionCode: '1312345674',
      name: 'テスト医院',
      clientId: 'clinic-1312345674',
      privateJwk: key.privateJwk,
      oqsUrl: w.url('oqs'),
      logger: createLogger({ service: 'clinic', destination: new LogCapture(), level: 'warn' }),
    });
  });
  after(async () => {
    await clinic?.close();
    await w?.stop();
  });

  it('every request schema of every service bounds and rules every string, number and array', async () => {
    const found: string[] = [];
    let operations = 0;
    for (const name of SERVICES) {
      const doc = await (await fetch(`${w.url(name)}/openapi.json`)).json();
      operations += Object.values<any>(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
      found.push(...documentViolations(name, doc));
    }
    const doc = (await clinic.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    found.push(...documentViolations('clinic', doc));
    assert.ok(operations > 30, `walked ${operations} operations`);
    assert.deepEqual(found, []);
  });
});
