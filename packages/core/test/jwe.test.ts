import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { CompactEncrypt, EncryptJWT, generateKeyPair, exportJWK, compactDecrypt } from 'jose';
import { openCompactJwe, sealCompactJwe, JweError } from '../src/crypto/jwe.ts';

/**
 * The hub's own opening of ECDH-ES+A256KW / A256GCM compact JWEs, checked against jose (which
 * makes every token here): it must open what jose makes, and refuse every alteration.
 */
describe('compact JWE (ECDH-ES+A256KW, A256GCM)', async () => {
  const { publicKey, privateKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
  const nodeKey = crypto.createPrivateKey({ key: (await exportJWK(privateKey)) as crypto.JsonWebKey, format: 'jwk' });
  const keys = (kid: string | undefined) => (kid === 'k1' ? nodeKey : undefined);
  const make = (payload: string, header: Record<string, unknown> = {}) =>
    new CompactEncrypt(new TextEncoder().encode(payload))
      .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'k1', ...header })
      .encrypt(publicKey);

  it('opens what jose makes, byte for byte, with and without apu/apv', async () => {
    for (let i = 0; i < 50; i++) {
      const payload = crypto.randomBytes(1 + i * 7).toString('base64');
      const token = await make(payload);
      const opened = openCompactJwe(token, keys);
      assert.notEqual(opened, 'unknown-key');
      assert.equal((opened as any).plaintext.toString(), payload);
      assert.equal(Buffer.from((await compactDecrypt(token, privateKey)).plaintext).toString(), payload, 'jose agrees');
    }
    const withParties = await new CompactEncrypt(new TextEncoder().encode('hello'))
      .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'k1' })
      .setKeyManagementParameters({ apu: new TextEncoder().encode('oqs'), apv: new TextEncoder().encode('hub') })
      .encrypt(publicKey);
    assert.equal((openCompactJwe(withParties, keys) as any).plaintext.toString(), 'hello');
    const jwt = await new EncryptJWT({ pmhId: 'x' }).setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'k1' }).setJti('j').encrypt(publicKey);
    assert.equal(JSON.parse((openCompactJwe(jwt, keys) as any).plaintext.toString()).pmhId, 'x');
  });

  it('makes what jose opens, and what it opens itself', async () => {
    const recipient = crypto.createPublicKey({ key: (await exportJWK(publicKey)) as crypto.JsonWebKey, format: 'jwk' });
    for (let i = 0; i < 50; i++) {
      const payload = crypto.randomBytes(1 + i * 7).toString('base64');
      const token = sealCompactJwe(payload, recipient, { kid: 'k1', typ: 'test' });
      const byJose = await compactDecrypt(token, privateKey);
      assert.equal(Buffer.from(byJose.plaintext).toString(), payload);
      assert.deepEqual(
        [byJose.protectedHeader.kid, byJose.protectedHeader.typ, byJose.protectedHeader.alg, byJose.protectedHeader.enc],
        ['k1', 'test', 'ECDH-ES+A256KW', 'A256GCM'],
      );
      assert.equal((openCompactJwe(token, keys) as any).plaintext.toString(), payload);
    }
    assert.notEqual(sealCompactJwe('same', recipient), sealCompactJwe('same', recipient), 'a fresh ephemeral key and IV each time');
  });

  it('refuses a change of any byte in any part', async () => {
    const token = await make('{"pmhId":"pmhaaaaaaaaaaaaaaaaaaaaaaaaaa"}');
    const parts = token.split('.');
    for (let p = 0; p < 5; p++) {
      const bytes = Buffer.from(parts[p], 'base64url');
      for (let i = 0; i < bytes.length; i++) {
        const changed = Buffer.from(bytes);
        changed[i] ^= 0x01;
        const altered = [...parts];
        altered[p] = changed.toString('base64url');
        let result: unknown;
        try {
          result = openCompactJwe(altered.join('.'), keys);
        } catch (e) {
          assert.ok(e instanceof JweError, `part ${p} byte ${i}: ${(e as Error).message}`);
          continue;
        }
        // A change in the header may only ever turn the kid into one we do not hold.
        assert.equal(result, 'unknown-key', `part ${p} byte ${i} was accepted`);
      }
    }
  });

  it('refuses another recipient key, another profile, an off-curve point and malformed input', async () => {
    const other = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
    const foreign = await new CompactEncrypt(new TextEncoder().encode('x'))
      .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', kid: 'k1' })
      .encrypt(other.publicKey);
    assert.throws(() => openCompactJwe(foreign, keys), JweError);
    assert.equal(openCompactJwe(await make('x', { kid: 'k2' }), keys), 'unknown-key');
    const direct = await new CompactEncrypt(new TextEncoder().encode('x')).setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: 'k1' }).encrypt(publicKey);
    assert.throws(() => openCompactJwe(direct, keys), /unsupported alg/);
    const zipped = await make('x', { zip: 'DEF' }).catch(() => undefined);
    if (zipped) assert.throws(() => openCompactJwe(zipped, keys), JweError);
    // The ephemeral key replaced by a point that is not on P-256.
    const [h, ...rest] = (await make('x')).split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString());
    header.epk.y = Buffer.alloc(32, 1).toString('base64url');
    assert.throws(() => openCompactJwe([Buffer.from(JSON.stringify(header)).toString('base64url'), ...rest].join('.'), keys), JweError);
    for (const bad of ['', 'a.b', 'a.b.c.d.e', '!!.b.c.d.e', `${Buffer.from('[]').toString('base64url')}.b.c.d.e`])
      assert.throws(() => openCompactJwe(bad, keys), JweError);
  });
});
