import crypto from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import type { FieldCipher } from '@pmh/core/crypto/index';
import type { FieldError } from '@pmh/core/http/problem';
import type { SubjectFacts } from '../domain/medical-subsidy/record.ts';
import { myNumberAt } from './medical-subsidy.ts';
import type { HubTrx, SubjectsTable } from './schema.ts';

/**
 * The subjects a registration chunk may be about, as every process's registration reads and writes
 * them (one person, one subject per municipality): loaded once per chunk, changed in memory while
 * the chunk's records are applied in order, written back in two set-based statements.
 */
export interface SubjectState {
  id: string;
  /** The person: the blind index of the My Number. */
  bidx: string;
  /** 宛名番号; null until a record names one. */
  key: string | null;
  isNew: boolean;
  changed: boolean;
  /** The My Number's ciphertext, for a new subject. */
  enc?: string;
  f: SubjectFacts;
}

const SUBJECT_FIELDS = ['name', 'nameKana', 'address', 'dateOfBirth', 'sex', 'isNotDisclosed'] as const;

export function sameSubject(a: SubjectFacts, b: SubjectFacts): boolean {
  return SUBJECT_FIELDS.every((k) => a[k] === b[k]);
}

type SubjectRow = Pick<
  Selectable<SubjectsTable>,
  'id' | 'municipality_identity_key' | 'my_number_bidx' | 'name' | 'name_kana' | 'address' | 'date_of_birth' | 'sex' | 'is_not_disclosed'
>;

export interface SubjectStates {
  /** By person (blind index): one subject per person in this municipality. */
  byPerson: Map<string, SubjectState>;
  /** By 宛名番号: the subjects that have one. */
  byKey: Map<string, SubjectState>;
}

/** The municipality's subjects under these 宛名番号 or of these persons (blind indexes), in one statement. */
export async function loadSubjectStates(trx: HubTrx, municipalityCode: string, keys: string[], bidxs: string[]): Promise<SubjectStates> {
  const existing = await sql<SubjectRow>`
    select id, municipality_identity_key, my_number_bidx, name, name_kana, address, date_of_birth, sex, is_not_disclosed
    from subjects where municipality_code = ${municipalityCode}
      and (municipality_identity_key = any(${keys}::text[]) or my_number_bidx = any(${bidxs}::text[]))`.execute(trx);
  const byPerson = new Map<string, SubjectState>();
  const byKey = new Map<string, SubjectState>();
  for (const s of existing.rows) {
    const state: SubjectState = {
      id: s.id,
      bidx: s.my_number_bidx,
      key: s.municipality_identity_key,
      isNew: false,
      changed: false,
      f: { name: s.name, nameKana: s.name_kana, address: s.address, dateOfBirth: s.date_of_birth, sex: s.sex, isNotDisclosed: s.is_not_disclosed },
    };
    byPerson.set(state.bidx, state);
    if (state.key !== null) byKey.set(state.key, state);
  }
  return { byPerson, byKey };
}

/** A subject's row as the set-based statements take it (short names: the rows travel as one JSON parameter). */
const subjectRow = (s: SubjectState) => ({
  id: s.id,
  key: s.key,
  name: s.f.name,
  kana: s.f.nameKana,
  address: s.f.address,
  dob: s.f.dateOfBirth,
  sex: s.f.sex,
  nd: s.f.isNotDisclosed,
});

/** Writes the new and the changed subjects: one statement each, the rows as one JSON parameter. */
export async function writeSubjectStates(trx: HubTrx, municipalityCode: string, subjects: Iterable<SubjectState>): Promise<void> {
  const json = (rows: unknown[]) => sql`${JSON.stringify(rows)}::json`;
  const all = [...subjects];
  const newSubjects = all.filter((s) => s.isNew);
  if (newSubjects.length)
    await sql`
      insert into subjects (id, municipality_code, municipality_identity_key, my_number_enc, my_number_bidx,
                            name, name_kana, address, date_of_birth, sex, is_not_disclosed)
      select u.id, ${municipalityCode}, u.key, u.enc, u.bidx, u.name, u.kana, u.address, u.dob, u.sex, u.nd
      from json_to_recordset(${json(newSubjects.map((s) => ({ ...subjectRow(s), enc: s.enc, bidx: s.bidx })))})
        as u(id uuid, key text, enc text, bidx text, name text, kana text, address text, dob date, sex text, nd boolean)`.execute(trx);
  const changedSubjects = all.filter((s) => s.changed);
  if (changedSubjects.length)
    await sql`
      update subjects t set municipality_identity_key = u.key, name = u.name, name_kana = u.kana, address = u.address,
                            date_of_birth = u.dob, sex = u.sex, is_not_disclosed = u.nd, updated_at = now()
      from json_to_recordset(${json(changedSubjects.map(subjectRow))})
        as u(id uuid, key text, name text, kana text, address text, dob date, sex text, nd boolean)
      where t.id = u.id and t.municipality_code = ${municipalityCode}`.execute(trx);
}

/** What a "register" record (modificationSeg "1") says of the person. */
export interface PersonRecord {
  index: number;
  municipalityIdentityKey: string;
  myNumber: string;
  subject: SubjectFacts;
}

/**
 * The stored (or earlier in the chunk) subject a register record is about, or why it may not be
 * applied: its 宛名番号 names another person, or the person already has another 宛名番号 here (one
 * subject per person per municipality). Undefined `existing`: a new subject.
 */
export function findSubject(states: SubjectStates, r: PersonRecord, bidx: string): { errors: FieldError[] } | { existing?: SubjectState } {
  const person = states.byPerson.get(bidx);
  const named = states.byKey.get(r.municipalityIdentityKey);
  if (named && named.bidx !== bidx)
    return { errors: [{ pointer: `/${r.index}/myNumber`, message: 'differs from the My Number already registered under this municipalityIdentityKey' }] };
  if (!named && person && person.key !== null)
    return {
      errors: [
        {
          pointer: `/${r.index}/municipalityIdentityKey`,
          message: `names a new subject, but this person (by My Number) is already registered under municipalityIdentityKey ${JSON.stringify(person.key)}; a person has one subject per municipality`,
        },
      ],
    };
  return { existing: named ?? person };
}

/**
 * Takes a register record's person into the states: a new subject (its My Number sealed to its row),
 * or the existing one given the record's key (when it had none) and facts. Call only once nothing of
 * the record can fail any more.
 */
export function takeSubject(
  states: SubjectStates,
  existing: SubjectState | undefined,
  r: PersonRecord,
  bidx: string,
  cipher: FieldCipher,
): { state: SubjectState; createdSubject: boolean; changed: boolean } {
  if (!existing) {
    const id = crypto.randomUUID();
    const state: SubjectState = {
      id,
      bidx,
      key: r.municipalityIdentityKey,
      isNew: true,
      changed: false,
      enc: cipher.encrypt(r.myNumber, myNumberAt(id)),
      f: r.subject,
    };
    states.byPerson.set(bidx, state);
    states.byKey.set(r.municipalityIdentityKey, state);
    return { state, createdSubject: true, changed: false };
  }
  let changed = false;
  if (existing.key === null) {
    existing.key = r.municipalityIdentityKey;
    states.byKey.set(existing.key, existing);
    if (!existing.isNew) existing.changed = true;
    changed = true;
  }
  if (!sameSubject(existing.f, r.subject)) {
    existing.f = r.subject;
    if (!existing.isNew) existing.changed = true;
    changed = true;
  }
  return { state: existing, createdSubject: false, changed };
}
