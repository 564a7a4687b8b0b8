import {
  checkupSubjects,
  insertVenueResult,
  lockCheckupRegistration,
  venueResultByIdempotencyKey,
  voucherUsed,
  type CheckupSubjectRow,
  type NewVenueResult,
  type VenueResultRow,
} from './venue-checkups.ts';
import { sql } from 'kysely';
import type { Database } from '@pmh/core/db/index';
import { isUniqueViolation } from '@pmh/core/db/errors';
import type { FieldCipher } from '@pmh/core/crypto/index';
import { appendAudit, readAudit, type AuditCursor, type AuditEntry, type AuditRecord } from '@pmh/core/audit/index';
import { enqueue, type EnqueueItem } from '@pmh/core/outbox/index';
import type { JWK } from 'jose';
import type { EligibilityAnswer, RecordResult } from '@pmh/protocol';
import type { Program, SubsidyRecord } from '../domain/medical-subsidy/record.ts';
import type { StoredCertificateVersion } from '../domain/medical-subsidy/certificate.ts';
import type { HubDatabase, HubDb, HubTrx } from './schema.ts';
import { enterMunicipality, leaveMunicipality } from './scope.ts';
import { getProgram, listPrograms, loadPrograms, upsertProgram, type StoredProgram } from './programs.ts';
import * as consoleViews from './console-views.ts';
export type { AccessLogFilter, SubjectFilter } from './console-views.ts';
import {
  StreamedTask,
  createTask,
  getTask,
  claimChunk,
  completeChunk,
  deferChunk,
  taskByIdempotencyKey,
  taskQueue,
  type AcceptedTask,
  type ClaimedChunk,
  type NewTask,
  type Process,
  type StoredTask,
  type TaskQueueRow,
} from './tasks.ts';
import { findSubjects, markIssuanceFailed, sealedMyNumbers, setPmhIds, type StoredSubject, type SubjectLookup } from './subjects.ts';
import { MY_NUMBER_CONTEXT, applySubsidyRecords, type Applied } from './medical-subsidy.ts';
import {
  findByIdempotencyKey,
  insertNotification,
  markDelivered,
  notificationStatus,
  releaseDue,
  releaseWaiting,
  resolveTargets,
  targetsToSend,
  type AcceptedNotification,
  type NewNotification,
  type NotificationStatus,
  type ReleasedTarget,
  type TargetToSend,
} from './notifications.ts';
import { certificateVersionsOf, personByPmhPseudonym, vaccinationRecordsOf, type ResidentDoseRow, type ResidentPerson } from './residents.ts';
import { storePortalLinks } from './portal-links.ts';
import { institutionNames, putInstitutionNames } from './institutions.ts';
import { addKey, purgeLinkageKeyUses, usableKeys, type StoredKey } from './encryption-keys.ts';
import { LinkageKeyLedger } from './linkage-key-ledger.ts';
import {
  applyVaccinationRecords,
  listPrices,
  upsertPrice,
  vaccinationEnrolments,
  vaccinationFeed,
  type FeedPosition,
  type FeedRow,
  type StoredPrice,
} from './vaccination.ts';
import {
  claimLines,
  confirmClaims,
  decideClaim,
  putReminderSetting,
  reminderSettings,
  type ConfirmOutcome,
  type DecideOutcome,
  type StoredClaimLine,
  type StoredReminderSetting,
} from './vaccination-claims.ts';
import {
  dosesOfPersons,
  enabledReminders,
  purgeCandidates,
  purgeRecords,
  reminderSubjects,
  sendReminders,
  type PurgeCandidate,
  type ReminderSubject,
  type ReminderToSend,
  startScheduledRun,
} from './vaccination-jobs.ts';
import { changeClinicDose, recordClinicDose, type ClinicDose } from './clinic-doses.ts';
import type { VaccinationRegistrationInput } from '../domain/vaccination/registration.ts';
import {
  insertClinicRecord,
  lockClinicRecord,
  lockRegistration,
  recordByIdempotencyKey,
  recordVersions,
  relayPersonByPmhPseudonym,
  replaceClinicRecord,
  type ClinicRecordRow,
  type NewClinicRecord,
  type RelayPersonRow,
} from './clinic-vaccination.ts';
import type { ClinicDoseToStore } from '../domain/vaccination/clinic-record.ts';
import type { QuestionnaireTemplate } from '../domain/questionnaires/template.ts';
import { templateOf, useQuestionnaire } from '../domain/questionnaires/lifecycle.ts';
import type { Answers } from '../domain/questionnaires/answers.ts';
import type { FieldError } from '@pmh/core/http/problem';
import { draftQuestionnaire, markQuestionnaireUsed, questionnaireOf, questionnairesOf, saveQuestionnaire, type StoredQuestionnaire } from './questionnaires.ts';
import type { MaternalChildRegistrationInput } from '../domain/maternal-child/registration.ts';
import {
  applyMaternalChildRecords,
  checkupResultsOf,
  checkupVouchersOf,
  maternalChildClaims,
  maternalChildEnrolments,
  maternalChildFeed,
  maternalChildFollowUps,
  type CheckupClaimRow,
  type FollowUpRow,
  type MaternalChildFeedRow,
  type ResidentResultRow,
  type ResidentVoucherRow,
} from './maternal-child.ts';
import type { MaternalChildEnrolmentView, OfficerRole, VaccinationEnrolmentView } from '@pmh/protocol';
import * as officers from './officers.ts';

