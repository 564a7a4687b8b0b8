import { Compile } from 'typebox/compile';
import { MedicalSubsidyRecord, PUBLISHED_LIST_SEPARATOR, flagValue, isSingleLineText } from '@pmh/protocol';
import { MEMBER_NAME_NOT_ALLOWED, type FieldError } from '@pmh/core/http/problem';
import { toFieldErrors } from '@pmh/core/http/validate';
import { isValidMyNumber, isValidPayerNumber, isValidRecipientNumber, legalBasisCode, isValidMedicalInstitutionCode } from '@pmh/core/text/checkdigits';
import { normalizeDigits, normalizeKanaName, normalizeKey, isKatakanaName, normalizeName, toHalfWidthAscii, todayInJapan } from '@pmh/core/text/japanese';
import { containsMyNumber, twelveDigitRuns } from '@pmh/core/text/my-number';
import type { CertificateVersion } from './certificate.ts';

/** A programme (制度マスタ) as the rules need it. */
export interface Program {
  orgSpecificCertificateTypeId: string;
  certificationName: string;
  medicalSubsidyInsurerNumber: string;
  legalBasisCode: string;
  additionalConditionCodes: Array<{ code: string; name: string }>;
}

/** The person a record is about, normalised. */
export interface SubjectFacts {
  name: string;
  nameKana: string | null;
  address: string | null;
  dateOfBirth: string;
  sex: string;
  isNotDisclosed: boolean;
}

/** A record after validation and normalisation: what the store applies. */
export interface SubsidyRecord {
  index: number;
  /** 宛名番号; null when the record names none (the published API has none): the subject is found by My Number. */
  municipalityIdentityKey: string | null;
  myNumber: string;
  subject: SubjectFacts;
  certificate: CertificateVersion;
}

const check = Compile(MedicalSubsidyRecord);

/** 法別番号 80–89 are local (地方単独) programmes; their recipient numbers follow no national rule. */
export function isLocalProgram(legalBasis: string): boolean {
  return legalBasis.startsWith('8');
}

export { todayInJapan };

/**
 * The programme ids records name, as the programme store keys them, for loading the programmes a
 * batch needs before it is validated. Only well-formed ids go into the query; a record with another
 * fails validation alone.
 */
export function programIdsOf(records: readonly unknown[]): string[] {
  const ids = new Set<string>();
  for (const r of records) {
    const id = (r as { orgSpecificCertificateTypeId?: unknown } | null)?.orgSpecificCertificateTypeId;
    if (typeof id === 'string' && id.length <= 64 && isSingleLineText(id)) ids.add(normalizeKey(id));
  }
  return [...ids];
}

const MY_NUMBER_IN_TEXT = 'contains what looks like a My Number (個人番号); it must never be written in this field';

const isString = (v: unknown): v is string => typeof v === 'string';
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates and normalises one record, completely, before anything is stored: its shape and the
 * wire's text rule (schema), and every rule of meaning (check digits, the programme, the dates),
 * all reported together in one pass, at most one error per field. Messages name the field and say
 * what is wrong in plain words; they never repeat the value (it may be a My Number).
 */
