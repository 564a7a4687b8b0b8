import crypto from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { QuestionnaireAnswer, QuestionnaireStatus } from '@pmh/protocol';
import type { QuestionnaireTemplate } from '../domain/questionnaires/template.ts';
import type { HubDatabase, HubDb } from './schema.ts';

/**
 * All SQL of questionnaires (予診票, 問診票): per person (PMH-ID), read and written by the resident
 * through the portal and used by a clinic through the portal relay. Runs as the hub itself (the
 * system door). Every function takes the caller's handle — a transaction when the caller has one —
 * so a questionnaire is used in the same transaction as the dose it is used for.
 */

export interface StoredQuestionnaire {
  id: string;
  pmhId: string;
  process: 'vaccination' | 'maternal-child';
  templateId: string;
  vaccineCode: string | null;
  doseNumber: number | null;
  checkupKind: string | null;
  sequence: number | null;
  status: QuestionnaireStatus;
  answers: Record<string, QuestionnaireAnswer>;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  usedAt: string | null;
  usedBy: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function fromRow(r: Selectable<HubDatabase['questionnaires']>): StoredQuestionnaire {
  return {
    id: r.id,
    pmhId: r.pmh_id,
    process: r.process,
    templateId: r.template_id,
    vaccineCode: r.vaccine_code,
    doseNumber: r.dose_number,
    checkupKind: r.checkup_kind,
    sequence: r.sequence,
    status: r.status,
    answers: r.answers ?? {},
    createdAt: iso(r.created_at)!,
    updatedAt: iso(r.updated_at)!,
    submittedAt: iso(r.submitted_at),
    usedAt: iso(r.used_at),
    usedBy: r.used_by,
  };
}

/** A person's questionnaires, newest first. */
export async function questionnairesOf(db: HubDb, pmhId: string): Promise<StoredQuestionnaire[]> {
  const rows = await db.selectFrom('questionnaires').selectAll().where('pmh_id', '=', pmhId).orderBy('created_at', 'desc').orderBy('id').execute();
  return rows.map(fromRow);
}

/** One of a person's questionnaires (another person's is not found); `lock`: held until the caller's transaction ends. */
export async function questionnaireOf(db: HubDb, pmhId: string, id: string, lock = false): Promise<StoredQuestionnaire | undefined> {
  let q = db.selectFrom('questionnaires').selectAll().where('id', '=', id).where('pmh_id', '=', pmhId);
  if (lock) q = q.forUpdate();
  const r = await q.executeTakeFirst();
  return r && fromRow(r);
}

/**
 * A new draft from a template, or the person's open (draft or submitted) questionnaire of the same
 * template: one open questionnaire per person and template (index questionnaires_one_open).
 */
export async function draftQuestionnaire(
  db: HubDb,
  pmhId: string,
  t: QuestionnaireTemplate,
): Promise<{ created: boolean; questionnaire: StoredQuestionnaire }> {
  const inserted = await sql<Selectable<HubDatabase['questionnaires']>>`
    insert into questionnaires (id, pmh_id, process, template_id, vaccine_code, dose_number, checkup_kind, sequence)
    values (${crypto.randomUUID()}, ${pmhId}, ${t.process}, ${t.templateId}, ${t.vaccineCode ?? null}, ${t.doseNumber ?? null},
            ${t.checkupKind ?? null}, ${t.sequence ?? null})
    on conflict (pmh_id, template_id) where status <> 'used' do nothing
    returning *`.execute(db);
  if (inserted.rows[0]) return { created: true, questionnaire: fromRow(inserted.rows[0]) };
  const open = await db
    .selectFrom('questionnaires')
    .selectAll()
    .where('pmh_id', '=', pmhId)
    .where('template_id', '=', t.templateId)
    .where('status', '<>', 'used')
    .executeTakeFirstOrThrow();
  return { created: false, questionnaire: fromRow(open) };
}

/** Stores the resident's change (answers and status) of a questionnaire not used. */
export async function saveQuestionnaire(
  db: HubDb,
  id: string,
  change: { status: 'draft' | 'submitted'; answers: Record<string, QuestionnaireAnswer>; submitted: boolean },
): Promise<StoredQuestionnaire | undefined> {
  const r = await db
    .updateTable('questionnaires')
    .set({
      status: change.status,
      answers: JSON.stringify(change.answers),
      updated_at: sql<Date>`now()`,
      ...(change.submitted ? { submitted_at: sql<Date>`now()` } : {}),
    })
    .where('id', '=', id)
    .where('status', '<>', 'used')
    .returningAll()
    .executeTakeFirst();
  return r && fromRow(r);
}

/** Marks a questionnaire used (with what used it, and the answers given at the visit). Once only. */
export async function markQuestionnaireUsed(
  db: HubDb,
  id: string,
  use: { usedBy: string; answers: Record<string, QuestionnaireAnswer> },
): Promise<StoredQuestionnaire | undefined> {
  const r = await db
    .updateTable('questionnaires')
    .set({ status: 'used', answers: JSON.stringify(use.answers), used_by: use.usedBy, used_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', '=', 'submitted')
    .returningAll()
    .executeTakeFirst();
  return r && fromRow(r);
}
