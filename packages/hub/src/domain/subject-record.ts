/**
 * The part every checkup-subject registration shares (vaccination, maternal and child health): a
 * record shaped like the published PMH municipal checkup-subject API, `modificationSeg` "1" (register
 * or update the person, with the process's own data) or "2" (end the registration). This module
 * checks the envelope and the person — the segment, the schema of the record, the 宛名番号, the My
 * Number's check digit, the name and its kana, no My Number in free text — and collects every error
 * of a record, at most one per field; each process adds the checks of its own data to the same
 * collector. Messages name the field and never repeat the value (it may be a My Number).
 */
import { flagValue } from '@pmh/protocol';
import { MEMBER_NAME_NOT_ALLOWED, type FieldError } from '@pmh/core/http/problem';
import { toFieldErrors } from '@pmh/core/http/validate';
import { isValidMyNumber } from '@pmh/core/text/checkdigits';
import { isKatakanaName, normalizeDigits, normalizeKanaName, normalizeKey, normalizeName } from '@pmh/core/text/japanese';
import { containsMyNumber, twelveDigitRuns } from '@pmh/core/text/my-number';
import type { SubjectFacts } from './medical-subsidy/record.ts';

/** modificationSeg "2": the end of the subject's registration for one process. */
export interface SubjectEnd {
  kind: 'end';
  index: number;
  municipalityIdentityKey: string;
  reason: 'moved-out' | 'deceased' | 'mistaken';
  date: string;
}

/** modificationSeg "1": the person, as every process registers them. */
export interface SubjectRegistration {
  kind: 'register';
  index: number;
  municipalityIdentityKey: string;
  myNumber: string;
  subject: SubjectFacts;
}

/** A compiled schema (typebox/compile). */
interface Checker {
  Errors(value: unknown): Iterable<Parameters<typeof toFieldErrors>[0] extends Iterable<infer E> ? E : never>;
}

export const MY_NUMBER_IN_TEXT = 'contains what looks like a My Number (個人番号); it must never be written in this field';

export const isString = (v: unknown): v is string => typeof v === 'string';
export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every error of one record (index `index` in its task), at most one per field, pointers into the task. */
export class RecordErrors {
  private readonly found = new Map<string, string>();
  private readonly wrong = new Set<string>();

  constructor(readonly index: number) {}

  /** A pointer within the record, as a pointer into the task. */
  at(p: string): string {
    return `/${this.index}${p}`;
  }

  /** Schema errors (pointers into the task). A member name refused is reported, but leaves its siblings checkable. */
  addSchemaErrors(errors: FieldError[]): void {
    for (const e of errors) {
      if (!this.found.has(e.pointer)) this.found.set(e.pointer, e.message);
      if (e.message !== MEMBER_NAME_NOT_ALLOWED) this.wrong.add(e.pointer);
    }
  }

  /** Errors a nested validator found (pointers into the task already). */
  addAll(errors: FieldError[]): void {
    for (const e of errors) {
      if (!this.found.has(e.pointer)) this.found.set(e.pointer, e.message);
      this.wrong.add(e.pointer);
    }
  }

  /** Whether the field (a pointer within the record) passed the schema, and so may be read for its meaning. */
  shapeOk(p: string): boolean {
    const at = this.at(p);
    return ![...this.wrong].some((k) => at === k || at.startsWith(k + '/'));
  }

  fail(p: string, message: string): void {
    const at = this.at(p);
    if (!this.found.has(at)) this.found.set(at, message);
    this.wrong.add(at);
  }

  get failed(): boolean {
    return this.found.size > 0;
  }

  errors(): FieldError[] {
    return [...this.found].map(([pointer, message]) => ({ pointer, message }));
  }
}

export type SubjectRecordStart =
  /** Not a record, or no valid modificationSeg: nothing more can be read. */
  | { errors: FieldError[] }
  | { kind: 'end'; check: RecordErrors; end?: SubjectEnd }
  | {
      kind: 'register';
      check: RecordErrors;
      raw: Record<string, unknown>;
      /** The person, when every field of theirs is right (the process's own data may still fail). */
      person?: SubjectRegistration;
      /** The date of birth, when its shape is right: the process's dates are checked against it. */
      dateOfBirth?: string;
    };

/**
 * Checks a record's envelope and person: modificationSeg, the schema of its kind (`register` or
 * `end`), the 宛名番号 (not empty, not the My Number), the My Number's check digit, the name, the kana,
 * the end's date (not in the future), and no My Number in the person's free text.
 */
