import { sqlMigration } from '@pmh/core/db/index';

/**
 * `medical_institutions`: the names of medical institutions by 医療機関コード, as the operator loads
 * them (`POST /admin/v1/medical-institutions`), so a resident's access log says 千代田こどもクリニック
 * rather than a 10-digit code. National reference data, not one municipality's: no row-level security.
 */
export const institutionNamesMigration = sqlMigration(
  'hub-017-medical-institution-names',
  `
  create table medical_institutions (
    /** 医療機関コード, 10 digits */
    institution_code text primary key,
    name text not null,
    updated_at timestamptz not null default now()
  );`,
);
