import type { FastifyRequest } from 'fastify';
import { ProblemError } from '@pmh/core/http/problem';
import { holdsTwelveDigits } from '@pmh/core/text/my-number';
import type { MunicipalScope } from '../../store/index.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's municipality's data (row-level security entered): set on every municipal route, before its handler. */
    municipality?: MunicipalScope;
  }
}

/**
 * The municipality a request acts for: a municipality's own, from its token (naming another is a
 * 403); an admin names one (`?municipalityCode=`, a 400 without it).
 */
export function callerMunicipality(req: FastifyRequest): string {
  const p = req.principal!;
  const asked = (req.query as { municipalityCode?: string } | undefined)?.municipalityCode;
  if (p.municipalityCode) {
    if (asked && asked !== p.municipalityCode) throw new ProblemError(403, 'forbidden', 'A municipality may act only for itself.');
    return p.municipalityCode;
  }
  if (!asked)
    throw new ProblemError(400, 'validation', 'An admin must name the municipality.', {
      errors: [{ pointer: '/query/municipalityCode', message: 'is required for admin' }],
    });
  return asked;
}

/** The scope of the request's municipality (every municipal route has one). */
export function scopeOf(req: FastifyRequest): MunicipalScope {
  if (!req.municipality) throw new Error(`municipal route ${req.routeOptions.url} has no scope`);
  return req.municipality;
}

/** Who the audit trail names: the operator, the officer (console session), or the municipality. */
export function actorOf(req: FastifyRequest, code: string): string {
  if (req.officer) return `officer:${req.officer.municipalityCode}:${req.officer.loginId}`;
  return req.principal!.role === 'admin' ? `admin:${req.principal!.clientId}` : `municipality:${code}`;
}

/**
 * The request id as the audit trail may hold it. A client chooses it (X-Request-Id); one that looks
 * like a My Number is left out, since appendAudit refuses such a value and the read would fail (500).
 */
export const auditableRequestId = (id: string): string | undefined => (holdsTwelveDigits(id) ? undefined : id);
