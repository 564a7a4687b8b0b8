import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Value } from 'typebox/value';
import '@pmh/protocol';
import { writeEndpoints } from '../src/fuzz/endpoints.ts';
import { mutate, pathsOf } from '../src/fuzz/hostile.ts';
import { shapedValue } from '../src/fuzz/schema.ts';
import { encodeSegment, requestsOf, urlOf } from '../src/fuzz/request.ts';

/**
 * The fuzz suite's generators (packages/testkit/src/fuzz): what they call well-shaped is what the
 * endpoint's schema takes, so a refusal of a mutated case is the mutation's doing; a mutation changes
 * the one place it names; the URL carries what a hostile caller would put there.
 */
describe('the fuzz generators', () => {
  const endpoints = writeEndpoints();

  it('find the write endpoints of every service in the contract, each once', () => {
    const names = endpoints.map((e) => e.name);
    assert.equal(new Set(names).size, names.length);
    for (const n of [
      'hub.municipal.registerMedicalSubsidy',
      'hub.municipal.putProgram',
      'idserver.issuePmhIds',
      'oqs.importInsured',
      'portal.logIn',
      'clinic.checkEligibility',
    ])
      assert.ok(names.includes(n), `${n} is found`);
    assert.ok(endpoints.every((e) => e.endpoint.method !== 'GET'));
  });

  it("generate bodies, path parameters and queries that each endpoint's own schema accepts", () => {
    for (const e of endpoints)
      for (const part of ['body', 'params', 'querystring'] as const) {
        const schema = e.endpoint[part];
        if (!schema) continue;
        for (const v of fc.sample(shapedValue(schema as Record<string, any>), { seed: 9, numRuns: 40 }))
          assert.ok(
            Value.Check(schema, v),
            `${e.name} ${part}: ${JSON.stringify(v).slice(0, 400)} ${JSON.stringify([...Value.Errors(schema, v)].slice(0, 2))}`,
          );
      }
  });

  it('a mutation changes the place it names and nothing else', () => {
    const base = { a: [1, { b: 'x' }], c: 'y' };
    const paths = pathsOf(base);
    assert.deepEqual(paths, [[], ['a'], ['a', 0], ['a', 1], ['a', 1, 'b'], ['c']]);
    assert.deepEqual(mutate(base, ['a', 1, 'b'], { kind: 'replace', value: '\u0000' }), { a: [1, { b: '\u0000' }], c: 'y' });
    assert.deepEqual(mutate(base, ['c'], { kind: 'remove' }), { a: [1, { b: 'x' }] });
    assert.deepEqual(mutate(base, ['a'], { kind: 'append', value: null }), { a: [1, { b: 'x' }, null], c: 'y' });
    const proto = mutate(base, [], { kind: 'extra-field', key: '__proto__', value: 1 }) as Record<string, unknown>;
    assert.ok(JSON.stringify(proto).includes('"__proto__":1'), 'an own __proto__ field is sent as one');
    assert.deepEqual(base, { a: [1, { b: 'x' }], c: 'y' }, 'the original is untouched');
  });

  it('put lone surrogates on the wire as the bytes they would have, and every case has a URL', () => {
    assert.equal(encodeSegment('a\uD800b'), 'a%ED%A0%80b');
    assert.equal(encodeSegment('𠮷/'), '%F0%A0%AE%B7%2F');
    const put = endpoints.find((e) => e.name === 'hub.municipal.putProgram')!;
    for (const r of fc.sample(requestsOf(put.endpoint), { seed: 3, numRuns: 200 }))
      assert.match(urlOf(put.endpoint, r), /^\/municipal\/v1\/medical-subsidy\/programs\//);
  });
});
