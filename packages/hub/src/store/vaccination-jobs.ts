import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { HubDb } from './schema.ts';

/**
 * All SQL of the hub's scheduled vaccination jobs (worker/vaccination-jobs.ts), run as the hub itself:
 * the reminders (who may be reminded, what they were given, and each reminder sent once) and the
 * retention purge (ended registrations' records, and their removal with every row that points at them).
 */

// --- Reminders -----------------------------------------------------------------------------------

export interface ReminderSubject {
  subjectId: string;
  municipalityCode: string;
  dateOfBirth: string;
  sex: string;
  pmhId: string;
}

/**
 * Subjects after `after` (by id) who may be reminded: registered for vaccination (not ended), linked
 * to the portal (a PMH pseudonym link: someone to send to), of a municipality that opted in for some vaccine.
 */
export async function reminderSubjects(db: HubDb, after: string, limit: number): Promise<ReminderSubject[]> {
  const { rows } = await sql<{ id: string; municipality_code: string; date_of_birth: string; sex: string; pmh_id: string }>`
    select s.id, s.municipality_code, s.date_of_birth, s.sex, s.pmh_id
    from subjects s
    join vaccination_enrolments e on e.subject_id = s.id and e.status = 'registered'
    join pmh_links l on l.pmh_id = s.pmh_id
    where s.id > ${after}::uuid
      and exists (select 1 from vaccination_reminder_settings rs where rs.municipality_code = s.municipality_code and rs.enabled)
    order by s.id limit ${limit}`.execute(db);
  return rows.map((r) => ({ subjectId: r.id, municipalityCode: r.municipality_code, dateOfBirth: r.date_of_birth, sex: r.sex, pmhId: r.pmh_id }));
}

/** Each municipality's vaccines with reminders on. */
export async function enabledReminders(db: HubDb, municipalityCodes: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  if (municipalityCodes.length === 0) return out;
  const { rows } = await sql<{ municipality_code: string; vaccine_code: string }>`
    select municipality_code, vaccine_code from vaccination_reminder_settings
    where enabled and municipality_code = any(${municipalityCodes}::text[])`.execute(db);
  for (const r of rows) {
    if (!out.has(r.municipality_code)) out.set(r.municipality_code, new Set());
    out.get(r.municipality_code)!.add(r.vaccine_code);
  }
  return out;
}

/** Every dose (cancelled ones left out) of these persons, from every municipality's subjects of theirs. */
export async function dosesOfPersons(
  db: HubDb,
  pmhIds: string[],
): Promise<Map<string, Array<{ vaccineCode: string; doseNumber: number; series: string | null; date: string }>>> {
  const out = new Map<string, Array<{ vaccineCode: string; doseNumber: number; series: string | null; date: string }>>();
  if (pmhIds.length === 0) return out;
  const { rows } = await sql<{ pmh_id: string; vaccine_code: string; dose_number: number; series: string | null; date: string }>`
    select s.pmh_id, r.vaccine_code, r.dose_number, r.series, r.date
    from subjects s join vaccination_records r on r.subject_id = s.id
    where s.pmh_id = any(${pmhIds}::text[]) and r.status <> 'cancelled'`.execute(db);
  for (const r of rows) {
    if (!out.has(r.pmh_id)) out.set(r.pmh_id, []);
    out.get(r.pmh_id)!.push({ vaccineCode: r.vaccine_code, doseNumber: r.dose_number, series: r.series, date: r.date });
  }
  return out;
}

export interface ReminderToSend {
  subjectId: string;
  municipalityCode: string;
  vaccineCode: string;
  doseNumber: number;
  occasion: string;
  series: string | null;
  dueOn: string;
  title: string;
  body: string;
}

/**
 * Sends each reminder not sent before: its row claims (subject, vaccine, dose, occasion) first — a
 * concurrent run's claim of the same key makes this one wait, then skip it — and only the reminders
 * whose claim is this transaction's get a notification (one target, scheduled now: the release
 * worker takes it to the outbox like any other). Returns those sent.
 */
export async function sendReminders(trx: HubDb, items: ReminderToSend[], clientId: string): Promise<Array<ReminderToSend & { notificationId: string }>> {
  if (items.length === 0) return [];
  const withIds = items.map((i) => ({ ...i, notificationId: crypto.randomUUID() }));
  const json = JSON.stringify(
    withIds.map((i) => ({
      subject: i.subjectId,
      municipality: i.municipalityCode,
      vaccine: i.vaccineCode,
      dose: i.doseNumber,
      occasion: i.occasion,
      series: i.series,
      notification: i.notificationId,
      due: i.dueOn,
    })),
  );
  const { rows } = await sql<{ notification_id: string }>`
    insert into vaccination_reminders (subject_id, municipality_code, vaccine_code, dose_number, occasion, series, notification_id, due_on)
    select u.subject, u.municipality, u.vaccine, u.dose, u.occasion, u.series, u.notification, u.due
    from json_to_recordset(${json}::json) as u(subject uuid, municipality text, vaccine text, dose integer, occasion text, series text, notification uuid, due date)
    on conflict (subject_id, vaccine_code, dose_number, occasion) do nothing
    returning notification_id`.execute(trx);
  const claimed = new Set(rows.map((r) => r.notification_id));
  const sent = withIds.filter((i) => claimed.has(i.notificationId));
  if (sent.length === 0) return [];
  const notifications = JSON.stringify(
    sent.map((i) => ({ id: i.notificationId, municipality: i.municipalityCode, title: i.title, body: i.body, subject: i.subjectId })),
  );
  await sql`
    insert into notifications (id, municipality_code, category, title, body, url, publish_at, target_count, client_id, idempotency_key, request_hash)
    select u.id, u.municipality, 'vaccination', u.title, u.body, null, now(), 1, ${clientId}, null, 'vaccination-reminder'
    from json_to_recordset(${notifications}::json) as u(id uuid, municipality text, title text, body text, subject uuid)`.execute(trx);
  await sql`
    insert into notification_targets (notification_id, municipality_code, subject_id, position, publish_at)
    select u.id, u.municipality, u.subject, 0, now()
    from json_to_recordset(${notifications}::json) as u(id uuid, municipality text, title text, body text, subject uuid)`.execute(trx);
  return sent;
}

