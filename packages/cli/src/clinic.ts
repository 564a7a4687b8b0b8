import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { buildClinic } from '@pmh/clinic';
import { servePages, webDist } from '@pmh/core/http/pages';
import { DEFAULT_PORTS, serviceSettings } from './config.ts';

export interface RunningClinic {
  url: string;
  institutionCode: string;
  name: string;
  close(): Promise<void>;
}

/**
 * Starts the demo medical institution's system (医療機関システム) on PMH_CLINIC_PORT: the clinic
 * named by PMH_CLINIC_INSTITUTION_CODE in `demo/clinics.json`, or the first one. It holds no data.
 */
export async function startClinic(dataDir: string, logger: Logger, env = process.env): Promise<RunningClinic> {
  const file = path.join(dataDir, 'demo', 'clinics.json');
  if (!fs.existsSync(file)) throw new Error(`no demo clinics at ${file}; run pmh start on an empty data dir to seed them`);
  const clinics = JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ institutionCode: string; name: string; clientId: string; privateJwk: any }>;
  const wanted = env.PMH_CLINIC_INSTITUTION_CODE;
  const c = wanted ? clinics.find((x) => x.institutionCode === wanted) : clinics[0];
  if (!c) throw new Error(`no demo clinic ${wanted}; known: ${clinics.map((x) => x.institutionCode).join(', ')}`);
  const port = Number(env.PMH_CLINIC_PORT ?? DEFAULT_PORTS.clinic);
  const clinic = await buildClinic({
    institutionCode: c.institutionCode,
    name: c.name,
    clientId: c.clientId,
    privateJwk: c.privateJwk,
    oqsUrl: serviceSettings('oqs', env).publicUrl,
    portalUrl: serviceSettings('portal', env).publicUrl,
    logger,
    cardsFile: path.join(dataDir, 'demo', 'cards.json'),
    pages: (app) => servePages(app, { root: webDist('clinic') }),
  });
  try {
    await clinic.app.listen({ port, host: '127.0.0.1' });
  } catch (e) {
    await clinic.close();
    throw e;
  }
  const addr = clinic.app.server.address() as { port: number };
  return { url: `http://127.0.0.1:${addr.port}`, institutionCode: c.institutionCode, name: c.name, close: () => clinic.close() };
}
