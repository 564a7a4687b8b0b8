/**
 * Shared helpers for the hub's HTTP tests (not a test file itself: the runner picks `*.test.ts`).
 * Every test talks to a real hub over HTTP through the testkit's World; the database handle is
 * used only to check what is stored.
 */
import assert from 'node:assert/strict';
import { ApiClient, hubApi, type MedicalSubsidyProgram, type SubjectView } from '@pmh/protocol';
import {
  Rng,
  childRecord,
  myNumber,
  recipientNumber,
  CHILD_PROGRAM,
  INTRACTABLE_PROGRAM,
  type Caller,
  type HttpAnswer,
  type World,
} from '../../testkit/src/index.ts';

export const TASKS = '/municipal/v1/medical-subsidy/registration-tasks';
export const programPath = (id: string) => `/municipal/v1/medical-subsidy/programs/${encodeURIComponent(id)}`;
export const subjectPath = (key: string, query = '') => `/municipal/v1/subjects/${encodeURIComponent(key)}${query}`;
export const taskPath = (id: string) => `/municipal/v1/registration-tasks/${id}`;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** ASCII digits → full-width digits (０-９), as municipal exports often write them. */
export function fullWidthDigits(s: string): string {
  return s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
}

/** Full-width digits → ASCII. */
export function halfWidthDigits(s: string): string {
  return s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** The same 12 digits with the check digit changed: a number that fails the check. */
export function withWrongCheckDigit(n: string): string {
  const last = Number(n[n.length - 1]);
  return n.slice(0, -1) + String((last + 1) % 10);
}

/**
 * The hub's API as `caller` (anonymous when null), through the contract's endpoints (protocol
 * `hubApi`): what the tests expect to succeed is called typed, so a renamed field fails the type
 * check here as on the hub. What they send wrong on purpose goes through `w.call`, raw.
 */
export function hubAs(w: World, caller: Caller | null): ApiClient {
  return new ApiClient(w.hubUrl, { authorization: async () => (caller ? w.authorization(caller) : undefined) });
}

/** A programme as the fixtures write it: its id beside the body of `PUT programs/{id}`. */
type ProgramFixture = MedicalSubsidyProgram & { certificateTypeId: string };

/** Defines a programme (PUT) and checks it was accepted. */
export async function defineProgram(w: World, caller: Caller, program: ProgramFixture = CHILD_PROGRAM) {
  const { certificateTypeId, ...body } = program;
  const answer = await hubAs(w, caller).call(hubApi.municipal.putProgram, { params: { orgSpecificCertificateTypeId: certificateTypeId }, body });
  assert.ok(answer.status === 201 || answer.status === 200, `programme ${certificateTypeId}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

/** One subject as `caller` sees it (typed); it must exist. */
export function subjectOf(w: World, caller: Caller, key: string, municipalityCode?: string): Promise<SubjectView> {
  return hubAs(w, caller).ok(hubApi.municipal.getSubject, { params: { municipalityIdentityKey: key }, query: municipalityCode ? { municipalityCode } : {} });
}

/**
 * Makes the records of one test file: distinct municipalityIdentityKeys (prefix + counter) and
 * a note of every My Number that went into a record, so the file can check at its end that none
 * of them reached a log line.
 */
export class Records {
  readonly myNumbers = new Set<string>();
  private readonly rng: Rng;
  private n = 0;

  constructor(
    seed: number,
    private readonly prefix: string,
  ) {
    this.rng = new Rng(seed);
  }

  /** A fresh municipalityIdentityKey (宛名番号) unused in this file. */
  key(): string {
    this.n += 1;
    return `${this.prefix}${String(this.n).padStart(5, '0')}`;
  }

  /** A fresh valid My Number, noted. */
  myNumber(): string {
    return this.note(myNumber(this.rng));
  }

  /** A valid national recipient number (7 digits with check digit). */
  recipientNumber(): string {
    return recipientNumber(this.rng);
  }

  /** Notes a My Number (in any width) used in a request. */
  note(n: string): string {
    this.myNumbers.add(halfWidthDigits(n).trim());
    return n;
  }

  /** A valid 子ども医療費助成 record (CHILD_PROGRAM) with a fresh key; `overrides` replace fields. */
  child(overrides: Record<string, unknown> = {}): Record<string, any> {
    const r = childRecord(this.rng, { municipalityIdentityKey: this.key(), ...overrides });
    if (typeof r.myNumber === 'string') this.note(r.myNumber);
    return r;
  }

  /** A valid 指定難病 record (INTRACTABLE_PROGRAM, national: 7-digit recipient number with check digit). */
  intractable(overrides: Record<string, unknown> = {}): Record<string, any> {
    return this.child({
      orgSpecificCertificateTypeId: INTRACTABLE_PROGRAM.certificateTypeId,
      certificationName: INTRACTABLE_PROGRAM.certificationName,
      medicalSubsidyInsurerNumber: INTRACTABLE_PROGRAM.medicalSubsidyInsurerNumber,
      medicalSubsidyRecipientNumber: recipientNumber(this.rng),
      additionalConditions: [],
      certificationDetail: [],
      ...overrides,
    });
  }

  /** The same person (My Number, key, basic information) with another certificate's fields. */
  samePerson(of: Record<string, any>, overrides: Record<string, unknown> = {}): Record<string, any> {
    return {
      ...of,
      myNumber: of.myNumber,
      municipalityIdentityKey: of.municipalityIdentityKey,
      basicFiveInfo: { ...of.basicFiveInfo },
      ...overrides,
    };
  }
}

/** Checks an error answer: RFC 9457 problem+json, the status, no stack trace, optionally a field named. */
export function assertProblem(res: HttpAnswer, status: number, pointer?: string): void {
  assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${res.text}`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/, res.text);
  assert.equal(typeof res.body, 'object', res.text);
  assert.equal(res.body.status, status);
  assert.equal(typeof res.body.type, 'string');
  assert.equal(typeof res.body.title, 'string');
  assertNoStackTrace(res.text);
  if (pointer !== undefined) {
    const pointers = (res.body.errors ?? []).map((e: { pointer: string }) => e.pointer);
    assert.ok(pointers.includes(pointer), `expected an error at ${JSON.stringify(pointer)}, got ${JSON.stringify(pointers)}`);
    for (const e of res.body.errors) assert.equal(typeof e.message, 'string');
  }
}

export function assertNoStackTrace(text: string): void {
  assert.doesNotMatch(text, /\n\s+at |\bat [^ ]+ \(|\.ts:\d+|\.js:\d+|node_modules|SyntaxError|TypeError|ReferenceError/, `a stack trace leaked: ${text}`);
}

/** The result of record `index` in a task view. */
export function resultOf(task: any, index: number): { index: number; outcome: string; errors?: Array<{ pointer: string; message: string }> } {
  const r = task.results.find((x: { index: number }) => x.index === index);
  assert.ok(r, `no result for record ${index}: ${JSON.stringify(task.results)}`);
  return r;
}

/** Record `index` succeeded with `outcome`, and carries no errors. */
export function assertOutcome(task: any, index: number, outcome: string): void {
  const r = resultOf(task, index);
  assert.equal(r.outcome, outcome, `record ${index}: ${JSON.stringify(r)}`);
  assert.equal(r.errors, undefined, `record ${index} has errors: ${JSON.stringify(r.errors)}`);
}

/** Record `index` failed, and an error names `pointer` (e.g. `/3/myNumber`). */
export function assertFailedAt(task: any, index: number, pointer: string): void {
  const r = resultOf(task, index);
  assert.equal(r.outcome, 'failed', `record ${index} should fail at ${pointer}: ${JSON.stringify(r)}`);
  const pointers = (r.errors ?? []).map((e) => e.pointer);
  assert.ok(pointers.includes(pointer), `record ${index}: expected an error at ${pointer}, got ${JSON.stringify(r.errors)}`);
  for (const e of r.errors ?? []) {
    assert.ok(e.pointer.startsWith(`/${index}`), `error pointer ${e.pointer} is not inside record ${index}`);
    assert.equal(typeof e.message, 'string');
    assert.ok(e.message.length > 0);
  }
}

/** GET subject as `caller`; the answer. */
export function getSubject(w: World, caller: Caller | null, key: string, query = ''): Promise<HttpAnswer> {
  return w.call(caller, 'GET', subjectPath(key, query));
}

/** No log line holds any of `myNumbers`, in half- or full-width digits; and no request ended in a 500. */
export function assertLogsClean(w: World, myNumbers: Iterable<string>): void {
  const text = w.logs.text();
  assert.ok(w.logs.lines.length > 0, 'the log capture saw nothing: the check would prove nothing');
  let checked = 0;
  for (const n of myNumbers) {
    const half = halfWidthDigits(n);
    assert.equal(text.includes(half), false, 'a My Number appears in a log line');
    assert.equal(text.includes(fullWidthDigits(half)), false, 'a My Number (full-width) appears in a log line');
    checked += 1;
  }
  assert.ok(checked > 0);
  const failures = w.logs.lines.filter((l) => /"statusCode":5\d\d/.test(l));
  assert.deepEqual(failures, [], 'a request ended in a server error');
}
