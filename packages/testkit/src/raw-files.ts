import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import pg from 'pg';

/**
 * What a disk remembers: searches a database's raw files (heap, index and TOAST files, the
 * write-ahead log) for identifiers, byte for byte, below SQL, where old row versions, deleted
 * rows and WAL records still are after the rows that held them are gone.
 */

/** One way an identifier can lie on disk, and its bytes. */
export interface Encoding {
  name: string;
  bytes: Buffer;
}

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';

function base32Decode(s: string): Buffer {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of s) {
    value = (value << 5) | B32.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/**
 * The base64 characters that depend on `bytes` alone, whatever bytes precede them: for each of the
 * three alignments the run sits at in a longer base64 text.
 */
function base64Runs(bytes: Buffer, url: boolean): string[] {
  const runs: string[] = [];
  for (let a = 0; a < 3; a++) {
    const enc = Buffer.concat([Buffer.alloc(a), bytes]).toString(url ? 'base64url' : 'base64');
    const first = Math.ceil((8 * a) / 6);
    let last = first;
    while (last < enc.length && Math.floor((6 * last + 5) / 8) < a + bytes.length) last++;
    runs.push(enc.slice(first, last));
  }
  return runs;
}

/**
 * The encodings a random identifier like a PMH-ID (`pmh` + 26 base32 characters, 128 bits) could be
 * stored in: as text (its 26 random characters, so a compressed datum that back-references the
 * common prefix is still found), upper-cased, UTF-16, the 16 bytes it encodes, their hex, and the
 * base64 / base64url of the text and of the bytes at every alignment.
 */
export function identifierEncodings(id: string, prefixLength = 3): Encoding[] {
  const tail = id.slice(prefixLength);
  const raw = base32Decode(tail);
  const text = Buffer.from(id, 'utf8');
  const out: Encoding[] = [
    { name: 'text', bytes: Buffer.from(tail, 'utf8') },
    { name: 'upper-case text', bytes: Buffer.from(tail.toUpperCase(), 'utf8') },
    { name: 'UTF-16LE text', bytes: Buffer.from(tail, 'utf16le') },
    { name: 'UTF-16BE text', bytes: Buffer.from(tail, 'utf16le').swap16() },
    { name: '16 bytes', bytes: raw },
    { name: 'hex of the bytes', bytes: Buffer.from(raw.toString('hex'), 'utf8') },
    { name: 'hex of the text', bytes: Buffer.from(Buffer.from(tail).toString('hex'), 'utf8') },
  ];
  for (const url of [false, true]) {
    base64Runs(text, url).forEach((r, a) => out.push({ name: `${url ? 'base64url' : 'base64'} of the text (alignment ${a})`, bytes: Buffer.from(r, 'utf8') }));
    base64Runs(raw, url).forEach((r, a) => out.push({ name: `${url ? 'base64url' : 'base64'} of the bytes (alignment ${a})`, bytes: Buffer.from(r, 'utf8') }));
  }
  return out;
}

export interface Hit {
  file: string;
  /** Byte offset in the file. */
  offset: number;
  identifier: string;
  encoding: string;
  /** For a WAL file: the LSN of the hit, and the database (oid) of the record holding it, when known. */
  lsn?: bigint;
  databaseOid?: number | null;
}

interface Needle {
  identifier: string;
  encoding: string;
  bytes: Buffer;
}

/**
 * Finds every occurrence of every needle in `buf` in one pass: a 4-byte prefix index, then a full
 * compare. Fast enough for hundreds of identifiers over the hundreds of megabytes of a WAL.
 */
function scan(buf: Buffer, needles: Needle[]): Array<{ offset: number; needle: Needle }> {
  const byPrefix = new Map<number, Needle[]>();
  for (const n of needles) {
    if (n.bytes.length < 4) continue;
    const k = n.bytes.readUInt32LE(0);
    const list = byPrefix.get(k);
    if (list) list.push(n);
    else byPrefix.set(k, [n]);
  }
  const found: Array<{ offset: number; needle: Needle }> = [];
  const end = buf.length - 4;
  for (let i = 0; i <= end; i++) {
    const list = byPrefix.get(buf.readUInt32LE(i));
    if (!list) continue;
    for (const n of list)
      if (i + n.bytes.length <= buf.length && buf.compare(n.bytes, 0, n.bytes.length, i, i + n.bytes.length) === 0) found.push({ offset: i, needle: n });
  }
  return found;
}

const WAL_PAGE = 8192;
const WAL_SEGMENT_NAME = /^[0-9A-F]{24}$/;
const XLP_LONG_HEADER = 0x0002;

/**
 * A WAL segment's record bytes without its page headers (24 bytes, 40 on a segment's first page),
 * so a record split across two pages reads as one; `at` maps an offset back into the file.
 */
function walRecordBytes(file: Buffer): { bytes: Buffer; at(offset: number): number } {
  const parts: Buffer[] = [];
  const starts: Array<{ from: number; fileOffset: number }> = [];
  let from = 0;
  for (let p = 0; p < file.length; p += WAL_PAGE) {
    const info = file.length >= p + 4 ? file.readUInt16LE(p + 2) : 0;
    const header = info & XLP_LONG_HEADER ? 40 : 24;
    const body = file.subarray(p + header, Math.min(p + WAL_PAGE, file.length));
    starts.push({ from, fileOffset: p + header });
    parts.push(body);
    from += body.length;
  }
  return {
    bytes: Buffer.concat(parts),
    at(offset) {
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid].from <= offset) lo = mid;
        else hi = mid - 1;
      }
      return starts[lo].fileOffset + (offset - starts[lo].from);
    },
  };
}

