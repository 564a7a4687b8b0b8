import type { ServiceConfig } from '@pmh/core/service';

export interface PortalConfig extends ServiceConfig {
  /** Resident sessions: idle timeout (default 30 min) and absolute lifetime (default 8 h), in ms. */
  session?: { idleMs?: number; absoluteMs?: number };
  /**
   * The demo only: a file of simulated My Number Cards (`[{ cardSerial, privateJwk, name }]`) that the
   * demo's browser pages sign with, standing in for the physical card. Absent in production.
   */
  demo?: { cardsFile: string };
  /** Clinics' consents (seed B⑤): how long one lasts (default 600 s: minutes, not hours). */
  consent?: { ttlSeconds?: number };
}

export const DEFAULT_CONSENT_TTL_SECONDS = 600;

/** How long a clinic's consent lasts, in seconds. */
export function consentTtlSeconds(config: ServiceConfig): number {
  return (config as PortalConfig).consent?.ttlSeconds ?? DEFAULT_CONSENT_TTL_SECONDS;
}

export const DEFAULT_SESSION = { idleMs: 30 * 60_000, absoluteMs: 8 * 3600_000 };

/** The session lifetimes in force. */
export function sessionLifetimes(config: ServiceConfig): { idleMs: number; absoluteMs: number } {
  const s = (config as PortalConfig).session;
  return { idleMs: s?.idleMs ?? DEFAULT_SESSION.idleMs, absoluteMs: s?.absoluteMs ?? DEFAULT_SESSION.absoluteMs };
}
