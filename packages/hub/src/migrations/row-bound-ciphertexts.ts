import { resealFirstFormat } from '@pmh/core/crypto/index';
import type { DataMigration } from '@pmh/core/service';
import { MY_NUMBER_CONTEXT, myNumberAt } from '../store/medical-subsidy.ts';
import { chunkPayloadAt } from '../store/tasks.ts';
import { privateKeyAt } from '../federation/key-ring.ts';

/**
 * Binds every ciphertext the hub made before ciphertexts named their row to its row: subjects' My
 * Numbers (to the subject's id), linkage-key private keys (to their kid) and the records of
 * registration chunks not applied yet (to task and chunk). Re-encrypted once, at the first start
 * after the upgrade; from then on only the row-bound form is read, so a first-form ciphertext
 * copied into another row after the upgrade opens nowhere.
 */
export const rowBoundCiphertexts: DataMigration = {
  name: 'hub-data-001-row-bound-ciphertexts',
  async up(trx, base) {
    const done = [
      await resealFirstFormat(trx, base.cipher, {
        table: 'subjects',
        column: 'my_number_enc',
        key: [{ column: 'id', type: 'uuid' }],
        legacyContext: () => MY_NUMBER_CONTEXT,
        at: ([id]) => myNumberAt(id),
      }),
      await resealFirstFormat(trx, base.cipher, {
        table: 'encryption_keys',
        column: 'private_jwk_enc',
        key: [{ column: 'kid', type: 'text' }],
        legacyContext: () => 'encryption_keys.private_jwk',
        at: ([kid]) => privateKeyAt(kid),
      }),
      await resealFirstFormat(trx, base.cipher, {
        table: 'registration_task_chunks',
        column: 'payload',
        key: [
          { column: 'task_id', type: 'uuid' },
          { column: 'chunk_no', type: 'integer' },
        ],
        legacyContext: ([taskId, chunkNo]) => `registration_task_chunks:${taskId}:${chunkNo}`,
        at: ([taskId, chunkNo]) => chunkPayloadAt(taskId, Number(chunkNo)),
      }),
    ];
    const unopenable = done.reduce((n, d) => n + d.unopenable, 0);
    if (unopenable) base.log.error({ unopenable }, 'ciphertexts that do not open were left as they are: they will be refused where used');
  },
};
