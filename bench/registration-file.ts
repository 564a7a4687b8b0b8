/**
 * A registration file through `POST /municipal/v1/medical-subsidy/registration-files`: N rows
 * (default 100,000; PMH_BENCH_FILE_ROWS=1000000 for the national-scale file) of Shift_JIS CSV with
 * Japanese headings, 和暦 dates and full-width digits, streamed from disk to a hub running as its own
 * process on PostgreSQL, timed from the first byte until the task is applied; beside it, in the same
 * run and the same hub, the same number of other records as JSON tasks (10,000 each) — the baseline.
 * Reports rows/s of each and their ratio, and the hub's RSS: before the upload and its peak (VmHWM
 * reset before posting) while the file is read and applied.
 *
 *   node --import tsx bench/registration-file.ts        (PMH_BENCH_FILE_ROWS=20000 for a quick run)
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { freshDatabase } from '@pmh/core/db/index';
import { generateClientKey, TokenClient } from '@pmh/core/auth/index';
import { toJapaneseEraDate } from '@pmh/core/text/japanese';
import { hubMigrations } from '@pmh/hub/migrations/index';
import { ApiClient, JsonBody, hubApi, type MedicalSubsidyRecord } from '@pmh/protocol';
import { Rng, childMedicalRecord, CHILD_PROGRAM } from '@pmh/testkit/fixtures';
import { currentRss, freePort, int, log, mb, peakRss, perSec, rate, resetPeakRss, secs, sleep, spawnService, stop, table, tempDir } from './lib.ts';

const CODE = '131016';
const ROWS = Number(process.env.PMH_BENCH_FILE_ROWS ?? 100_000);
const ADMIN_URL = process.env.PMH_BENCH_DATABASE_URL ?? process.env.PMH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const HEADINGS = [
  '機関別受給者証種別ID',
  '個人番号',
  '宛名番号',
  '氏名',
  '氏名カナ',
  '生年月日',
  '性別',
  '不開示フラグ',
  '受給者証名',
  '公費負担者番号',
  '公費受給者番号',
  '常に償還払い',
  '月額上限額',
  '有効期間開始日',
  '有効期間終了日',
  '履歴キー',
  '削除フラグ',
];
const fullWidth = (s: string) => s.replace(/[0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** Unique records (keys and My Numbers), as the municipality's system holds them. */
function* records(prefix: string, n: number, rng: Rng, seen: Set<string>): Generator<MedicalSubsidyRecord> {
  for (let i = 0; i < n; i++) {
    let r: MedicalSubsidyRecord;
    do r = childMedicalRecord(rng, { municipalityIdentityKey: `${prefix}${String(i).padStart(9, '0')}` });
    while (seen.has(r.myNumber));
    seen.add(r.myNumber);
    yield r;
  }
}

/** The file on disk, written in Shift_JIS a row at a time (it is never whole in memory here either). */
function writeFile(file: string, rng: Rng, seen: Set<string>): number {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, iconv.encode(`${HEADINGS.join(',')}\r\n`, 'cp932'));
  let lines: string[] = [];
  const flush = () => {
    fs.writeSync(fd, iconv.encode(lines.join(''), 'cp932'));
    lines = [];
  };
  for (const r of records('F', ROWS, rng, seen)) {
    const b = r.basicFiveInfo;
    lines.push(
      `${[
        r.orgSpecificCertificateTypeId,
        fullWidth(r.myNumber),
        r.municipalityIdentityKey,
        b.name,
        b.nameKana ?? '',
        toJapaneseEraDate(b.dateOfBirth),
        b.sex,
        '0',
        r.certificationName,
        r.medicalSubsidyInsurerNumber,
        fullWidth(r.medicalSubsidyRecipientNumber ?? ''),
        '0',
        '0',
        toJapaneseEraDate(r.validFrom),
        toJapaneseEraDate(r.validTo),
        r.historyKey,
        '0',
      ].join(',')}\r\n`,
    );
    if (lines.length === 5000) flush();
  }
  flush();
  fs.closeSync(fd);
  return fs.statSync(file).size;
}

async function waitDone(api: ApiClient, taskId: string): Promise<{ succeeded: number; failed: number }> {
  for (;;) {
    const t = await api.call(hubApi.municipal.getTask, { params: { taskId } });
    if (t.status !== 200) throw new Error(`GET task answered ${t.status}`);
    if (t.body.status === 'done' || t.body.status === 'failed') return t.body;
    await sleep(200);
  }
}

