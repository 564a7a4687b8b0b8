import fs from 'node:fs';
import { clinicApi, oqsApi } from '@pmh/protocol';
import type { Endpoint, Input, Success } from '@pmh/protocol/contract';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import type { ClinicContext } from '../../context.ts';
import { peerRelay } from '../peer.ts';

/** A reception desk waits this long for OQS (which waits up to 5 s for the hub). */
export const OQS_TIMEOUT_MS = 8_000;

const OQS = { code: 'oqs-unavailable', name: 'OQS (オンライン資格確認等システム)', refused: 'oqs-refused' };

/**
 * The reception's API (seed A④), open to the clinic's own network: the reception page and the
 * clinic's own systems. Writes are rate-limited per address. It relays to OQS as the institution:
 * OQS's answer as it is (its problems with their status and type); OQS unreachable, or failing, → 503.
 */
export async function receptionRoutes(app: App, { config, oqs }: ClinicContext): Promise<void> {
  const reception = surface(app, { access: 'public', tags: ['clinic'] });

  const relay = peerRelay(app, oqs, OQS);
  const toOqs = async <E extends Endpoint>(e: E, input: Input<E>): Promise<Success<E>> => (await relay.call(e, input)).body;

  reception.serve(clinicApi.institution, async () => ({ institutionCode: config.institutionCode, name: config.name }));

  reception.serve(clinicApi.readerCards, async () => {
    if (!config.cardsFile || !fs.existsSync(config.cardsFile)) return { cards: [] };
    const cards = JSON.parse(fs.readFileSync(config.cardsFile, 'utf8')) as Array<{ cardSerial: string; name: string; privateJwk: Record<string, unknown> }>;
    return { cards: cards.map((c) => ({ cardSerial: c.cardSerial, name: c.name, privateJwk: c.privateJwk })) };
  });

  reception.serve(clinicApi.issueCardChallenge, () => toOqs(oqsApi.issueCardChallenge, {}));

  reception.serve(clinicApi.checkEligibility, (req) => toOqs(oqsApi.checkEligibility, { body: { institutionCode: config.institutionCode, ...req.body } }));
}
