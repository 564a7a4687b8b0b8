import { ApiClient, hubApi } from '@pmh/protocol';
import { linkageKeyRecipient, type LinkageKeyRecipient } from '@pmh/core/crypto/linkage-key';

/**
 * The PMH linkage key (PMH連携キー, docs/privacy.md#invariant-7): its format is protocol's
 * (`linkage-key.ts`), minted here with core's `mintLinkageKey` for one query and never stored.
 */
export { mintLinkageKey, type MintOptions } from '@pmh/core/crypto/linkage-key';

/** A hub encryption key, as its JWKS publishes it. */
export type HubKey = LinkageKeyRecipient;

/** A hub public key from its JWKS entry. */
export const hubKeyFromJwk = linkageKeyRecipient;

/**
 * The hub's current encryption key, from its published JWKS (`GET /hub/v1/jwks.json`; the first
 * `enc` key is the current one). Cached for `refreshMs`, so a rotation at the hub reaches us without
 * a restart; `refresh()` forces a fetch when the hub says it does not know the key we used.
 */
export class HubKeys {
  private cached?: { at: number; key: HubKey };
  private inflight?: Promise<HubKey>;

  constructor(
    private readonly hubUrl: string,
    private readonly refreshMs = 300_000,
  ) {}

  async current(): Promise<HubKey> {
    if (this.cached && Date.now() - this.cached.at < this.refreshMs) return this.cached.key;
    return this.refresh();
  }

  refresh(): Promise<HubKey> {
    this.inflight ??= this.fetchKey().finally(() => (this.inflight = undefined));
    return this.inflight;
  }

  private async fetchKey(): Promise<HubKey> {
    const jwks = await new ApiClient(this.hubUrl).ok(hubApi.public.jwks, {}, { timeoutMs: 5_000 });
    const jwk = jwks.keys.find((k) => k.use === 'enc' && k.kty === 'EC' && k.crv === 'P-256' && typeof k.kid === 'string');
    if (!jwk) throw new Error('hub JWKS has no P-256 encryption key');
    const key = hubKeyFromJwk(jwk as { kid: string; x?: string; y?: string });
    this.cached = { at: Date.now(), key };
    return key;
  }
}