export function validateSubsidyRecord(
  raw: unknown,
  index: number,
  programs: ReadonlyMap<string, Program>,
): { record: SubsidyRecord } | { errors: FieldError[] } {
  const at = (p: string) => `/${index}${p}`;
  const found = new Map<string, string>();
  /** Where a value is wrong (an unnamable member's error names its object, but says nothing of the object's fields). */
  const wrong = new Set<string>();
  for (const e of toFieldErrors(check.Errors(raw), `/${index}`)) {
    if (!found.has(e.pointer)) found.set(e.pointer, e.message);
    if (e.message !== MEMBER_NAME_NOT_ALLOWED) wrong.add(e.pointer);
  }
  /** A field is checked for meaning only when its shape is right (no error there or above it). */
  const shapeOk = (p: string) => ![...wrong].some((k) => at(p) === k || at(p).startsWith(k + '/'));
  const fail = (p: string, message: string) => {
    if (!found.has(at(p))) found.set(at(p), message);
    wrong.add(at(p));
  };
  if (!isObject(raw)) return { errors: [...found].map(([pointer, message]) => ({ pointer, message })) };
  const r = raw as Partial<MedicalSubsidyRecord>;

  let myNumber: string | undefined;
  if (isString(r.myNumber) && shapeOk('/myNumber')) {
    myNumber = normalizeDigits(r.myNumber);
    if (!isValidMyNumber(myNumber)) fail('/myNumber', 'is not a valid My Number (12 digits with a correct check digit)');
  }

  const key = isString(r.municipalityIdentityKey) ? normalizeKey(r.municipalityIdentityKey) : undefined;
  if (key !== undefined && shapeOk('/municipalityIdentityKey')) {
    if (!key) fail('/municipalityIdentityKey', 'must not be empty');
    // A key is the municipality's own identifier, not free text; but it must not be the person's My Number.
    else if (myNumber !== undefined && isValidMyNumber(myNumber) && twelveDigitRuns(key).some((run) => run.digits === myNumber))
      fail('/municipalityIdentityKey', 'is the person’s My Number; use the municipality’s own key (宛名番号), never the My Number');
  }

  const b = isObject(r.basicFiveInfo) ? (r.basicFiveInfo as Partial<MedicalSubsidyRecord['basicFiveInfo']>) : undefined;
  const name = b && isString(b.name) ? normalizeName(b.name) : undefined;
  if (name !== undefined && shapeOk('/basicFiveInfo/name') && !name) fail('/basicFiveInfo/name', 'must not be empty');
  let nameKana: string | null = null;
  if (b && isString(b.nameKana) && b.nameKana.trim() !== '' && shapeOk('/basicFiveInfo/nameKana')) {
    nameKana = normalizeKanaName(b.nameKana);
    if (!isKatakanaName(nameKana)) fail('/basicFiveInfo/nameKana', 'must be written in katakana');
  }

  const programId = isString(r.orgSpecificCertificateTypeId) ? normalizeKey(r.orgSpecificCertificateTypeId) : undefined;
  const program = programId !== undefined ? programs.get(programId) : undefined;
  if (programId !== undefined && shapeOk('/orgSpecificCertificateTypeId') && !program) {
    fail(
      '/orgSpecificCertificateTypeId',
      'names no programme of this municipality; define it first with PUT /municipal/v1/medical-subsidy/programs/{orgSpecificCertificateTypeId}',
    );
  }

  let insurer: string | undefined;
  if (r.medicalSubsidyInsurerNumber !== undefined) {
    if (isString(r.medicalSubsidyInsurerNumber) && shapeOk('/medicalSubsidyInsurerNumber')) insurer = normalizeDigits(r.medicalSubsidyInsurerNumber);
  } else insurer = program?.medicalSubsidyInsurerNumber;
  if (insurer !== undefined && shapeOk('/medicalSubsidyInsurerNumber')) {
    if (!isValidPayerNumber(insurer)) {
      fail('/medicalSubsidyInsurerNumber', 'is not a valid payer number (8 digits with a correct check digit)');
    } else if (program && legalBasisCode(insurer) !== program.legalBasisCode) {
      fail('/medicalSubsidyInsurerNumber', `has legal-basis code (法別番号) ${legalBasisCode(insurer)}, but the programme is ${program.legalBasisCode}`);
    }
  }

  let recipient: string | null = null;
  if (isString(r.medicalSubsidyRecipientNumber) && shapeOk('/medicalSubsidyRecipientNumber')) {
    recipient = toHalfWidthAscii(r.medicalSubsidyRecipientNumber).trim();
    // Its rule depends on the programme: unknown, it is reported once, there.
    const national = program !== undefined && !isLocalProgram(program.legalBasisCode);
    if (national && /^\d{7}$/.test(recipient) && !isValidRecipientNumber(recipient)) {
      fail('/medicalSubsidyRecipientNumber', 'is not a valid recipient number (7 digits with a correct check digit)');
    } else if (national && !/^\d{7}$/.test(recipient)) {
      fail('/medicalSubsidyRecipientNumber', 'must be 7 digits for a national programme');
    }
  }

  if (isString(r.validFrom) && isString(r.validTo) && shapeOk('/validFrom') && shapeOk('/validTo') && r.validFrom > r.validTo)
    fail('/validTo', 'must not be before validFrom');

  // 追加条件: the published string ("01-1;02-3") or an array of the same codes; checked alike.
  const conditionsAsList = isString(r.additionalConditions);
  const conditions = isString(r.additionalConditions)
    ? publishedList(r.additionalConditions)
    : Array.isArray(r.additionalConditions)
      ? r.additionalConditions
      : [];
  /** Where a condition's error is named: its index in an array, the whole field for a string. */
  const conditionAt = (i: number) => (conditionsAsList ? '/additionalConditions' : `/additionalConditions/${i}`);
  /** …and how: a string's entry by its place in the list, since a pointer cannot reach into a string. */
  const conditionMessage = (i: number, message: string) => (conditionsAsList ? `entry ${i + 1} of the list ${message}` : message);
  if (conditionsAsList && shapeOk('/additionalConditions')) {
    if (conditions.length > 50) fail('/additionalConditions', 'must list at most 50 codes');
    conditions.forEach((c, i) => {
      if (isString(c) && c.length > 64) fail(conditionAt(i), conditionMessage(i, 'must have at most 64 characters'));
    });
  }
  if (program && program.additionalConditionCodes.length > 0) {
    const known = new Set(program.additionalConditionCodes.map((c) => c.code));
    conditions.forEach((c, i) => {
      if (isString(c) && shapeOk(conditionAt(i)) && !known.has(c))
        fail(conditionAt(i), conditionMessage(i, 'is not an additional-condition code of this programme'));
    });
  }

  // 指定医療機関: the published string (codes joined by ";") or an array of codes or { institutionCode, name }.
  const designatedAsList = isString(r.designatedMedicalInstitutions);
  const designatedRaw: unknown[] = isString(r.designatedMedicalInstitutions)
    ? publishedList(r.designatedMedicalInstitutions)
    : Array.isArray(r.designatedMedicalInstitutions)
      ? r.designatedMedicalInstitutions
      : [];
  if (designatedAsList && designatedRaw.length > 100 && shapeOk('/designatedMedicalInstitutions'))
    fail('/designatedMedicalInstitutions', 'must list at most 100 institutions');
  const designated = designatedRaw.map((d, i) => {
    const institution = isString(d) ? { institutionCode: d } : d;
    const p = designatedAsList
      ? '/designatedMedicalInstitutions'
      : isString(d)
        ? `/designatedMedicalInstitutions/${i}`
        : `/designatedMedicalInstitutions/${i}/institutionCode`;
    if (!isObject(institution) || !isString(institution.institutionCode) || !shapeOk(p)) return institution;
    const code = normalizeDigits(institution.institutionCode);
    if (!isValidMedicalInstitutionCode(code)) {
      const message = 'is not a medical-institution code (10 digits: prefecture, 点数表, district, number, check digit)';
      fail(p, designatedAsList ? `entry ${i + 1} of the list ${message}` : message);
    }
    return { ...institution, institutionCode: code };
  });

  // docs/privacy.md#invariant-1: no My Number where none belongs. What a record says in words goes
  // to clinics and residents; the one field that may hold a My Number is myNumber.
  for (const [p, v] of freeText(r)) if (shapeOk(p) && containsMyNumber(v)) fail(p, MY_NUMBER_IN_TEXT);

  if (found.size) return { errors: [...found].map(([pointer, message]) => ({ pointer, message })) };
  const v = raw as MedicalSubsidyRecord;
  return {
    record: {
      index,
      municipalityIdentityKey: key ?? null,
      myNumber: myNumber!,
      subject: {
        name: name!,
        nameKana,
        address: v.basicFiveInfo.address?.trim() ? normalizeName(v.basicFiveInfo.address) : null,
        dateOfBirth: v.basicFiveInfo.dateOfBirth,
        sex: v.basicFiveInfo.sex,
        isNotDisclosed: flagValue(v.isNotDisclosed),
      },
      certificate: {
        orgSpecificCertificateTypeId: programId!,
        certificationSubKey: v.certificationSubKey ?? '',
        historyKey: v.historyKey,
        certificationName: v.certificationName,
        medicalSubsidyInsurerNumber: insurer!,
        medicalSubsidyRecipientNumber: recipient,
        segment: v.segment ?? null,
        incomeSegment: v.incomeSegment ?? null,
        additionalConditions: conditions as string[],
        designatedMedicalInstitutions: designated as Array<{ institutionCode: string; name?: string }>,
        isAlwaysReimbursement: flagValue(v.isAlwaysReimbursement),
        maxCopaymentAmount: v.maxCopaymentAmount ?? null,
        validFrom: v.validFrom,
        validTo: v.validTo,
        isDeleted: flagValue(v.isDeleted),
        certificationDetail: v.certificationDetail,
      },
    },
  };
}

