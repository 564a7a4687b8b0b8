import { sqlMigration } from '@pmh/core/db/index';

/**
 * Questionnaires (予診票 B, 問診票 C) a resident fills in beforehand on the portal: one row per
 * questionnaire, held per person (PMH-ID), not per municipality — the person fills it in once, and a
 * clinic anywhere reads it through the portal relay. Not a municipality's data: no row-level security,
 * and no municipal role is granted it.
 *
 * - `template_id`: the template it was drafted from (domain/questionnaires), with what chose it
 *   (`vaccine_code`/`dose_number` or `checkup_kind`/`sequence`).
 * - `status`: draft → submitted → used. A submitted one may still change until it is used; a used one
 *   never changes again (`used_at`, and `used_by`: what used it, e.g. the vaccination record's id).
 * - `answers`: `{ itemId: value }`, checked against the template at every write.
 * - At most one open (draft or submitted) questionnaire per person and template: a second draft for
 *   the same dose is the first one.
 */
export const questionnairesMigration = sqlMigration(
  'hub-010-questionnaires',
  `
  create table questionnaires (
    id uuid primary key,
    pmh_id text not null,
    process text not null check (process in ('vaccination', 'maternal-child')),
    template_id text not null,
    vaccine_code text,
    dose_number integer check (dose_number >= 1),
    checkup_kind text,
    sequence integer check (sequence >= 1),
    status text not null default 'draft' check (status in ('draft', 'submitted', 'used')),
    answers jsonb not null default '{}',
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    submitted_at timestamptz,
    used_at timestamptz,
    used_by text,
    check ((process = 'vaccination') = (vaccine_code is not null and dose_number is not null)),
    check ((process = 'maternal-child') = (checkup_kind is not null))
  );
  create index questionnaires_person on questionnaires (pmh_id, created_at);
  create unique index questionnaires_one_open on questionnaires (pmh_id, template_id) where status <> 'used';
  `,
);
