import { sql } from 'kysely';
import type { SubjectEnd } from '../domain/subject-record.ts';
import type { Applied } from './medical-subsidy.ts';
import type { HubTrx } from './schema.ts';
import type { SubjectStates } from './subject-states.ts';

/**
 * A subject's registration for one checkup-subject process (vaccination, maternal and child health):
 * registered by a modificationSeg "1" record, ended by a "2" (moved out, deceased, mistaken) and
 * registered again by a later "1". Each process has its table of the same shape; this is the one
 * code that reads, decides and writes them, set-based like the subjects (store/subject-states.ts).
 */
export type EnrolmentTable = 'vaccination_enrolments' | 'maternal_child_enrolments';

/** What a refusal of an end says the process is. */
const PROCESS_WORDS: Record<EnrolmentTable, string> = {
  vaccination_enrolments: 'vaccination',
  maternal_child_enrolments: 'maternal and child health',
};

export interface EnrolmentState {
  status: 'registered' | 'ended';
  endedReason: SubjectEnd['reason'] | null;
  endedOn: string | null;
  isNew: boolean;
  changed: boolean;
}

export type Enrolments = Map<string, EnrolmentState>;

export async function loadEnrolments(trx: HubTrx, table: EnrolmentTable, subjectIds: string[]): Promise<Enrolments> {
  const out: Enrolments = new Map();
  if (subjectIds.length === 0) return out;
  const { rows } = await sql<{ subject_id: string; status: 'registered' | 'ended'; ended_reason: EnrolmentState['endedReason']; ended_on: string | null }>`
    select subject_id, status, ended_reason, ended_on from ${sql.table(table)} where subject_id = any(${subjectIds}::uuid[])`.execute(trx);
  for (const r of rows) out.set(r.subject_id, { status: r.status, endedReason: r.ended_reason, endedOn: r.ended_on, isNew: false, changed: false });
  return out;
}

/** A modificationSeg "2" record decided: `deleted` when it ends a registration, `updated` when it changes an end, `unchanged` when repeated. */
export function endEnrolment(table: EnrolmentTable, enrolments: Enrolments, states: SubjectStates, r: SubjectEnd): Applied {
  const s = states.byKey.get(r.municipalityIdentityKey);
  const e = s ? enrolments.get(s.id) : undefined;
  if (!s || !e)
    return {
      index: r.index,
      outcome: 'failed',
      errors: [{ pointer: `/${r.index}/municipalityIdentityKey`, message: `names no subject of this municipality registered for ${PROCESS_WORDS[table]}` }],
    };
  if (e.status === 'ended' && e.endedReason === r.reason && e.endedOn === r.date) return { index: r.index, outcome: 'unchanged', subjectId: s.id };
  const wasRegistered = e.status === 'registered';
  Object.assign(e, { status: 'ended', endedReason: r.reason, endedOn: r.date });
  if (!e.isNew) e.changed = true;
  return { index: r.index, outcome: wasRegistered ? 'deleted' : 'updated', subjectId: s.id };
}

/** A subject registered by a modificationSeg "1" record: new, registered again after an end, or as it was. */
export function enrol(enrolments: Enrolments, subjectId: string): 'created' | 'updated' | 'unchanged' {
  const e = enrolments.get(subjectId);
  if (!e) {
    enrolments.set(subjectId, { status: 'registered', endedReason: null, endedOn: null, isNew: true, changed: false });
    return 'created';
  }
  if (e.status === 'registered') return 'unchanged';
  // Registered again (back in the municipality, or the end was a mistake).
  Object.assign(e, { status: 'registered', endedReason: null, endedOn: null });
  if (!e.isNew) e.changed = true;
  return 'updated';
}

/** Writes the new and the changed registrations: one statement each. */
export async function writeEnrolments(trx: HubTrx, table: EnrolmentTable, municipalityCode: string, enrolments: Enrolments): Promise<void> {
  const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::json`;
  const row = ([subjectId, e]: [string, EnrolmentState]) => ({ subject: subjectId, status: e.status, reason: e.endedReason, ended: e.endedOn });
  const fresh = [...enrolments].filter(([, e]) => e.isNew);
  if (fresh.length)
    await sql`
      insert into ${sql.table(table)} (subject_id, municipality_code, status, ended_reason, ended_on)
      select u.subject, ${municipalityCode}, u.status, u.reason, u.ended
      from json_to_recordset(${json(fresh.map(row))}) as u(subject uuid, status text, reason text, ended date)`.execute(trx);
  const changed = [...enrolments].filter(([, e]) => e.changed);
  if (changed.length)
    await sql`
      update ${sql.table(table)} t set status = u.status, ended_reason = u.reason, ended_on = u.ended, updated_at = now()
      from json_to_recordset(${json(changed.map(row))}) as u(subject uuid, status text, reason text, ended date)
      where t.subject_id = u.subject and t.municipality_code = ${municipalityCode}`.execute(trx);
}