/**
 * The hub's storage, with two doors:
 *
 * - `municipality(code)`: one municipality's own data. Every transaction through it runs with
 *   row-level security entered for that municipality (migration hub-003), and the repository it
 *   hands out holds no other handle. The municipal routes get only this, bound to the caller.
 * - `system`: the hub acting as itself, across municipalities — the outbox handlers and workers,
 *   and the counterpart and resident surfaces, whose callers are services, never a municipality.
 *
 * All SQL of the hub is under store/; nothing else holds a database handle.
 */
export class HubStore {
  readonly system: SystemStore;
  private readonly db: HubDb;

  /** `db`: the service's database, read and written as `HubDatabase` (test/schema.test.ts checks the two agree). */
  constructor(
    db: Database['db'],
    private readonly cipher: FieldCipher,
  ) {
    this.db = db as HubDb;
    this.system = new SystemStore(this.db, cipher);
  }

  /** The door to one municipality's data. */
  municipality(code: string): MunicipalScope {
    return new MunicipalScope(this.db, code, this.cipher);
  }
}

/** Runs `attempt` again once when two requests with one Idempotency-Key raced (the loser answers the winner's result). */
export async function onceMoreOnKeyRace<T>(attempt: () => Promise<T>, hasKey: boolean): Promise<T> {
  try {
    return await attempt();
  } catch (e) {
    if (hasKey && isUniqueViolation(e)) return attempt();
    throw e;
  }
}

/** One municipality's data: each `run` is one transaction in its scope. */
export class MunicipalScope {
  constructor(
    private readonly db: HubDb,
    readonly code: string,
    private readonly cipher: FieldCipher,
  ) {}

  run<T>(fn: (repo: MunicipalRepository) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      await enterMunicipality(trx, this.code);
      return fn(new MunicipalRepository(trx, this.code, this.cipher));
    });
  }
}

/** What may be done with one municipality's data, inside a transaction in its scope. */
export class MunicipalRepository {
  constructor(
    private readonly trx: HubTrx,
    readonly code: string,
    private readonly cipher: FieldCipher,
  ) {}

  upsertProgram(p: Program): Promise<{ created: boolean; program: StoredProgram }> {
    return upsertProgram(this.trx, this.code, p);
  }

  program(id: string): Promise<StoredProgram | undefined> {
    return getProgram(this.trx, this.code, id);
  }

  programs(ids: string[]): Promise<Map<string, Program>> {
    return loadPrograms(this.trx, this.code, ids);
  }

  allPrograms(): Promise<StoredProgram[]> {
    return listPrograms(this.trx, this.code);
  }

  /** The console's lists (store/console-views.ts): subjects a page at a time, the access log, notifications. */
  get views() {
    const { trx, code } = this;
    return {
      subjects: (f: consoleViews.SubjectFilter) => consoleViews.listSubjects(trx, code, f),
      accessLog: (f: consoleViews.AccessLogFilter) => consoleViews.accessLog(trx, code, f),
      notifications: (o: { limit: number; before?: { createdAt: string; id: string } }) => consoleViews.listNotifications(trx, code, o),
      cancelNotification: (id: string) => consoleViews.cancelNotification(trx, code, id),
    };
  }

