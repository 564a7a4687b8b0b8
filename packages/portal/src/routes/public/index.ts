import fs from 'node:fs/promises';
import { portalApi } from '@pmh/protocol';
import { newChallenge } from '@pmh/core/crypto/index';
import { ProblemError } from '@pmh/core/http/problem';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import type { PortalContext } from '../../context.ts';
import { parseDemoCards } from '../../domain/demo-cards.ts';
import { storeChallenge } from '../../store/sessions.ts';

/**
 * What anyone may call, without a credential: a login challenge (this is how a login begins;
 * counted per IP address by the rate limits), and in the demo only, the simulated cards.
 */
export async function publicRoutes(app: App, { base, db, config }: PortalContext): Promise<void> {
  const open = surface(app, { access: 'public', tags: ['residents'] });

  open.serve(portalApi.issueSessionChallenge, async () => {
    const challenge = newChallenge();
    const expiresAt = await storeChallenge(db, challenge);
    return { challenge, expiresAt: expiresAt.toISOString() };
  });

  const demo = config.demo;
  if (demo)
    open.serve(portalApi.demoCards, async () => {
      let text: string;
      try {
        text = await fs.readFile(demo.cardsFile, 'utf8');
      } catch {
        throw new ProblemError(404, 'not-found', 'No demo cards have been made yet.');
      }
      const cards = parseDemoCards(text);
      if (!cards) {
        base.log.error('demo cards: the file is not a list of { cardSerial, privateJwk, name }');
        throw new ProblemError(503, 'demo-cards-unavailable', 'The demo cards cannot be read.');
      }
      return { cards };
    });
}