/** The entries of a published multi-valued string ("a;b;c"), trimmed; none for an empty string. */
export function publishedList(s: string): string[] {
  return s
    .split(PUBLISHED_LIST_SEPARATOR)
    .map((e) => e.trim())
    .filter((e) => e !== '');
}

/** Every free-text field of a record (pointer within the record, text): where a My Number must never be. */
function freeText(r: Partial<MedicalSubsidyRecord>): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const add = (p: string, v: unknown) => {
    if (isString(v)) out.push([p, v]);
  };
  if (isObject(r.basicFiveInfo)) for (const f of ['name', 'nameKana', 'address'] as const) add(`/basicFiveInfo/${f}`, r.basicFiveInfo[f]);
  for (const f of [
    'orgSpecificCertificateTypeId',
    'certificationName',
    'medicalSubsidyRecipientNumber',
    'certificationSubKey',
    'segment',
    'incomeSegment',
    'historyKey',
  ] as const)
    add(`/${f}`, r[f]);
  if (Array.isArray(r.additionalConditions)) r.additionalConditions.forEach((c, i) => add(`/additionalConditions/${i}`, c));
  else add('/additionalConditions', r.additionalConditions);
  add('/designatedMedicalInstitutions', r.designatedMedicalInstitutions);
  if (Array.isArray(r.designatedMedicalInstitutions))
    r.designatedMedicalInstitutions.forEach((d, i) => isObject(d) && add(`/designatedMedicalInstitutions/${i}/name`, d.name));
  if (Array.isArray(r.certificationDetail))
    r.certificationDetail.forEach((d, i) => {
      if (!isObject(d)) return;
      add(`/certificationDetail/${i}/label`, d.label);
      add(`/certificationDetail/${i}/value`, d.value);
    });
  return out;
}