  createTask(t: NewTask): Promise<AcceptedTask> {
    return createTask(this.trx, this.cipher, this.code, t);
  }

  task(taskId: string): Promise<StoredTask | undefined> {
    return getTask(this.trx, this.code, taskId);
  }

  taskByIdempotencyKey(key: string): ReturnType<typeof taskByIdempotencyKey> {
    return taskByIdempotencyKey(this.trx, this.code, key);
  }

  /** A task written chunk by chunk as its records arrive, in this transaction (see StreamedTask). */
  openStreamedTask(t: { process: Process; clientId: string }): Promise<StreamedTask> {
    return StreamedTask.open(this.trx, this.cipher, this.code, t);
  }

  /** Subjects by 宛名番号, by My Number (through its blind index), or by name; never their My Numbers. */
  subjects(
    lookup: { municipalityIdentityKey: string } | { myNumber: string } | { nameKana: string; dateOfBirth?: string },
    limit = 1,
  ): Promise<StoredSubject[]> {
    const by: SubjectLookup = 'myNumber' in lookup ? { myNumberBidx: this.cipher.blindIndex(lookup.myNumber, MY_NUMBER_CONTEXT) } : lookup;
    return findSubjects(this.trx, this.code, by, limit);
  }

  /**
   * Applies validated records, whole or not at all: under a savepoint, so a refusal by the database
   * leaves this transaction as it was before the call (and throws).
   */
  applyRecords(records: SubsidyRecord[]): Promise<Applied[]> {
    return this.underSavepoint(() => applySubsidyRecords(this.trx, this.code, records, this.cipher));
  }

  /** Applies validated vaccination registration records, whole or not at all (as applyRecords). */
  applyVaccinationRecords(records: VaccinationRegistrationInput[]): Promise<Applied[]> {
    return this.underSavepoint(() => applyVaccinationRecords(this.trx, this.code, records, this.cipher));
  }

  /** Applies validated maternal and child health registration records, whole or not at all (as applyRecords). */
  applyMaternalChildRecords(records: MaternalChildRegistrationInput[]): Promise<Applied[]> {
    return this.underSavepoint(() => applyMaternalChildRecords(this.trx, this.code, records, this.cipher));
  }

  private async underSavepoint<T>(fn: () => Promise<T>): Promise<T> {
    await sql`savepoint apply_records`.execute(this.trx);
    try {
      const applied = await fn();
      await sql`release savepoint apply_records`.execute(this.trx);
      return applied;
    } catch (e) {
      await sql`rollback to savepoint apply_records`.execute(this.trx);
      await sql`release savepoint apply_records`.execute(this.trx);
      throw e;
    }
  }

  /** Each subject's vaccination registration (absent: never registered for vaccination). */
  vaccinationEnrolments(subjectIds: string[]): Promise<Map<string, VaccinationEnrolmentView>> {
    return vaccinationEnrolments(this.trx, this.code, subjectIds);
  }

  /** Each subject's maternal and child health registration (absent: never registered for it). */
  maternalChildEnrolments(subjectIds: string[]): Promise<Map<string, MaternalChildEnrolmentView>> {
    return maternalChildEnrolments(this.trx, this.code, subjectIds);
  }

  /** Sets a vaccine's unit price from a day on; true when that version is new. */
  upsertVaccinationPrice(vaccineCode: string, p: { unitPrice: number; validFrom: string }): Promise<boolean> {
    return upsertPrice(this.trx, this.code, vaccineCode, p);
  }

  vaccinationPrices(q: { vaccineCode?: string; asOf?: string } = {}): Promise<StoredPrice[]> {
    return listPrices(this.trx, this.code, q);
  }

  /** The records feed after a position (see store/vaccination.ts for why it never skips nor repeats). */
  vaccinationFeed(after: FeedPosition, limit: number): Promise<FeedRow[]> {
    return vaccinationFeed(this.trx, this.code, after, limit);
  }

