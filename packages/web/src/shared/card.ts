/**
 * The simulated My Number Card: it signs a challenge with its private key, as the card's IC chip
 * would (ES256 over the challenge as UTF-8). WebCrypto answers the JOSE form, r ‖ s (64 bytes),
 * which is what OQS checks; we send it base64url without padding.
 */

/** A simulated card as the demo endpoints hand it over (the portal's and the clinic's reader alike). */
export interface DemoCard {
  cardSerial: string;
  name: string;
  privateJwk: Record<string, unknown>;
}

export function base64url(bytes: ArrayBuffer): string {
  let s = '';
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export async function signChallenge(card: DemoCard, challenge: string): Promise<string> {
  const { kty, crv, x, y, d } = card.privateJwk as JsonWebKey;
  const key = await crypto.subtle.importKey('jwk', { kty, crv, x, y, d }, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  const signature = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, new TextEncoder().encode(challenge));
  return base64url(signature);
}
