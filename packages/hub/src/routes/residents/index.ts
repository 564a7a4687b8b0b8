import { WIRE_FORMATS, hubApi, isSingleLineText } from '@pmh/protocol';
import { auditStream, type AuditCursor, type AuditEntry } from '@pmh/core/audit/index';
import { ProblemError } from '@pmh/core/http/problem';
import { surface } from '@pmh/core/http/serve';
import type { App } from '@pmh/core/http/app';
import { todayInJapan } from '@pmh/core/text/japanese';
import { accessLogActor, residentCertificates } from '../../domain/medical-subsidy/resident-view.ts';
import type { ResidentPerson } from '../../store/residents.ts';
import { residentVaccinations } from '../../domain/vaccination/resident-view.ts';
import { residentCheckups } from '../../domain/maternal-child/resident-view.ts';
import type { HubRouteOptions } from '../options.ts';

/** The purpose of the resident's own reads: the access log leaves them out (the resident knows). */
export const RESIDENT_SELF_VIEW = 'resident-self-view';

const notLinked = () => new ProblemError(404, 'not-linked', 'No person is linked to this PMH pseudonym.');

/** `nextBefore`: the last row's keyset position, opaque to the caller. */
function encodeCursor(c: AuditCursor): string {
  return Buffer.from(JSON.stringify([c.at, c.stream, c.seq]), 'utf8').toString('base64url');
}

function decodeCursor(text: string): AuditCursor {
  try {
    const [at, stream, seq] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[];
    // Decoded here, past the schema: held to the wire's rules before it reaches SQL.
    if (
      typeof at === 'string' &&
      WIRE_FORMATS['past-time'](at) &&
      typeof stream === 'string' &&
      stream.length <= 200 &&
      isSingleLineText(stream) &&
      Number.isSafeInteger(seq) &&
      (seq as number) >= 0
    )
      return { at: new Date(at).toISOString(), stream, seq: seq as number };
  } catch {
    /* answered below */
  }
  throw new ProblemError(400, 'validation', 'The request does not match the schema.', {
    errors: [{ pointer: '/query/before', message: 'is not a nextBefore this endpoint gave' }],
  });
}

/**
 * The resident API (`/hub/v1/residents/{pmhPseudonym}/…`, role portal): what the hub holds about the
 * person behind a PMH pseudonym, merged across every municipality that registered them (one person,
 * one PMH-ID), and who accessed it. The portal asks on behalf of the logged-in resident; the answers
 * carry neither the PMH-ID nor a My Number, and never the address of a subject under DV support
 * measures. Every read is audited against each of the person's subjects. The national view: the
 * store's system door.
 */
export async function residentRoutes(app: App, opts: HubRouteOptions): Promise<void> {
  const s = surface(app, { access: opts.auth.requireRole('portal'), tags: ['counterparts'] });
  const system = opts.store.system;

  /** Audits a resident's own read (one row per subject) in the read's transaction. */
  const audit = (person: ResidentPerson | undefined, action: string, requestId: string): AuditEntry[] => {
    const common = { actor: 'portal', action, purpose: RESIDENT_SELF_VIEW, detail: { requestId } };
    if (!person) return [{ ...common, stream: auditStream('portal', requestId), subjectRef: null, outcome: 'not-linked' }];
    const stream = auditStream('portal', person.pmhId);
    const refs = person.subjects.length ? person.subjects.map((s) => s.id) : [person.pmhId];
    return refs.map((subjectRef) => ({ ...common, stream, subjectRef, outcome: 'ok' }));
  };

  s.serve(hubApi.residents.subsidies, async (req) => {
    const asOf = req.query.asOf ?? todayInJapan();
    const answer = await system.transaction(async (sys) => {
      const person = await sys.personByPmhPseudonym(req.params.pmhPseudonym);
      await sys.audit(audit(person, 'resident.subsidies.read', req.id));
      if (!person) return undefined;
      const versions = await sys.certificateVersionsOf(person.subjects.map((s) => s.id));
      return {
        subjects: person.subjects.map(({ id: _id, sex: _sex, ...s }) => s),
        certificates: residentCertificates(versions, asOf),
      };
    });
    if (!answer) throw notLinked();
    return answer;
  });

  s.serve(hubApi.residents.vaccinations, async (req) => {
    const today = todayInJapan();
    const answer = await system.transaction(async (sys) => {
      const person = await sys.personByPmhPseudonym(req.params.pmhPseudonym);
      await sys.audit(audit(person, 'resident.vaccinations.read', req.id));
      if (!person) return undefined;
      return residentVaccinations(person.subjects, await sys.vaccinationRecordsOf(person.subjects.map((s) => s.id)), today);
    });
    if (!answer) throw notLinked();
    return answer;
  });

  s.serve(hubApi.residents.checkups, async (req) => {
    const today = todayInJapan();
    const answer = await system.transaction(async (sys) => {
      const person = await sys.personByPmhPseudonym(req.params.pmhPseudonym);
      await sys.audit(audit(person, 'resident.checkups.read', req.id));
      if (!person) return undefined;
      const ids = person.subjects.map((s) => s.id);
      // One person, one date of birth: the first registration's (subjects come in a stable order).
      return residentCheckups(person.subjects[0], await sys.checkupVouchersOf(ids), await sys.checkupResultsOf(ids), today);
    });
    if (!answer) throw notLinked();
    return answer;
  });

  s.serve(hubApi.residents.accessLog, async (req) => {
    const limit = req.query.limit === undefined ? 50 : Number(req.query.limit);
    const before = req.query.before === undefined ? undefined : decodeCursor(req.query.before);
    const rows = await system.transaction(async (sys) => {
      const person = await sys.personByPmhPseudonym(req.params.pmhPseudonym);
      // Read before this read is recorded, so a first page never shows it (it would be left out anyway).
      const found = person
        ? await sys.readAudit({
            subjectRef: [...person.subjects.map((s) => s.id), person.pmhId],
            limit,
            before,
            exclude: [{ actor: 'portal', purpose: RESIDENT_SELF_VIEW }],
          })
        : undefined;
      await sys.audit(audit(person, 'resident.access-log.read', req.id));
      return found;
    });
    if (!rows) throw notLinked();
    const items = rows.map((r) => ({ at: r.at, ...accessLogActor(r.actor), action: r.action, purpose: r.purpose, outcome: r.outcome }));
    const last = rows[rows.length - 1];
    return rows.length === limit && last ? { items, nextBefore: encodeCursor(last) } : { items };
  });
}