  /** The checkup results feed after a position (store/feeds.ts). */
  maternalChildFeed(after: FeedPosition, limit: number): Promise<MaternalChildFeedRow[]> {
    return maternalChildFeed(this.trx, this.code, after, limit);
  }

  /** Children judged 要精査 whose detailed exam is not recorded, as of `today` (YYYY-MM-DD). */
  maternalChildFollowUps(today: string): Promise<FollowUpRow[]> {
    return maternalChildFollowUps(this.trx, this.code, today);
  }

  /** A month's checkup claim lines, counted now (store/maternal-child.ts). */
  maternalChildClaims(month: string): Promise<CheckupClaimRow[]> {
    return maternalChildClaims(this.trx, this.code, month);
  }

  /** A month's claim lines, confirmed and draft (store/vaccination-claims.ts). */
  vaccinationClaims(month: string): Promise<StoredClaimLine[]> {
    return claimLines(this.trx, this.code, month);
  }

  confirmVaccinationClaims(month: string, actor: string): Promise<ConfirmOutcome> {
    return confirmClaims(this.trx, this.code, month, actor);
  }

  decideVaccinationClaim(claimId: string, decision: { status: 'paid' | 'rejected'; reason?: string }, actor: string): Promise<DecideOutcome> {
    return decideClaim(this.trx, this.code, claimId, decision, actor);
  }

  putReminderSetting(vaccineCode: string, enabled: boolean): Promise<{ created: boolean; setting: StoredReminderSetting }> {
    return putReminderSetting(this.trx, this.code, vaccineCode, enabled);
  }

  reminderSettings(): Promise<StoredReminderSetting[]> {
    return reminderSettings(this.trx, this.code);
  }

  notificationByIdempotencyKey(key: string): Promise<(AcceptedNotification & { requestHash: string }) | undefined> {
    return findByIdempotencyKey(this.trx, this.code, key);
  }

  /** Each 宛名番号 as this municipality's subject id, or null where it registered none. */
  resolveTargets(keys: string[]): Promise<Array<string | null>> {
    return resolveTargets(this.trx, this.code, keys);
  }

  insertNotification(n: Omit<NewNotification, 'municipalityCode'>): Promise<AcceptedNotification> {
    return insertNotification(this.trx, { ...n, municipalityCode: this.code });
  }

  notificationStatus(notificationId: string, outboxKind: string): Promise<NotificationStatus | undefined> {
    return notificationStatus(this.trx, this.code, notificationId, outboxKind);
  }

  audit(entries: AuditEntry[]): Promise<void> {
    return appendAudit(this.trx, entries);
  }

  /** The municipal console's officers and sessions of this municipality (store/officers.ts). */
  get officers() {
    const { trx, code, cipher } = this;
    const secretAt = (loginId: string) => ({ column: 'officers.totp_secret', row: `${code}:${loginId}` });
    return {
      get: (loginId: string, forUpdate = false) => officers.getOfficer(trx, code, loginId, forUpdate),
      list: () => officers.listOfficers(trx, code),
      insert: (o: { loginId: string; role: OfficerRole; passwordHash: string; totpSecret: string }) =>
        officers.insertOfficer(trx, {
          municipalityCode: code,
          loginId: o.loginId,
          role: o.role,
          passwordHash: o.passwordHash,
          totpSecretEnc: cipher.encrypt(o.totpSecret, secretAt(o.loginId)),
        }),
      update: (loginId: string, set: Parameters<typeof officers.updateOfficer>[3] & { totpSecret?: string }) => {
        const { totpSecret, ...rest } = set;
        return officers.updateOfficer(
          trx,
          code,
          loginId,
          totpSecret === undefined ? rest : { ...rest, totpSecretEnc: cipher.encrypt(totpSecret, secretAt(loginId)) },
        );
      },
      totpSecret: (o: officers.StoredOfficer) => cipher.decrypt(o.totpSecretEnc, secretAt(o.loginId)),
      insertSession: (s: { tokenHash: string; loginId: string; now: Date; expiresAt: Date }) => officers.insertSession(trx, { ...s, municipalityCode: code }),
      session: (tokenHash: string) => officers.getSession(trx, code, tokenHash),
      touchSession: (tokenHash: string, now: Date) => officers.touchSession(trx, code, tokenHash, now),
      deleteSession: (tokenHash: string) => officers.deleteSession(trx, code, tokenHash),
      deleteSessionsOf: (loginId: string) => officers.deleteSessionsOf(trx, code, loginId),
      dashboard: () => officers.dashboardCounts(trx, code),
    };
  }
}