// --- Retention purge -----------------------------------------------------------------------------

export interface PurgeCandidate {
  subjectId: string;
  municipalityCode: string;
  endedReason: 'moved-out' | 'deceased' | 'mistaken' | null;
  endedOn: string | null;
  records: Array<{ id: string; date: string }>;
}

/** Subjects after `after` (by id) whose vaccination registration ended and who still have records. */
export async function purgeCandidates(db: HubDb, after: string, limit: number): Promise<PurgeCandidate[]> {
  const { rows: subjects } = await sql<{
    subject_id: string;
    municipality_code: string;
    ended_reason: PurgeCandidate['endedReason'];
    ended_on: string | null;
  }>`
    select e.subject_id, e.municipality_code, e.ended_reason, e.ended_on from vaccination_enrolments e
    where e.status = 'ended' and e.subject_id > ${after}::uuid
      and exists (select 1 from vaccination_records r where r.subject_id = e.subject_id)
    order by e.subject_id limit ${limit}`.execute(db);
  if (subjects.length === 0) return [];
  const { rows: records } = await sql<{ id: string; subject_id: string; date: string }>`
    select id, subject_id, date from vaccination_records where subject_id = any(${subjects.map((s) => s.subject_id)}::uuid[])`.execute(db);
  return subjects.map((s) => ({
    subjectId: s.subject_id,
    municipalityCode: s.municipality_code,
    endedReason: s.ended_reason,
    endedOn: s.ended_on,
    records: records.filter((r) => r.subject_id === s.subject_id).map((r) => ({ id: r.id, date: r.date })),
  }));
}

/**
 * Deletes these records with everything that points at them (their feed entries, their earlier
 * versions, their place in a confirmed claim line — the line keeps its count), but only while their subject's registration is
 * still ended (a registration reopened meanwhile keeps them). A subject left with no records loses
 * its vouchers too and is marked purged. Returns the records deleted per subject.
 */
export async function purgeRecords(trx: HubDb, recordIds: string[], today: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (recordIds.length === 0) return out;
  const { rows: ids } = await sql<{ id: string; subject_id: string }>`
    select r.id, r.subject_id from vaccination_records r
    join vaccination_enrolments e on e.subject_id = r.subject_id and e.status = 'ended'
    where r.id = any(${recordIds}::uuid[])
    for update of r, e`.execute(trx);
  if (ids.length === 0) return out;
  const gone = ids.map((r) => r.id);
  await sql`delete from vaccination_feed where record_id = any(${gone}::uuid[])`.execute(trx);
  await sql`delete from vaccination_claim_doses where record_id = any(${gone}::uuid[])`.execute(trx);
  await sql`delete from vaccination_record_versions where record_id = any(${gone}::uuid[])`.execute(trx);
  await sql`delete from vaccination_records where id = any(${gone}::uuid[])`.execute(trx);
  for (const r of ids) out.set(r.subject_id, (out.get(r.subject_id) ?? 0) + 1);
  const subjects = [...out.keys()];
  const { rows: emptied } = await sql<{ subject_id: string }>`
    update vaccination_enrolments e set purged_on = ${today}::date, updated_at = now()
    where e.subject_id = any(${subjects}::uuid[]) and not exists (select 1 from vaccination_records r where r.subject_id = e.subject_id)
    returning e.subject_id`.execute(trx);
  if (emptied.length) await sql`delete from vaccination_vouchers where subject_id = any(${emptied.map((e) => e.subject_id)}::uuid[])`.execute(trx);
  return out;
}

// --- Once across processes -----------------------------------------------------------------------

/**
 * Starts a run of the scheduled job `name` for `by` (a process) when its last run, by any process,
 * started at least `periodMs` ago (or never): true when this caller is to run it. One statement,
 * so of several processes asking together exactly one gets true.
 */
export async function startScheduledRun(db: HubDb, name: string, periodMs: number, by: string): Promise<boolean> {
  const { rows } = await sql<{ name: string }>`
    insert into scheduled_jobs (name, started_at, started_by) values (${name}, now(), ${by})
    on conflict (name) do update set started_at = now(), started_by = excluded.started_by, runs = scheduled_jobs.runs + 1
      where scheduled_jobs.started_at <= now() - make_interval(secs => ${periodMs / 1000})
    returning name`.execute(db);
  return rows.length === 1;
}