const dir = tempDir('pmh-bench-file-');
const rng = new Rng(20261202);
const seen = new Set<string>();
const file = path.join(dir, 'recipients.csv');
const bytes = writeFile(file, rng, seen);
log(`file: ${int(ROWS)} rows, ${mb(bytes)} of Shift_JIS CSV`);

const db = await freshDatabase('hub', hubMigrations, { adminUrl: ADMIN_URL });
const key = await generateClientKey();
const clientsFile = path.join(dir, 'clients.json');
fs.writeFileSync(clientsFile, JSON.stringify([{ clientId: 'bench', role: `municipality:${CODE}`, jwks: { keys: [key.publicJwk] } }]));
const port = await freePort();
const hub = await spawnService(['serve', 'hub', '--port', String(port), '--clients', clientsFile], {
  PMH_DATA_DIR: dir,
  PMH_HUB_DATABASE_URL: db.options.url!,
  DATABASE_URL: undefined,
  PMH_HUB_PUBLIC_URL: `http://127.0.0.1:${port}`,
  PMH_LOG_LEVEL: 'warn',
});
try {
  const auth = await new TokenClient({ baseUrl: hub.url, clientId: 'bench', privateJwk: key.privateJwk }).authorization();
  const api = new ApiClient(hub.url, { authorization: async () => auth, timeoutMs: 1_800_000 });
  const { certificateTypeId, ...program } = CHILD_PROGRAM;
  await api.call(hubApi.municipal.putProgram, { params: { orgSpecificCertificateTypeId: certificateTypeId }, body: program });

  const before = currentRss(hub.pid);
  resetPeakRss(hub.pid);
  let t0 = performance.now();
  const res = await fetch(`${hub.url}/municipal/v1/medical-subsidy/registration-files`, {
    method: 'POST',
    headers: { authorization: auth, 'content-type': 'text/csv; charset=Shift_JIS' },
    body: Readable.toWeb(fs.createReadStream(file, { highWaterMark: 256 * 1024 })) as ReadableStream,
    duplex: 'half',
  } as RequestInit);
  const accepted = (await res.json()) as { taskId: string; total: number };
  if (res.status !== 202) throw new Error(`the file answered ${res.status}: ${JSON.stringify(accepted).slice(0, 800)}`);
  const acceptMs = performance.now() - t0;
  const fileDone = await waitDone(api, accepted.taskId);
  const fileMs = performance.now() - t0;
  const filePeak = peakRss(hub.pid);
  if (fileDone.succeeded !== ROWS) throw new Error(`file task: ${JSON.stringify(fileDone)}`);

  // The baseline: as many other records as JSON tasks of 10,000, back to back.
  const bodies: JsonBody<MedicalSubsidyRecord[]>[] = [];
  let batch: MedicalSubsidyRecord[] = [];
  for (const r of records('J', ROWS, rng, seen)) {
    batch.push(r);
    if (batch.length === 10_000) {
      bodies.push(JsonBody.of(batch));
      batch = [];
    }
  }
  if (batch.length) bodies.push(JsonBody.of(batch));
  t0 = performance.now();
  const ids: string[] = [];
  for (const body of bodies) {
    const r = await api.call(hubApi.municipal.registerMedicalSubsidy, { body });
    if (r.status !== 202) throw new Error(`JSON task answered ${r.status}`);
    ids.push(r.body.taskId);
  }
  for (const id of ids) await waitDone(api, id);
  const jsonMs = performance.now() - t0;

  console.log(
    table(
      ['path', 'rows', 'accepted in', 'applied in', 'rows/s', 'hub RSS'],
      [
        ['CSV file (Shift_JIS, 和暦)', int(ROWS), secs(acceptMs), secs(fileMs), perSec(rate(ROWS, fileMs)), `${mb(before)} → peak ${mb(filePeak)}`],
        ['JSON tasks (baseline)', int(ROWS), '', secs(jsonMs), perSec(rate(ROWS, jsonMs)), ''],
      ],
    ),
  );
  console.log(
    `file / JSON: ${(rate(ROWS, fileMs) / rate(ROWS, jsonMs)).toFixed(2)}×; RSS growth while reading and applying the file: ${mb((filePeak ?? 0) - (before ?? 0))}`,
  );
} finally {
  await stop(hub);
  await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });
}
