/**
 * The hub's inside, as its rules say (the layout every service copies): all SQL in store/, the
 * municipal routes without any unscoped door, domain/ without I/O. Read from the source, so a file
 * that breaks a rule fails here before it is copied.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.join(import.meta.dirname, '..', 'src');

function filesUnder(dir: string): Array<{ file: string; text: string }> {
  return fs
    .readdirSync(path.join(SRC, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => ({ file: path.join(dir, f), text: fs.readFileSync(path.join(SRC, dir, f), 'utf8') }));
}

const imports = (text: string) => [...text.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]);

describe('hub: the inside every service copies', () => {
  it('SQL only in store/ (and the migrations): nothing else imports kysely or writes a sql template', () => {
    const outside = ['routes', 'federation', 'worker', 'domain'].flatMap(filesUnder);
    outside.push({ file: 'app.ts', text: fs.readFileSync(path.join(SRC, 'app.ts'), 'utf8') });
    assert.ok(outside.length > 20);
    for (const { file, text } of outside) {
      assert.equal(
        imports(text).some((m) => m === 'kysely'),
        false,
        `${file} imports kysely`,
      );
      assert.doesNotMatch(text, /\bsql`|\.selectFrom\(|\.insertInto\(|\.updateTable\(|\.deleteFrom\(/, `${file} holds SQL`);
    }
  });

  it('the municipal routes reach data only through the scope of the request: no system door, no row-level security of their own', () => {
    const municipal = filesUnder('routes/municipal');
    assert.ok(municipal.length >= 5);
    for (const { file, text } of municipal) {
      assert.doesNotMatch(text, /\.system\b|SystemStore|SystemRepository|inMunicipality|enterMunicipality|leaveMunicipality/, `${file} reaches past its scope`);
      for (const m of imports(text))
        assert.ok(!/store\/(?!index\.ts$|programs\.ts$|subjects\.ts$|tasks\.ts$|notifications\.ts$)/.test(m), `${file} imports ${m}`);
    }
    // Only the surface's plugin holds the store, to give each request its scope.
    const holders = municipal.filter(({ text }) => /\bstore\b/.test(text.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, '')) && /store\.municipality\(/.test(text));
    assert.deepEqual(
      holders.map((h) => h.file),
      [path.join('routes/municipal', 'index.ts')],
    );
  });

  it('domain/ decides without I/O: no store, routes, federation or worker, no database, HTTP or file system', () => {
    for (const { file, text } of filesUnder('domain'))
      for (const m of imports(text))
        assert.doesNotMatch(
          m,
          /\/(store|routes|federation|worker)\/|^kysely$|^pg$|^fastify|^node:(fs|net|http|https|child_process)|@pmh\/core\/(db|service|outbox|audit|auth)/,
          `${file} imports ${m}`,
        );
  });
});
