import {
  MATERNAL_CHILD_CLAIMS_CSV_COLUMNS,
  MATERNAL_CHILD_FEED_CSV_COLUMNS,
  MATERNAL_CHILD_FOLLOW_UP_CSV_COLUMNS,
  hubApi,
  type CheckupFinding,
  type MaternalChildClaimLine,
  type MaternalChildFeedItem,
  type MaternalChildFollowUp,
} from '@pmh/protocol';
import type { Static } from 'typebox';
import type { Surface } from '@pmh/core/http/serve';
import { todayInJapan } from '@pmh/core/text/japanese';
import type { CheckupClaimRow, FollowUpRow, MaternalChildFeedRow } from '../../store/index.ts';
import type { MunicipalDeps } from './index.ts';
import { answerFeed, answerList, auditedRead, monthOf } from './reads.ts';
import { serveRegistrationTasks } from './registration.ts';

/**
 * The municipality's maternal and child health (seed C① ⑤): `POST /municipal/v1/maternal-child/registration-tasks`
 * (a task of the same machinery as the other registrations, reported by GET registration-tasks/{taskId});
 * the results feed `GET …/maternal-child/results`, the follow-up list `GET …/follow-ups` and the month's
 * claims `GET …/claims` — each JSON or CSV (UTF-8 or Shift_JIS), each read audited.
 */
export function maternalChildRoutes(s: Surface, deps: MunicipalDeps): void {
  serveRegistrationTasks(s, deps, hubApi.municipal.registerMaternalChild, 'maternal-child');

  s.serve(hubApi.municipal.maternalChildResults, (req, reply) =>
    answerFeed(req, reply, {
      action: 'maternal-child.results.read',
      stream: 'maternal-child-results-feed',
      read: (repo, after, limit) => repo.maternalChildFeed(after, limit),
      item: feedItem,
      csv: { columns: MATERNAL_CHILD_FEED_CSV_COLUMNS, row: feedCsvRow },
    }),
  );

  s.serve(hubApi.municipal.maternalChildFollowUps, async (req, reply) => {
    const rows = await auditedRead(
      req,
      { action: 'maternal-child.follow-ups.read', stream: 'maternal-child-follow-ups' },
      (repo) => repo.maternalChildFollowUps(todayInJapan()),
      (rows) => ({ count: rows.length }),
    );
    const followUps = rows.map(followUpView);
    return answerList(
      req,
      reply,
      { followUps },
      { columns: MATERNAL_CHILD_FOLLOW_UP_CSV_COLUMNS, rows: followUps.map((f) => ({ ...f, findings: findingsText(f.findings) })) },
    );
  });

  s.serve(hubApi.municipal.maternalChildClaims, async (req, reply) => {
    const month = monthOf(req.query.month);
    const rows = await auditedRead(
      req,
      { action: 'maternal-child.claims.read', stream: `maternal-child-claims:${month}` },
      (repo) => repo.maternalChildClaims(month),
      (rows) => ({ month, lines: rows.length }),
    );
    const claims = rows.map((r) => claimView(month, r));
    const total = claims.reduce((n, c) => n + c.amount, 0);
    return answerList(req, reply, { month, claims, total }, { columns: MATERNAL_CHILD_CLAIMS_CSV_COLUMNS, rows: claims });
  });
}

function feedItem(r: MaternalChildFeedRow): MaternalChildFeedItem {
  return {
    municipalityIdentityKey: r.municipalityIdentityKey,
    resultId: r.resultId,
    resultKey: r.resultKey,
    ...r.body,
    payment: r.payment,
    selfPaidReason: r.selfPaidReason,
    source: r.source,
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Findings in one cell: `area:finding`, separated by " / ". */
const findingsText = (findings: ReadonlyArray<Static<typeof CheckupFinding>>): string => findings.map((f) => `${f.area}:${f.finding}`).join(' / ');

/** One result as a flat CSV row (MATERNAL_CHILD_FEED_CSV_COLUMNS). */
function feedCsvRow(i: MaternalChildFeedItem): Record<(typeof MATERNAL_CHILD_FEED_CSV_COLUMNS)[number], unknown> {
  const { measurements: m, urine } = i;
  return {
    municipalityIdentityKey: i.municipalityIdentityKey,
    resultId: i.resultId,
    resultKey: i.resultKey,
    checkupKind: i.checkupKind,
    sequence: i.sequence,
    voucherNumber: i.voucherNumber,
    payment: i.payment,
    selfPaidReason: i.selfPaidReason,
    date: i.date,
    institutionCode: i.institutionCode,
    ageInMonths: i.ageInMonths,
    gestationalWeeks: i.gestationalWeeks,
    heightCm: m.heightCm,
    weightKg: m.weightKg,
    headCm: m.headCm,
    chestCm: m.chestCm,
    systolic: m.systolic,
    diastolic: m.diastolic,
    fundalHeightCm: m.fundalHeightCm,
    abdominalCm: m.abdominalCm,
    urineProtein: urine?.protein,
    urineGlucose: urine?.glucose,
    urineOccultBlood: urine?.occultBlood,
    edema: i.edema,
    testsDone: i.testsDone?.join(' '),
    findings: findingsText(i.findings),
    judgement: i.judgement,
    detailedExamDate: i.detailedExamDate,
    source: i.source,
    updatedAt: i.updatedAt,
  };
}

const followUpView = (r: FollowUpRow): MaternalChildFollowUp => ({ ...r });

const claimView = (month: string, r: CheckupClaimRow): MaternalChildClaimLine => ({ month, ...r });
