import { oqsApi } from '@pmh/protocol';
import { newChallenge } from '@pmh/core/crypto/index';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import type { OqsContext } from '../../context.ts';
import { storeChallenge } from '../../store/cards.ts';

/** Who may ask for a card challenge: medical institutions at reception, and the portal at login. */
export const CARD_READERS = ['clinic:*', 'portal'] as const;

/** What card readers call: a challenge for the card to sign (seed A④). */
export async function cardReaderRoutes(app: App, { base, db }: OqsContext): Promise<void> {
  const readers = surface(app, { access: base.auth.requireRole(...CARD_READERS), tags: ['card authentication'] });

  readers.serve(oqsApi.issueCardChallenge, async (req) => {
    const challenge = newChallenge();
    const expiresAt = await storeChallenge(db, challenge, req.principal!.clientId);
    return { challenge, expiresAt: expiresAt.toISOString() };
  });
}