/**
 * The system door: the hub acting as itself. `transaction` for work that must commit together;
 * `within(trx)` inside a transaction core began (an outbox handler's `onDelivered`).
 */
export class SystemStore {
  /** The eligibility hot path's keys and audit (group commit). */
  readonly ledger: LinkageKeyLedger<EligibilityAnswer>;

  constructor(
    private readonly db: HubDb,
    private readonly cipher: FieldCipher,
  ) {
    this.ledger = new LinkageKeyLedger(db);
  }

  transaction<T>(fn: (sys: SystemTransaction) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new SystemTransaction(trx, this.cipher)));
  }

  /** Each call its own statement, outside any transaction. */
  get autocommit(): SystemRepository {
    return new SystemRepository(this.db, this.cipher);
  }

  within(trx: Database['db']): SystemRepository {
    return new SystemRepository(trx as HubDb, this.cipher);
  }

  // Encryption keys (their own transaction and lock) and upkeep.
  usableKeys(): Promise<StoredKey[]> {
    return usableKeys(this.db);
  }
  addKey(key: { kid: string; privateJwkEnc: string; publicJwk: JWK }, overlapSeconds?: number) {
    return addKey(this.db, key, overlapSeconds);
  }
  purgeLinkageKeyUses(): Promise<boolean> {
    return purgeLinkageKeyUses(this.db);
  }
  deferChunk(chunkId: string, attempts: number, error: string): Promise<void> {
    return deferChunk(this.db, chunkId, attempts, error);
  }
  /** The registration queue's depth by process and task state (for /metrics). */
  taskQueue(): Promise<TaskQueueRow[]> {
    return taskQueue(this.db);
  }
}

/** What the hub does as itself, in a transaction or statement by statement (see SystemStore). */
export class SystemRepository {
  constructor(
    protected readonly db: HubDb,
    protected readonly cipher: FieldCipher,
  ) {}

  audit(entries: AuditEntry[]): Promise<void> {
    return appendAudit(this.db, entries);
  }

  readAudit(q: { subjectRef: string[]; limit: number; before?: AuditCursor; exclude?: Array<{ actor: string; purpose: string }> }): Promise<AuditRecord[]> {
    return readAudit(this.db, q);
  }

  // Medical institutions by name (the operator's registry).
  institutionNames(codes: string[]): Promise<Map<string, string>> {
    return institutionNames(this.db, codes);
  }
  putInstitutionNames(entries: Array<{ institutionCode: string; name: string }>): Promise<void> {
    return putInstitutionNames(this.db, entries);
  }

  enqueue(items: EnqueueItem[]): Promise<void> {
    return enqueue(this.db, items);
  }

  // PMH-ID issuance (seed A②).
  sealedMyNumbers(subjectIds: string[]) {
    return sealedMyNumbers(this.db, subjectIds);
  }
  markIssuanceFailed(subjectIds: string[]): Promise<void> {
    return markIssuanceFailed(this.db, subjectIds);
  }
  setPmhIds(issued: Array<{ subjectId: string; pmhId: string }>): Promise<number> {
    return setPmhIds(this.db, issued);
  }

  // PMH pseudonym links (seed A③).
  storePortalLinks(links: Array<{ pmhId: string; pmhPseudonym: string }>) {
    return storePortalLinks(this.db, links);
  }

  // Notifications: release and delivery.
  releaseWaiting(pmhIds: string[]): Promise<ReleasedTarget[]> {
    return releaseWaiting(this.db, pmhIds);
  }
  targetsToSend(targetIds: string[]): Promise<Map<string, TargetToSend>> {
    return targetsToSend(this.db, targetIds);
  }
  markDelivered(targetIds: string[]): Promise<void> {
    return markDelivered(this.db, targetIds);
  }

  // Clinic doses (see store/clinic-doses.ts: the relay's write, for tests until the relay is in place).
  recordClinicDose(d: ClinicDose): Promise<string | undefined> {
    return recordClinicDose(this.db, d);
  }
  changeClinicDose(recordId: string, change: { status: 'corrected' | 'cancelled'; date?: string; lotNumber?: string }): Promise<boolean> {
    return changeClinicDose(this.db, recordId, change);
  }

