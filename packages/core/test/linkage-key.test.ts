/**
 * The PMH linkage key's two ends (protocol `linkage-key.ts`, core `crypto/linkage-key.ts`): what OQS
 * mints the hub opens, and every way a key can be wrong is told apart — the reasons the hub's 403
 * names. (The HTTP path, replays included, is e2e/eligibility.test.ts.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { compactDecrypt, importJWK } from 'jose';
import { LINKAGE_KEY_MAX_LIFETIME_SECONDS, LINKAGE_KEY_TYP } from '@pmh/protocol';
import { linkageKeyKid, linkageKeyRecipient, mintLinkageKey, openLinkageKey } from '../src/crypto/linkage-key.ts';
import { sealCompactJwe } from '../src/crypto/jwe.ts';

const PMH_ID = `pmh${'a'.repeat(26)}`;
const HUB = 'https://hub.example';

function hubKey(kid: string) {
  const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = crypto.createPublicKey(privateKey).export({ format: 'jwk' });
  return { kid, privateKey, recipient: linkageKeyRecipient({ kid, x: jwk.x, y: jwk.y }) };
}

describe('linkage key: minted by OQS, opened by the hub', () => {
  const current = hubKey('k1');
  const keyFor = (kid: string | undefined) => (kid === current.kid ? current.privateKey : undefined);
  const expect = { issuer: 'oqs', audience: HUB };

  it('opens what was minted: the PMH-ID, a fresh jti, a lifetime of at most 60 s; jose reads it too (RFC 7516)', async () => {
    const token = mintLinkageKey(current.recipient, { pmhId: PMH_ID, issuer: 'oqs', audience: HUB });
    assert.equal(linkageKeyKid(token), 'k1');
    const opened = openLinkageKey(token, keyFor, expect);
    assert.ok(opened.ok);
    assert.equal(opened.claims.pmhId, PMH_ID);
    assert.equal(opened.claims.exp - opened.claims.iat, LINKAGE_KEY_MAX_LIFETIME_SECONDS);
    const other = openLinkageKey(mintLinkageKey(current.recipient, { pmhId: PMH_ID, issuer: 'oqs', audience: HUB }), keyFor, expect);
    assert.ok(other.ok);
    assert.notEqual(other.claims.jti, opened.claims.jti);
    const jose = await compactDecrypt(token, await importJWK(current.privateKey.export({ format: 'jwk' }) as never, 'ECDH-ES+A256KW'));
    assert.equal(jose.protectedHeader.typ, LINKAGE_KEY_TYP);
    assert.equal(JSON.parse(new TextDecoder().decode(jose.plaintext)).pmhId, PMH_ID);
  });

  it('tells each refusal apart: unknown key, tampered, expired, too long-lived, another audience, another issuer', () => {
    const mint = (o: Partial<Parameters<typeof mintLinkageKey>[1]> = {}, to = current.recipient) =>
      mintLinkageKey(to, { pmhId: PMH_ID, issuer: 'oqs', audience: HUB, ...o });
    const reason = (token: string, at: { issuer: string; audience: string; now?: number } = expect) => {
      const r = openLinkageKey(token, keyFor, at);
      return r.ok ? 'ok' : r.reason;
    };
    assert.equal(reason(mint({}, hubKey('k2').recipient)), 'unknown-key');
    const token = mint();
    const parts = token.split('.');
    parts[3] = (parts[3][0] === 'A' ? 'B' : 'A') + parts[3].slice(1);
    assert.equal(reason(parts.join('.')), 'invalid');
    assert.equal(reason('not.a.jwe'), 'invalid');
    assert.equal(reason(mint({ now: Date.now() - 120_000 })), 'expired');
    assert.equal(reason(mint({ ttlSeconds: 600 })), 'ok', 'a longer lifetime asked for is cut to 60 s');
    assert.equal(reason(mint({ audience: 'https://elsewhere.example' })), 'wrong-audience');
    assert.equal(reason(mint({ issuer: 'someone-else' })), 'wrong-issuer');
    assert.equal(reason(token, { ...expect, now: Date.now() + 3_600_000 }), 'expired');
  });

  it('a key whose claims break the format is invalid: a malformed PMH-ID, a jti the replay register could not hold', () => {
    // The same profile and header, other claims: sealed through the JWE layer directly.
    const seal = (claims: Record<string, unknown>) => sealCompactJwe(JSON.stringify(claims), current.recipient.key, { kid: current.kid, typ: LINKAGE_KEY_TYP });
    const now = Math.floor(Date.now() / 1000);
    const base = { pmhId: PMH_ID, iss: 'oqs', aud: HUB, jti: 'j1', iat: now, exp: now + 30 };
    for (const claims of [
      { ...base, pmhId: 'PMH-1' },
      { ...base, jti: '' },
      { ...base, jti: 'a\u0000b' },
      { ...base, exp: 'soon' },
    ]) {
      const r = openLinkageKey(seal(claims), keyFor, expect);
      assert.ok(!r.ok && r.reason === 'invalid', JSON.stringify(claims));
    }
    assert.ok(openLinkageKey(seal(base), keyFor, expect).ok);
  });
});