export function isWalSegment(file: string): boolean {
  return path.basename(path.dirname(file)) === 'pg_wal' && WAL_SEGMENT_NAME.test(path.basename(file));
}

/**
 * The WAL address of each page of a segment file, from the page's own header (xlp_pageaddr), not
 * from the file's name: a recycled segment is an old one renamed, whose pages past the point the
 * server has written it again still hold the old segment's records, at the old addresses.
 */
function pageAddresses(buf: Buffer, segSize: number): Array<bigint | null> {
  const magic = buf.length >= 2 ? buf.readUInt16LE(0) : 0;
  const out: Array<bigint | null> = [];
  for (let p = 0; p + WAL_PAGE <= buf.length; p += WAL_PAGE) {
    const addr = buf.readBigUInt64LE(p + 8);
    // A page of some segment: the magic of this server's WAL, and an address at this page's place in a segment.
    out.push(buf.readUInt16LE(p) === magic && addr % BigInt(segSize) === BigInt(p) ? addr : null);
  }
  return out;
}

/** Every identifier of `identifiers`, in every encoding, in `files`; WAL segments are read without page headers. */
export function searchFiles(files: string[], identifiers: string[], prefixLength = 3): Hit[] {
  const needles: Needle[] = identifiers.flatMap((identifier) =>
    identifierEncodings(identifier, prefixLength).map((e) => ({ identifier, encoding: e.name, bytes: e.bytes })),
  );
  const hits: Hit[] = [];
  for (const file of files) {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch {
      continue; // removed meanwhile (a recycled WAL segment, a dropped relation)
    }
    if (isWalSegment(file)) {
      const wal = walRecordBytes(buf);
      const pages = pageAddresses(buf, buf.length);
      for (const f of scan(wal.bytes, needles)) {
        const offset = wal.at(f.offset);
        const page = pages[Math.floor(offset / WAL_PAGE)];
        hits.push({
          file,
          offset,
          identifier: f.needle.identifier,
          encoding: f.needle.encoding,
          lsn: page == null ? undefined : page + BigInt(offset % WAL_PAGE),
        });
      }
    } else {
      for (const f of scan(buf, needles)) hits.push({ file, offset: f.offset, identifier: f.needle.identifier, encoding: f.needle.encoding });
    }
  }
  return hits;
}

