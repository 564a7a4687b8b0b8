import { clinicApi, portalApi } from '@pmh/protocol';
import { surface } from '@pmh/core/http/serve';
import { ProblemError } from '@pmh/core/http/problem';
import type { App } from '@pmh/core/http/app';
import type { ClinicContext } from '../../context.ts';
import { peerRelay, type PeerRelay } from '../peer.ts';

/** The doctor's screen waits this long for the portal (which waits for OQS on a consent, and for the hub on the rest). */
export const PORTAL_TIMEOUT_MS = 10_000;

const PORTAL = { code: 'portal-unavailable', name: 'The portal (マイナポータル)', refused: 'portal-refused' };

/**
 * The vaccination screen's API (seed B⑤), open to the clinic's own network like reception's: each
 * route relays one portal endpoint as this institution (client `clinic:<code>`), and answers with the
 * portal's status and body — its problems as they came, a refused record's `warnings` included. Nothing
 * about the person is kept here: no table, no cache, no log line with an answer in it; the consent id
 * in the path is the only handle, and the portal ends it within minutes.
 */
export async function vaccinationRoutes(app: App, { portal }: ClinicContext): Promise<void> {
  const screen = surface(app, { access: 'public', tags: ['clinic'] });
  const relay: PeerRelay = portal
    ? peerRelay(app, portal, PORTAL)
    : {
        call: () => {
          throw new ProblemError(503, PORTAL.code, 'This clinic system has no portal configured (portalUrl), so it cannot relay vaccination data.');
        },
      };

  screen.serve(clinicApi.issueConsentChallenge, async () => (await relay.call(portalApi.issueConsentChallenge, {})).body);

  screen.serve(clinicApi.grantConsent, async (req, reply) => {
    const a = await relay.call(portalApi.grantConsent, { body: req.body });
    reply.status(a.status);
    return a.body;
  });

  screen.serve(clinicApi.vaccinations, async (req) => (await relay.call(portalApi.relayVaccinations, { params: req.params })).body);

  screen.serve(clinicApi.questionnaires, async (req) => (await relay.call(portalApi.relayQuestionnaires, { params: req.params })).body);

  screen.serve(clinicApi.checkDose, async (req) => (await relay.call(portalApi.relayCheckDose, { params: req.params, body: req.body })).body);

  screen.serve(clinicApi.recordVaccination, async (req, reply) => {
    const key = req.headers['idempotency-key'];
    const a = await relay.call(portalApi.relayRecordVaccination, {
      params: req.params,
      body: req.body,
      ...(typeof key === 'string' ? { headers: { 'idempotency-key': key } } : {}),
    });
    reply.status(a.status);
    return a.body;
  });

  // Checkups (seed C⑤): the individual checkup's and the group session's reads and writes, relayed the same way.
  screen.serve(clinicApi.checkups, async (req) => (await relay.call(portalApi.relayCheckups, { params: req.params })).body);

  screen.serve(clinicApi.recordCheckupResult, async (req, reply) => {
    const key = req.headers['idempotency-key'];
    const a = await relay.call(portalApi.relayRecordCheckupResult, {
      params: req.params,
      body: req.body,
      ...(typeof key === 'string' ? { headers: { 'idempotency-key': key } } : {}),
    });
    reply.status(a.status);
    return a.body;
  });

  screen.serve(clinicApi.correctVaccination, async (req) => (await relay.call(portalApi.relayCorrectVaccination, { params: req.params, body: req.body })).body);

  screen.serve(clinicApi.cancelVaccination, async (req) => (await relay.call(portalApi.relayCancelVaccination, { params: req.params, body: req.body })).body);
}
