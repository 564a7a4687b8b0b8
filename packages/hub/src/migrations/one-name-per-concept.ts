import { sqlMigration } from '@pmh/core/db/index';

/**
 * One name per concept, from the wire to the column: the published PMH names (公費負担者番号
 * `medicalSubsidyInsurerNumber`, 公費受給者番号 `medicalSubsidyRecipientNumber`, 自己負担上限額
 * `maxCopaymentAmount`, 指定医療機関 `designatedMedicalInstitutions`, 機関別受給者証種別ID
 * `orgSpecificCertificateTypeId`), in snake case. Renames keep the data, the indexes, the grants
 * and the row-level security policies (which name only municipality_code).
 *
 * And the published API (v0.1.1) has no 宛名番号: a subject registered from such a record has
 * none, and is found by My Number (its blind index) or by name — hence the index for the name
 * search of POST /municipal/v1/subjects/search.
 */
export const oneNamePerConcept = sqlMigration(
  'hub-008-one-name-per-concept',
  `
  alter table subsidy_programs rename column certificate_type_id to org_specific_certificate_type_id;
  alter table subsidy_programs rename column insurer_number to medical_subsidy_insurer_number;

  alter table subsidy_certificates rename column certificate_type_id to org_specific_certificate_type_id;
  alter table subsidy_certificates rename column insurer_number to medical_subsidy_insurer_number;
  alter table subsidy_certificates rename column recipient_number to medical_subsidy_recipient_number;
  alter table subsidy_certificates rename column designated_institutions to designated_medical_institutions;
  alter table subsidy_certificates rename column max_copayment to max_copayment_amount;
  -- PostgreSQL cut hub-002's name of this constraint to 63 characters; it gets one a reader can use.
  alter table subsidy_certificates rename constraint subsidy_certificates_subject_id_certificate_type_id_certifi_key to subsidy_certificates_one_version;

  alter table subjects alter column municipality_identity_key drop not null;
  create index subjects_name_kana on subjects (municipality_code, name_kana, date_of_birth) where name_kana is not null;
  `,
);
