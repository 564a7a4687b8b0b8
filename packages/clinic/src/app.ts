import type { Logger } from 'pino';
import type { JWK } from 'jose';
import { ApiClient } from '@pmh/protocol/contract';
import { createApp, type App, type ObservedExchange } from '@pmh/core/http/app';
import type { RateLimitSettings } from '@pmh/core/http/rate-limit';
import { metricsAccess, resolveMetrics, serveMetrics, ServiceMetrics, type MetricsOptions } from '@pmh/core/http/metrics';
import { TokenClient } from '@pmh/core/auth/index';
import type { ClinicContext } from './context.ts';
import { OQS_TIMEOUT_MS, receptionRoutes } from './routes/reception/index.ts';
import { PORTAL_TIMEOUT_MS, vaccinationRoutes } from './routes/vaccination/index.ts';

/**
 * The medical-institution system (医療機関システム) at reception, seed A④, and its app for
 * vaccination (医療機関用アプリ), seed B⑤: it holds nothing about residents beyond what a visit shows.
 * Its API is open to the clinic's own network (no credential of its own: the card and the patient's
 * consent are what it relays); writes are rate-limited per address. As the institution (client
 * `clinic:<code>`, one key) it asks OQS for a card challenge and for eligibility, and the portal for
 * a consent and then the person's vaccinations; the card signs each challenge at the reader. Its JSON
 * API serves the reception page, the vaccination screen and the clinic's own systems.
 */
export interface ClinicConfig {
  institutionCode: string;
  name: string;
  /** The institution's OAuth client at OQS and its signing key. */
  clientId: string;
  privateJwk: JWK;
  oqsUrl: string;
  /**
   * The portal (マイナポータル), called as the same client for the vaccination screen (consent and
   * relay, seed B⑤); without it those routes answer 503.
   */
  portalUrl?: string;
  logger: Logger;
  /** The simulated card reader's cards (`data/demo/cards.json`); without it the reader is empty. */
  cardsFile?: string;
  /** Registers extra routes (the reception page) before the app is ready. */
  pages?: (app: App) => Promise<void> | void;
  observe?: (e: ObservedExchange) => void;
  /** Rate limits of its writes, per address; the environment's (`PMH_RATE_LIMIT…`) when absent. */
  rateLimit?: Partial<RateLimitSettings>;
  /** `/metrics`; the environment's (`PMH_METRICS…`) when absent. */
  metrics?: Partial<MetricsOptions>;
}

export interface Clinic {
  app: App;
  close(): Promise<void>;
}

export async function buildClinic(config: ClinicConfig): Promise<Clinic> {
  const metricsOptions = resolveMetrics(config.metrics);
  const metrics = metricsOptions.enabled ? new ServiceMetrics('clinic', metricsOptions) : undefined;
  const app = await createApp({
    service: 'clinic',
    description: `医療機関システム (${config.name}): card challenges and medical-subsidy eligibility through OQS for the reception page; consent and vaccination records through the portal for the vaccination screen.`,
    logger: config.logger,
    ready: async () => {},
    observe: config.observe,
    rateLimit: config.rateLimit,
    metrics,
  });
  // It issues no tokens: only the allowed scrapers' addresses (default loopback) read its metrics.
  if (metrics) serveMetrics(app, metrics, metricsAccess(metricsOptions.allow));
  // One client, one key, a token from each service it calls (each is its own authorization server).
  const client = (baseUrl: string, timeoutMs: number) => {
    const tokens = new TokenClient({ baseUrl, clientId: config.clientId, privateJwk: config.privateJwk as any });
    return new ApiClient(baseUrl, { authorization: () => tokens.authorization(), invalidate: () => tokens.invalidate(), timeoutMs });
  };
  const context: ClinicContext = {
    config,
    oqs: client(config.oqsUrl, OQS_TIMEOUT_MS),
    portal: config.portalUrl ? client(config.portalUrl, PORTAL_TIMEOUT_MS) : undefined,
  };
  await app.register(receptionRoutes, context);
  await app.register(vaccinationRoutes, context);
  await config.pages?.(app);
  await app.ready();
  return { app, close: () => app.close() };
}
