import type { AccessLogActorKind, ResidentCertificate } from '@pmh/protocol';
import { localGovernmentName } from '@pmh/protocol/local-governments';
import type { StoredCertificateVersion } from './certificate.ts';

const newestValidityFirst = (a: StoredCertificateVersion, b: StoredCertificateVersion) =>
  b.validFrom.localeCompare(a.validFrom) ||
  b.validTo.localeCompare(a.validTo) ||
  b.updatedAt.localeCompare(a.updatedAt) ||
  b.historyKey.localeCompare(a.historyKey);

/**
 * The resident's certificates (受給者証): one per certificate — a programme and 資格サブキー of one
 * registration (subject) — showing the version in force at `asOf`, or else the latest one, with every
 * version as its history. Withdrawn versions are never shown as in force; a certificate whose every
 * version is withdrawn is not the resident's any more and is left out.
 */
export function residentCertificates(versions: StoredCertificateVersion[], asOf: string): ResidentCertificate[] {
  const groups = new Map<string, StoredCertificateVersion[]>();
  for (const v of versions) {
    const key = `${v.subjectId}\u0000${v.orgSpecificCertificateTypeId}\u0000${v.certificationSubKey}`;
    const g = groups.get(key);
    if (g) g.push(v);
    else groups.set(key, [v]);
  }
  const out: ResidentCertificate[] = [];
  for (const g of groups.values()) {
    const history = [...g].sort(newestValidityFirst);
    const live = history.filter((v) => !v.isDeleted);
    if (live.length === 0) continue;
    const inForce = live.find((v) => v.validFrom <= asOf && asOf <= v.validTo);
    const shown = inForce ?? live[0];
    const status = inForce ? 'current' : shown.validFrom > asOf ? 'future' : 'expired';
    // The first version ever stored names the certificate, so its reference stays put as versions come.
    const first = [...g].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))[0];
    out.push({
      id: first.id,
      municipalityCode: shown.municipalityCode,
      certificationName: shown.certificationName,
      medicalSubsidyInsurerNumber: shown.medicalSubsidyInsurerNumber,
      medicalSubsidyRecipientNumber: shown.medicalSubsidyRecipientNumber,
      validFrom: shown.validFrom,
      validTo: shown.validTo,
      maxCopaymentAmount: shown.maxCopaymentAmount,
      segment: shown.segment,
      incomeSegment: shown.incomeSegment,
      additionalConditions: shown.additionalConditions,
      isAlwaysReimbursement: shown.isAlwaysReimbursement,
      certificationDetail: shown.certificationDetail,
      status,
      history: history.map((v) => ({ historyKey: v.historyKey, validFrom: v.validFrom, validTo: v.validTo, isDeleted: v.isDeleted, updatedAt: v.updatedAt })),
    });
  }
  const rank = { current: 0, future: 1, expired: 2 } as const;
  return out.sort(
    (a, b) =>
      rank[a.status] - rank[b.status] ||
      a.municipalityCode.localeCompare(b.municipalityCode) ||
      a.certificationName.localeCompare(b.certificationName) ||
      b.validFrom.localeCompare(a.validFrom),
  );
}

/**
 * Who an audit actor is, as the resident's access log says it: a medical institution or a
 * municipality by its code, an operator, or the system (the ID server, the portal's links, workers).
 */
export function accessLogActor(actor: string): { actorKind: AccessLogActorKind; actorCode: string | null } {
  let m = /^municipality:([0-9]{6})$/.exec(actor);
  if (m) return { actorKind: 'municipality', actorCode: m[1] };
  m = /^institution:([0-9]{10})$/.exec(actor);
  if (m) return { actorKind: 'medical-institution', actorCode: m[1] };
  if (actor.startsWith('admin:')) return { actorKind: 'operator', actorCode: null };
  // A guardian (代理人) acting for the person through the portal (audited as `guardian`).
  if (actor === 'guardian') return { actorKind: 'guardian', actorCode: null };
  return { actorKind: 'system', actorCode: null };
}

/**
 * The name the access log shows for an actor: a medical institution as the operator's registry names
 * it, a municipality as the national list does (東京都千代田区); null when neither knows the code, and
 * for actors without one.
 */
export function actorName(actor: { actorKind: AccessLogActorKind; actorCode: string | null }, institutions: Map<string, string>): string | null {
  if (!actor.actorCode) return null;
  if (actor.actorKind === 'medical-institution') return institutions.get(actor.actorCode) ?? null;
  if (actor.actorKind === 'municipality') return localGovernmentName(actor.actorCode) ?? null;
  return null;
}
