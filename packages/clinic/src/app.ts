import type { Logger } from 'pino';
import type { JWK } from 'jose';
import { ApiClient } from '@pmh/protocol/contract';
import { createApp, type App, type ObservedExchange } from '@pmh/core/http/app';
import type { RateLimitSettings } from '@pmh/core/http/rate-limit';
import { metricsAccess, resolveMetrics, serveMetrics, ServiceMetrics, type MetricsOptions } from '@pmh/core/http/metrics';
import { TokenClient } from '@pmh/core/auth/index';
import type { ClinicContext } from './context.ts';
import { OQS_TIMEOUT_MS, receptionRoutes } from './routes/reception/index.ts';

/**
 * The medical-institution system (医療機関システム) at reception, seed A④: it holds nothing about
 * residents beyond what a visit shows. Its API is open to the clinic's own network (no credential
 * of its own: the card and the patient's consent are what it relays); writes are rate-limited per address. It asks OQS, as the institution (client `clinic:<code>`),
 * for a card challenge and for eligibility; the card signs the challenge at the reader. Its JSON API
 * serves the reception page and the clinic's own systems on the clinic's network.
 */
export interface ClinicConfig {
  institutionCode: string;
  name: string;
  /** The institution's OAuth client at OQS and its signing key. */
  clientId: string;
  privateJwk: JWK;
  oqsUrl: string;
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
    description: `医療機関システム (${config.name}): card challenges and medical-subsidy eligibility through OQS, for the reception page and the clinic's own systems.`,
    logger: config.logger,
    ready: async () => {},
    observe: config.observe,
    rateLimit: config.rateLimit,
    metrics,
  });
  // It issues no tokens: only the allowed scrapers' addresses (default loopback) read its metrics.
  if (metrics) serveMetrics(app, metrics, metricsAccess(metricsOptions.allow));
  const tokens = new TokenClient({ baseUrl: config.oqsUrl, clientId: config.clientId, privateJwk: config.privateJwk as any });
  const context: ClinicContext = {
    config,
    oqs: new ApiClient(config.oqsUrl, { authorization: () => tokens.authorization(), invalidate: () => tokens.invalidate(), timeoutMs: OQS_TIMEOUT_MS }),
  };
  await app.register(receptionRoutes, context);
  await config.pages?.(app);
  await app.ready();
  return { app, close: () => app.close() };
}
