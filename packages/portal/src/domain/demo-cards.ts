import type { DemoCards } from '@pmh/protocol';

/**
 * The demo's simulated My Number Cards, as the file the demo seed writes holds them: a list of
 * `{ cardSerial, privateJwk, name }`; undefined when the file says anything else.
 */
export function parseDemoCards(text: string): DemoCards['cards'] | undefined {
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(list)) return undefined;
  const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  const cards: DemoCards['cards'] = [];
  for (const c of list as Array<Record<string, any>>) {
    const k = c?.privateJwk;
    if (!str(c?.cardSerial) || !/^[0-9A-F]{16}$/.test(c.cardSerial) || !str(c?.name) || !k || ![k.kty, k.crv, k.x, k.y, k.d].every(str)) return undefined;
    cards.push({ cardSerial: c.cardSerial, name: c.name, privateJwk: { kty: k.kty, crv: k.crv, x: k.x, y: k.y, d: k.d } });
  }
  return cards;
}