/**
 * A copy of a WAL directory's segments (those written since `sinceMs`), in `<into>/pg_wal`: the
 * server recycles segments while it runs, so the search and the attribution read one snapshot.
 */
export function snapshotWal(walDir: string, into: string, sinceMs = 0): string[] {
  const dir = path.join(into, 'pg_wal');
  fs.mkdirSync(dir, { recursive: true });
  const out: string[] = [];
  for (const name of fs.readdirSync(walDir).filter((n) => WAL_SEGMENT_NAME.test(n))) {
    try {
      if (fs.statSync(path.join(walDir, name)).mtimeMs < sinceMs) continue;
      fs.copyFileSync(path.join(walDir, name), path.join(dir, name));
      out.push(path.join(dir, name));
    } catch {
      // recycled or removed meanwhile
    }
  }
  return out.sort();
}

/** Every regular file under `dir`. */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
}

/** Where a PostgreSQL database's bytes lie: its own directory (base/<oid>) and the cluster's WAL. */
export interface PostgresFiles {
  dataDirectory: string;
  databaseOid: number;
  /** base/<oid>: every relation of the database (heap, indexes, TOAST, free-space and visibility maps). */
  databaseDir: string;
  walDir: string;
  /** `pg_relation_filepath` of some of its tables, to show they lie in `databaseDir`. */
  relations: Record<string, string>;
}

/**
 * Locates a database's files, after a CHECKPOINT so that its pages are on disk. Needs a superuser
 * connection (`data_directory`) and a process that may read the data directory (root, or the
 * server's own user): null when either is missing.
 */
export async function postgresFiles(url: string, tables: string[]): Promise<PostgresFiles | null> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const su = await c.query<{ rolsuper: boolean }>('select rolsuper from pg_roles where rolname = current_user');
    if (!su.rows[0]?.rolsuper) return null;
    await c.query('checkpoint');
    const dataDirectory = (await c.query<{ d: string }>('select current_setting($1) as d', ['data_directory'])).rows[0].d;
    const databaseOid = Number((await c.query<{ oid: string }>('select oid from pg_database where datname = current_database()')).rows[0].oid);
    const relations: Record<string, string> = {};
    for (const t of tables) relations[t] = (await c.query<{ p: string }>('select pg_relation_filepath($1::regclass) as p', [t])).rows[0].p;
    const databaseDir = path.join(dataDirectory, 'base', String(databaseOid));
    try {
      fs.readdirSync(databaseDir);
    } catch {
      return null;
    }
    return { dataDirectory, databaseOid, databaseDir, walDir: path.join(dataDirectory, 'pg_wal'), relations };
  } finally {
    await c.end();
  }
}

/** pg_waldump of the PostgreSQL that wrote `walDir`, when installed beside it. */
function pgWaldump(): string | null {
  for (const dir of ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin', '/usr/local/pgsql/bin']) {
    const p = path.join(dir, 'pg_waldump');
    if (fs.existsSync(p)) return p;
  }
  return null;
}

/** A stretch of one segment's pages lying in a file (under its own name, or in a recycled one). */
interface WalRun {
  file: string;
  timeline: string;
  segSize: number;
  /** The segment's first address. */
  base: bigint;
  fromPage: number;
  toPage: number;
}

function walRuns(files: string[]): WalRun[] {
  const runs: WalRun[] = [];
  for (const file of files) {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch {
      continue;
    }
    const pages = pageAddresses(buf, buf.length);
    let run: WalRun | undefined;
    pages.forEach((addr, i) => {
      const base = addr === null ? null : addr - BigInt(i * WAL_PAGE);
      if (run && base === run.base && run.toPage === i) run.toPage = i + 1;
      else if (base !== null) runs.push((run = { file, timeline: path.basename(file).slice(0, 8), segSize: buf.length, base, fromPage: i, toPage: i + 1 }));
      else run = undefined;
    });
  }
  return runs;
}

