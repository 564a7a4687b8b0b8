/**
 * The eligibility benchmark's baseline: a bare Fastify route doing one primary-key select on the
 * hub's database, with the hub's pool size. Run as its own process so it gets a core like the hub.
 * Env: DATABASE_URL, PORT. Prints `{"event":"ready","url":…}` when listening.
 */
import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const app = Fastify({ logger: false });
app.post<{ Body: { id: string } }>('/baseline', async (req) => {
  const { rows } = await pool.query('select id, municipality_code from subjects where id = $1', [req.body.id]);
  return { found: rows.length };
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write(JSON.stringify({ event: 'ready', url: `http://127.0.0.1:${process.env.PORT}` }) + '\n');
process.once('SIGTERM', async () => {
  await app.close();
  await pool.end();
  process.exit(0);
});