  // Scheduled vaccination jobs (store/vaccination-jobs.ts): reminders and the retention purge.
  startScheduledRun(name: string, periodMs: number, by: string): Promise<boolean> {
    return startScheduledRun(this.db, name, periodMs, by);
  }
  reminderSubjects(after: string, limit: number): Promise<ReminderSubject[]> {
    return reminderSubjects(this.db, after, limit);
  }
  enabledReminders(municipalityCodes: string[]): Promise<Map<string, Set<string>>> {
    return enabledReminders(this.db, municipalityCodes);
  }
  dosesOfPersons(pmhIds: string[]) {
    return dosesOfPersons(this.db, pmhIds);
  }
  sendReminders(items: ReminderToSend[], clientId: string) {
    return sendReminders(this.db, items, clientId);
  }
  purgeCandidates(after: string, limit: number): Promise<PurgeCandidate[]> {
    return purgeCandidates(this.db, after, limit);
  }
  purgeRecords(recordIds: string[], today: string): Promise<Map<string, number>> {
    return purgeRecords(this.db, recordIds, today);
  }

  // The resident's own view, across municipalities.
  personByPmhPseudonym(pmhPseudonym: string): Promise<ResidentPerson | undefined> {
    return personByPmhPseudonym(this.db, pmhPseudonym);
  }
  certificateVersionsOf(subjectIds: string[]): Promise<StoredCertificateVersion[]> {
    return certificateVersionsOf(this.db, subjectIds);
  }
  vaccinationRecordsOf(subjectIds: string[]): Promise<ResidentDoseRow[]> {
    return vaccinationRecordsOf(this.db, subjectIds);
  }

  // A clinic's access through the portal's relay (seed B⑤).
  relayPerson(pmhPseudonym: string): Promise<RelayPersonRow | undefined> {
    return relayPersonByPmhPseudonym(this.db, pmhPseudonym);
  }
  clinicRecordByIdempotencyKey(institutionCode: string, key: string): Promise<ClinicRecordRow | undefined> {
    return recordByIdempotencyKey(this.db, institutionCode, key);
  }
  recordVersions(recordId: string): Promise<Array<{ version: number; snapshot: Record<string, unknown> }>> {
    return recordVersions(this.db, recordId);
  }

  // Questionnaires (予診票, 問診票), per person.
  questionnairesOf(pmhId: string): Promise<StoredQuestionnaire[]> {
    return questionnairesOf(this.db, pmhId);
  }
  /** One of the person's questionnaires; `lock` holds it until the transaction ends. */
  questionnaire(pmhId: string, questionnaireId: string, lock = false): Promise<StoredQuestionnaire | undefined> {
    return questionnaireOf(this.db, pmhId, questionnaireId, lock);
  }
  draftQuestionnaire(pmhId: string, template: QuestionnaireTemplate) {
    return draftQuestionnaire(this.db, pmhId, template);
  }
  saveQuestionnaire(questionnaireId: string, change: Parameters<typeof saveQuestionnaire>[2]) {
    return saveQuestionnaire(this.db, questionnaireId, change);
  }

  /**
   * A clinic uses the person's submitted questionnaire for a dose (the portal relay, when a dose is
   * recorded with `questionnaireId`): adds the answers given at the visit (temperature, consent),
   * checks every required item, and marks it used by `usedBy` (e.g. the record's id) — all in the
   * caller's transaction (call it on the `sys` of `system.transaction`), so the questionnaire is used
   * exactly when the dose is recorded. `errors` point into `base` (the caller's field).
   */
  async useQuestionnaire(u: {
    pmhId: string;
    questionnaireId: string;
    usedBy: string;
    visitAnswers?: Answers;
    today: string;
    dateOfBirth?: string;
    base?: string;
  }): Promise<{ questionnaire: StoredQuestionnaire } | { errors: FieldError[] } | { refused: 'not-found' | 'not-submitted' | 'used' }> {
    const q = await questionnaireOf(this.db, u.pmhId, u.questionnaireId, true);
    if (!q) return { refused: 'not-found' };
    const outcome = useQuestionnaire(templateOf(q), q, u.visitAnswers ?? {}, { today: u.today, dateOfBirth: u.dateOfBirth }, u.base);
    if (!('answers' in outcome)) return outcome;
    const used = await markQuestionnaireUsed(this.db, q.id, { usedBy: u.usedBy, answers: outcome.answers });
    return used ? { questionnaire: used } : { refused: 'used' };
  }

