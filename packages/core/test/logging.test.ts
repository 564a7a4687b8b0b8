import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, LogCapture, scrubMyNumbers } from '../src/http/logging.ts';
import { randomIdentifier, randomLinkageNumber } from '../src/crypto/ids.ts';
import { spellings } from '../../testkit/src/inspect.ts';

const MY_NUMBER = '983205673214';

describe('log redaction of My Numbers and identifiers', () => {
  it('scrubs 12-digit runs in every spelling, and leaves other numbers', () => {
    for (const s of spellings(MY_NUMBER)) assert.equal(scrubMyNumbers(`x ${s} y`), 'x [REDACTED] y', s);
    // In a path, glued to its neighbours by slashes and quotes as a log line has it.
    for (const s of spellings(MY_NUMBER)) assert.ok(!scrubMyNumbers(`{"path":"/x/${s}/y"}`).match(/\d{4}/), s);
    for (const keep of [
      '1311234567',
      '98320567321400',
      '2026-11-25T06:37:28.164Z',
      'a1b2c3',
      '127.0.0.1',
      '{"responseTime":12.3,"status":200}',
      '4441b294-3293-4e53-9365-53d829716be7',
      '100%',
    ])
      assert.equal(scrubMyNumbers(keep), keep);
  });

  it('scrubs PMH-IDs, pseudonyms, PMH pseudonyms, linkage numbers and card serials, also percent-encoded or full-width', () => {
    for (const id of [randomIdentifier('pmh'), randomIdentifier('ps'), randomIdentifier('pp'), randomLinkageNumber(), 'A1B2C3D4E5F60789'])
      for (const s of spellings(id)) assert.equal(scrubMyNumbers(`{"u":"/r/${s}/x"}`), '{"u":"/r/[REDACTED]/x"}', s);
  });

  it('redacts known fields and free text in real log lines', () => {
    const cap = new LogCapture();
    const log = createLogger({ service: 't', destination: cap, level: 'info' });
    log.info({ myNumber: MY_NUMBER, nested: { myNumber: 'x' }, note: 'called with 9832-0567-3214' }, 'hello 983205673214');
    const line = cap.text();
    assert.ok(!line.includes(MY_NUMBER) && !line.includes('9832-0567-3214'));
    assert.match(line, /"myNumber":"\[REDACTED\]"/);
  });
});
