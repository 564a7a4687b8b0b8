import { resealFirstFormat } from '@pmh/core/crypto/index';
import type { DataMigration } from '@pmh/core/service';
import { MY_NUMBER_CONTEXT, myNumberAt } from '../store/persons.ts';

/**
 * Binds the My Number ciphertexts made before ciphertexts named their row to their person's row
 * (its blind index). Re-encrypted once, at the first start after the upgrade; from then on only
 * the row-bound form is read.
 */
export const rowBoundCiphertexts: DataMigration = {
  name: 'idserver-data-001-row-bound-ciphertexts',
  async up(trx, base) {
    const { unopenable } = await resealFirstFormat(trx, base.cipher, {
      table: 'persons',
      column: 'my_number_enc',
      key: [{ column: 'my_number_bidx', type: 'text' }],
      legacyContext: () => MY_NUMBER_CONTEXT,
      at: ([bidx]) => myNumberAt(bidx),
    });
    if (unopenable) base.log.error({ unopenable }, 'ciphertexts that do not open were left as they are');
  },
};