function segmentName(timeline: string, base: bigint, segSize: number): string {
  const segno = base / BigInt(segSize);
  const perXlogId = 0x1_0000_0000n / BigInt(segSize);
  const hex = (n: bigint) => n.toString(16).toUpperCase().padStart(8, '0');
  return timeline + hex(segno / perXlogId) + hex(segno % perXlogId);
}

const lsnText = (lsn: bigint) => `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;

/** The records pg_waldump reads in a run (copied under its segment's own name), with the database of the blocks each touches. */
function recordsOf(tool: string, run: WalRun): Array<{ lsn: bigint; db: number | null }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pmh-wal-'));
  try {
    const copy = path.join(dir, segmentName(run.timeline, run.base, run.segSize));
    try {
      fs.copyFileSync(run.file, copy);
    } catch {
      return [];
    }
    if (run.fromPage > 0) {
      // The reader checks a segment's first page before any other; in a recycled file that page is
      // the new segment's: give its header the old segment's address (xlp_pageaddr, at byte 8).
      const addr = Buffer.alloc(8);
      addr.writeBigUInt64LE(run.base);
      const fd = fs.openSync(copy, 'r+');
      try {
        fs.writeSync(fd, addr, 0, 8, 8);
      } finally {
        fs.closeSync(fd);
      }
    }
    const from = run.base + BigInt(run.fromPage * WAL_PAGE);
    const to = run.base + BigInt(run.toPage * WAL_PAGE);
    const out = spawnSync(tool, ['--path', dir, '--start', lsnText(from), '--end', lsnText(to)], { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout ?? '';
    const records: Array<{ lsn: bigint; db: number | null }> = [];
    for (const line of out.split('\n')) {
      const m = /lsn: ([0-9A-F]+)\/([0-9A-F]+)/.exec(line);
      if (!m) continue;
      const rel = /rel \d+\/(\d+)\/\d+/.exec(line);
      records.push({ lsn: (BigInt('0x' + m[1]) << 32n) + BigInt('0x' + m[2]), db: rel ? Number(rel[1]) : null });
    }
    return records;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Names the database of each WAL hit: the hit lies in the record that starts last at or before it
 * (pg_waldump lists each record's LSN and the relations, `spcOid/dbOid/relNumber`, of its blocks).
 * A WAL is shared by every database of a cluster: only hits in the records of one database count
 * against it. Pages are read at the addresses their headers give (a recycled segment still holds
 * an older segment's records), each stretch decoded with the segment before it, where a record
 * running into it starts. Returns false when pg_waldump is not installed; leaves `databaseOid`
 * null for a hit no record (with a relation) accounts for.
 */
export function attributeWalHits(files: string[], hits: Hit[]): boolean {
  const tool = pgWaldump();
  if (!tool) return false;
  const runs = walRuns(files.filter(isWalSegment));
  const start = (r: WalRun) => r.base + BigInt(r.fromPage * WAL_PAGE);
  const end = (r: WalRun) => r.base + BigInt(r.toPage * WAL_PAGE);
  const decoded = new Map<WalRun, Array<{ lsn: bigint; db: number | null }>>();
  const recordsIn = (r: WalRun) => {
    let recs = decoded.get(r);
    if (!recs) decoded.set(r, (recs = recordsOf(tool, r)));
    return recs;
  };
  for (const h of hits) {
    if (h.lsn === undefined) continue;
    h.databaseOid = null;
    const run = runs.find((r) => h.lsn! >= start(r) && h.lsn! < end(r));
    if (!run) continue;
    // With the run before it, where a record that runs into this one starts.
    const before = runs.find((r) => end(r) === start(run));
    const records = [...(before ? recordsIn(before) : []), ...recordsIn(run)];
    let found: { lsn: bigint; db: number | null } | undefined;
    for (const r of records) if (r.lsn <= h.lsn && (!found || r.lsn > found.lsn)) found = r;
    h.databaseOid = found ? found.db : null;
  }
  return true;
}