  checkupVouchersOf(subjectIds: string[]): Promise<ResidentVoucherRow[]> {
    return checkupVouchersOf(this.db, subjectIds);
  }
  checkupResultsOf(subjectIds: string[]): Promise<ResidentResultRow[]> {
    return checkupResultsOf(this.db, subjectIds);
  }

  // A venue's checkup results through the portal's relay (seed C⑤; store/venue-checkups.ts).
  checkupSubjects(subjectIds: string[]): Promise<CheckupSubjectRow[]> {
    return checkupSubjects(this.db, subjectIds);
  }
  venueResultByIdempotencyKey(institutionCode: string, key: string): Promise<VenueResultRow | undefined> {
    return venueResultByIdempotencyKey(this.db, institutionCode, key);
  }
  voucherUsed(municipalityCode: string, voucherNumber: string): Promise<boolean> {
    return voucherUsed(this.db, municipalityCode, voucherNumber);
  }
}

/** What the hub does as itself only inside a transaction: locks held until it commits, a municipality's scope entered and left. */
export class SystemTransaction extends SystemRepository {
  constructor(
    private readonly trx: HubTrx,
    cipher: FieldCipher,
  ) {
    super(trx, cipher);
  }

  /** Enters one municipality's scope for `fn`, and leaves it after (the queue's bookkeeping is the hub's own). */
  async inMunicipality<T>(code: string, fn: (repo: MunicipalRepository) => Promise<T>): Promise<T> {
    await enterMunicipality(this.trx, code);
    const result = await fn(new MunicipalRepository(this.trx, code, this.cipher));
    await leaveMunicipality(this.trx);
    return result;
  }

  // The task worker's queue.
  claimChunk(): Promise<ClaimedChunk | undefined> {
    return claimChunk(this.trx, this.cipher);
  }
  completeChunk(chunk: ClaimedChunk, results: RecordResult[]): Promise<void> {
    return completeChunk(this.trx, chunk, results);
  }

  /** Locks the subject's vaccination registration (one clinic write per person at a time); false when it has ended. */
  lockVaccinationRegistration(subjectId: string): Promise<boolean> {
    return lockRegistration(this.trx, subjectId);
  }
  insertClinicRecord(r: NewClinicRecord): Promise<ClinicRecordRow> {
    return insertClinicRecord(this.trx, r);
  }
  /** Locks the subject's maternal and child health registration (one venue write per person at a time); false when it has ended. */
  lockCheckupRegistration(subjectId: string): Promise<boolean> {
    return lockCheckupRegistration(this.trx, subjectId);
  }
  insertVenueResult(r: NewVenueResult): Promise<VenueResultRow> {
    return insertVenueResult(this.trx, r);
  }
  lockClinicRecord(recordId: string, subjectIds: string[]): Promise<ClinicRecordRow | undefined> {
    return lockClinicRecord(this.trx, recordId, subjectIds);
  }
  replaceClinicRecord(
    recordId: string,
    change:
      | { kind: 'corrected'; dose: ClinicDoseToStore; overrides: Array<{ code: string; reason: string }>; reason: string; consentId: string }
      | { kind: 'cancelled'; reason: string; consentId: string },
  ): Promise<ClinicRecordRow> {
    return replaceClinicRecord(this.trx, recordId, change);
  }

  /** The release worker's step (targets claimed with SKIP LOCKED, until the commit). */
  releaseDue(limit: number): Promise<{ claimed: number; queued: ReleasedTarget[] }> {
    return releaseDue(this.trx, limit);
  }
}

export type { CheckupClaimRow, FollowUpRow, MaternalChildFeedRow };
export type { HubDatabase, StoredPrice, FeedPosition, FeedRow, StoredQuestionnaire, StoredClaimLine, StoredReminderSetting };
