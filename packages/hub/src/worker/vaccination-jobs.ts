import type { Logger } from 'pino';
import { auditProcess, auditStream, type AuditEntry } from '@pmh/core/audit/index';
import type { DatabaseHealth } from '@pmh/core/db/availability';
import { PollingLoop } from '@pmh/core/polling';
import { todayInJapan } from '@pmh/core/text/japanese';
import { dueDoses, reminderText } from '../domain/vaccination/reminders.ts';
import { RETENTION_RULES, keptThrough, purgeable, retentionRuleAt, type RetentionRule } from '../domain/vaccination/retention.ts';
import type { GivenDose } from '../domain/vaccination/rule-types.ts';
import type { SystemStore } from '../store/index.ts';
import type { ReminderToSend } from '../store/vaccination-jobs.ts';

/** Who the audit trail and the notifications name for the reminders, and for the purge. */
export const REMINDER_ACTOR = 'hub:vaccination-reminders';
export const PURGE_ACTOR = 'hub:retention-purge';
/** Their names in `scheduled_jobs` (a run of each starts once per period across hub processes). */
export const REMINDER_JOB = 'vaccination-reminders';
export const PURGE_JOB = 'vaccination-retention-purge';

export interface VaccinationJobsOptions {
  /** Today in Japan (YYYY-MM-DD): injected by tests; the real day otherwise. */
  today?: () => string;
  /** How often each job looks (default hourly: a dose falls due on a day, and a run is idempotent). */
  pollMs?: number;
  /** Subjects per transaction. */
  batchSize?: number;
  /** Retention rules by effective date (default: the law's, domain/vaccination/retention.ts). */
  retentionRules?: readonly RetentionRule[];
  health?: DatabaseHealth;
  /** Who starts a run, in `scheduled_jobs` (default: this process, by its audit tag and pid). */
  processName?: string;
}

export interface ReminderRun {
  today: string;
  subjects: number;
  sent: number;
}

export interface PurgeRun {
  today: string;
  rule: RetentionRule;
  subjects: number;
  records: number;
}

/**
 * The hub's scheduled vaccination work, each a polling loop that does a whole pass per run:
 *
 * - **reminders**: each linked subject of a municipality that opted in for a vaccine gets one
 *   notification per dose of it that is `due` today (the forecast of domain/vaccination), through the
 *   notification release and outbox to the portal. "Once" is the database's: a reminder row per
 *   (subject, vaccine, dose, occasion) with that primary key, in the transaction that makes the
 *   notification — a second run, a restarted hub or a run in another process finds it and sends nothing.
 * - **purge**: the records of subjects whose registration ended are deleted once the retention rule in
 *   force today no longer keeps them; each purge is audited per subject and as a run (who, what, how many).
 */
export class VaccinationJobs {
  private readonly reminderLoop: PollingLoop;
  private readonly purgeLoop: PollingLoop;
  private readonly today: () => string;
  private readonly batchSize: number;
  private readonly rules: readonly RetentionRule[];

  constructor(
    private readonly system: SystemStore,
    private readonly log: Logger,
    private readonly wakeRelease: () => void,
    opts: VaccinationJobsOptions = {},
  ) {
    this.today = opts.today ?? (() => todayInJapan());
    this.batchSize = opts.batchSize ?? 500;
    this.rules = opts.retentionRules ?? RETENTION_RULES;
    const pollMs = opts.pollMs ?? 3_600_000;
    const by = opts.processName ?? `${auditProcess() || 'hub'}:${process.pid}`;
    // Each loop does a whole pass, then sleeps until the next (returns false: no "more work" to chase).
    // A pass runs once per period across every hub process on the database: the first to start it
    // wins (`scheduled_jobs`); the others sleep until their next look.
    const once = (name: string, run: () => Promise<unknown>) => async () => {
      if (await this.system.autocommit.startScheduledRun(name, pollMs, by)) await run();
      return false;
    };
    this.reminderLoop = new PollingLoop(
      once(REMINDER_JOB, () => this.remind()),
      { name: 'vaccination reminders', log, pollMs, health: opts.health },
    );
    this.purgeLoop = new PollingLoop(
      once(PURGE_JOB, () => this.purge()),
      { name: 'vaccination retention purge', log, pollMs, health: opts.health },
    );
  }

  start(): void {
    this.reminderLoop.start();
    this.purgeLoop.start();
  }

  async stop(): Promise<void> {
    await Promise.all([this.reminderLoop.stop(), this.purgeLoop.stop()]);
  }

