import type { Database } from '@pmh/core/db/index';
import type { FieldCipher } from '@pmh/core/crypto/index';
import type { OfficerRole } from '@pmh/protocol';
import { HubStore } from './store/index.ts';
import { hashPassword, newTotpSecret } from './domain/console/officers.ts';

export interface NewConsoleOfficer {
  municipalityCode: string;
  loginId: string;
  password: string;
  role: OfficerRole;
  /** base32; a new one when absent */
  totpSecret?: string;
}

/**
 * Adds a console officer directly in the hub's database (a municipality's first 管理 officer, the
 * demo's officers, tests), in the municipality's scope. Later officers are added by a 管理 officer
 * through `POST /console/v1/officers`. Answers the TOTP secret; false-y `created` when the id was taken.
 */
export async function addOfficer(db: Database['db'], cipher: FieldCipher, o: NewConsoleOfficer): Promise<{ created: boolean; totpSecret: string }> {
  const totpSecret = o.totpSecret ?? newTotpSecret();
  const passwordHash = await hashPassword(o.password);
  const created = await new HubStore(db, cipher)
    .municipality(o.municipalityCode)
    .run((repo) => repo.officers.insert({ loginId: o.loginId, role: o.role, passwordHash, totpSecret }));
  return { created, totpSecret };
}
