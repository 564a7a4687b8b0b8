import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, LogCapture, scrubMyNumbers } from '../src/http/logging.ts';

describe('log redaction of My Numbers', () => {
  it('scrubs 12-digit runs in every spelling, and leaves other numbers', () => {
    for (const s of ['983205673214', '９８３２０５６７３２１４', '9832-0567-3214', '9832 0567 3214', '9832　0567　3214'])
      assert.equal(scrubMyNumbers(`x ${s} y`), 'x [REDACTED] y', s);
    for (const keep of ['1311234567', '98320567321400', '2026-11-25T06:37:28.164Z', 'a1b2c3'])
      assert.equal(scrubMyNumbers(keep), keep);
  });

  it('redacts known fields and free text in real log lines', () => {
    const cap = new LogCapture();
    const log = createLogger({ service: 't', destination: cap, level: 'info' });
    log.info({ myNumber: '983205673214', nested: { myNumber: 'x' }, note: 'called with 9832-0567-3214' }, 'hello 983205673214');
    const line = cap.text();
    assert.ok(!line.includes('983205673214') && !line.includes('9832-0567-3214'));
    assert.match(line, /"myNumber":"\[REDACTED\]"/);
  });
});