  /** One pass of the reminders at today (the injected clock's). */
  async remind(): Promise<ReminderRun> {
    const today = this.today();
    let after = '00000000-0000-0000-0000-000000000000';
    let subjects = 0;
    let sent = 0;
    for (;;) {
      const page = await this.system.autocommit.reminderSubjects(after, this.batchSize);
      if (page.length === 0) break;
      after = page[page.length - 1].subjectId;
      subjects += page.length;
      const enabled = await this.system.autocommit.enabledReminders([...new Set(page.map((s) => s.municipalityCode))]);
      const doses = await this.system.autocommit.dosesOfPersons([...new Set(page.map((s) => s.pmhId))]);
      const items: ReminderToSend[] = page.flatMap((s) => {
        const given: GivenDose[] = (doses.get(s.pmhId) ?? []).map((d) => ({
          vaccineCode: d.vaccineCode,
          doseNumber: d.doseNumber,
          date: d.date,
          ...(d.series === null ? {} : { series: d.series }),
        }));
        return dueDoses({ dateOfBirth: s.dateOfBirth, sex: s.sex }, given, today, enabled.get(s.municipalityCode) ?? new Set()).map((d) => ({
          subjectId: s.subjectId,
          municipalityCode: s.municipalityCode,
          vaccineCode: d.vaccineCode,
          doseNumber: d.doseNumber,
          occasion: d.occasion,
          series: d.series,
          dueOn: today,
          ...reminderText(d, today),
        }));
      });
      if (items.length) {
        const done = await this.system.transaction(async (sys) => {
          const done = await sys.sendReminders(items, REMINDER_ACTOR);
          await sys.audit(
            done.map(
              (r): AuditEntry => ({
                stream: auditStream(REMINDER_ACTOR, r.subjectId),
                actor: REMINDER_ACTOR,
                action: 'notification.create',
                subjectRef: r.subjectId,
                purpose: 'notification',
                outcome: 'ok',
                detail: { notificationId: r.notificationId, category: 'vaccination', vaccineCode: r.vaccineCode, doseNumber: r.doseNumber, dueOn: today },
              }),
            ),
          );
          return done;
        });
        sent += done.length;
        if (done.length) this.wakeRelease();
      }
      if (page.length < this.batchSize) break;
    }
    if (sent) this.log.info({ today, subjects, sent }, 'vaccination reminders sent');
    return { today, subjects, sent };
  }

  /** One pass of the retention purge at today (the injected clock's), under the rule in force today. */
  async purge(): Promise<PurgeRun> {
    const today = this.today();
    const rule = retentionRuleAt(today, this.rules);
    let after = '00000000-0000-0000-0000-000000000000';
    let subjects = 0;
    let records = 0;
    for (;;) {
      const page = await this.system.autocommit.purgeCandidates(after, this.batchSize);
      if (page.length === 0) break;
      after = page[page.length - 1].subjectId;
      const due = page.flatMap((c) => c.records.filter((r) => purgeable(rule, r, c, today)).map((r) => ({ c, r })));
      if (due.length) {
        const purged = await this.system.transaction(async (sys) => {
          const purged = await sys.purgeRecords(
            due.map((d) => d.r.id),
            today,
          );
          const entries: AuditEntry[] = [...purged].map(([subjectId, n]) => {
            const c = page.find((p) => p.subjectId === subjectId)!;
            const kept = c.records.map((r) => keptThrough(rule, r, c)).filter((d): d is string => d !== null);
            return {
              stream: auditStream(PURGE_ACTOR, subjectId),
              actor: PURGE_ACTOR,
              action: 'vaccination.records.purge',
              subjectRef: subjectId,
              purpose: 'retention',
              outcome: 'ok',
              detail: { records: n, today, rule: rule.basis, ruleValidFrom: rule.validFrom, endedReason: c.endedReason, keptThrough: kept.sort().at(-1) },
            };
          });
          await sys.audit(entries);
          return purged;
        });
        subjects += purged.size;
        for (const n of purged.values()) records += n;
      }
      if (page.length < this.batchSize) break;
    }
    // The run itself, whatever it found: who purged, under which rule, how many.
    await this.system.transaction((sys) =>
      sys.audit([
        {
          stream: auditStream(PURGE_ACTOR, 'runs'),
          actor: PURGE_ACTOR,
          action: 'vaccination.retention.run',
          subjectRef: null,
          purpose: 'retention',
          outcome: 'ok',
          detail: { today, rule: rule.basis, ruleValidFrom: rule.validFrom, years: rule.years, subjects, records },
        },
      ]),
    );
    if (records) this.log.info({ today, subjects, records, rule: rule.basis }, 'vaccination records purged after their retention period');
    return { today, rule, subjects, records };
  }
}