export function startSubjectRecord(raw: unknown, index: number, schemas: { register: Checker; end: Checker }, today: string): SubjectRecordStart {
  const check = new RecordErrors(index);
  const seg = isObject(raw) ? raw.modificationSeg : undefined;
  if (seg !== '1' && seg !== '2') {
    if (!isObject(raw)) return { errors: [{ pointer: check.at(''), message: 'must be an object (a registration record)' }] };
    return {
      errors: [
        {
          pointer: check.at('/modificationSeg'),
          message:
            seg === undefined
              ? 'is required: "1" (register or update) or "2" (end the registration)'
              : 'must be "1" (register or update) or "2" (end the registration)',
        },
      ],
    };
  }
  check.addSchemaErrors(toFieldErrors((seg === '1' ? schemas.register : schemas.end).Errors(raw), `/${index}`));
  const r = raw as Record<string, unknown>;

  const key = isString(r.municipalityIdentityKey) ? normalizeKey(r.municipalityIdentityKey) : undefined;
  if (key !== undefined && check.shapeOk('/municipalityIdentityKey') && !key) check.fail('/municipalityIdentityKey', 'must not be empty');

  if (seg === '2') {
    if (isString(r.date) && check.shapeOk('/date') && r.date > today) check.fail('/date', 'must not be in the future');
    if (check.failed) return { kind: 'end', check };
    return {
      kind: 'end',
      check,
      end: { kind: 'end', index, municipalityIdentityKey: key!, reason: r.reason as SubjectEnd['reason'], date: r.date as string },
    };
  }

  let myNumber: string | undefined;
  if (isString(r.myNumber) && check.shapeOk('/myNumber')) {
    myNumber = normalizeDigits(r.myNumber);
    if (!isValidMyNumber(myNumber)) check.fail('/myNumber', 'is not a valid My Number (12 digits with a correct check digit)');
  }
  if (
    key &&
    check.shapeOk('/municipalityIdentityKey') &&
    myNumber !== undefined &&
    isValidMyNumber(myNumber) &&
    twelveDigitRuns(key).some((run) => run.digits === myNumber)
  )
    check.fail('/municipalityIdentityKey', 'is the person’s My Number; use the municipality’s own key (宛名番号), never the My Number');

  const b = isObject(r.basicFiveInfo) ? r.basicFiveInfo : undefined;
  const name = b && isString(b.name) ? normalizeName(b.name) : undefined;
  if (name !== undefined && check.shapeOk('/basicFiveInfo/name') && !name) check.fail('/basicFiveInfo/name', 'must not be empty');
  let nameKana: string | null = null;
  if (b && isString(b.nameKana) && b.nameKana.trim() !== '' && check.shapeOk('/basicFiveInfo/nameKana')) {
    nameKana = normalizeKanaName(b.nameKana);
    if (!isKatakanaName(nameKana)) check.fail('/basicFiveInfo/nameKana', 'must be written in katakana');
  }
  const dateOfBirth = b && isString(b.dateOfBirth) && check.shapeOk('/basicFiveInfo/dateOfBirth') ? b.dateOfBirth : undefined;
  if (b)
    refuseMyNumberInText(
      check,
      ['name', 'nameKana', 'address'].map((f) => [`/basicFiveInfo/${f}`, b[f]]),
    );

  if (check.failed) return { kind: 'register', check, raw: r, dateOfBirth };
  const info = r.basicFiveInfo as { address?: string; dateOfBirth: string; sex: string };
  return {
    kind: 'register',
    check,
    raw: r,
    dateOfBirth,
    person: {
      kind: 'register',
      index,
      municipalityIdentityKey: key!,
      myNumber: myNumber!,
      subject: {
        name: name!,
        nameKana,
        address: info.address?.trim() ? normalizeName(info.address) : null,
        dateOfBirth: info.dateOfBirth,
        sex: info.sex,
        isNotDisclosed: flagValue(r.isNotDisclosed as boolean),
      },
    },
  };
}

/**
 * docs/privacy.md#invariant-1: no My Number where none belongs. What a record says in words is shown to
 * clinics and residents; each text (pointer within the record, value) that holds one fails.
 */
export function refuseMyNumberInText(check: RecordErrors, texts: Array<[string, unknown]>): void {
  for (const [p, v] of texts) if (isString(v) && check.shapeOk(p) && containsMyNumber(v)) check.fail(p, MY_NUMBER_IN_TEXT);
}
