import { clinicApi, hubApi, idserverApi, oqsApi, portalApi, type Endpoint } from '@pmh/protocol';

/**
 * Every write endpoint of every service, read from the contract objects the services serve from
 * (packages/protocol/src/api): POST, PUT, PATCH and DELETE. A route added to the contract is fuzzed
 * without anyone adding it to a list.
 */
export type FuzzService = 'hub' | 'idserver' | 'oqs' | 'portal' | 'clinic';

export interface WriteEndpoint {
  service: FuzzService;
  /** `<service>.<surface.>name` in the contract, e.g. `hub.municipal.putProgram`. */
  name: string;
  endpoint: Endpoint;
}

const CONTRACTS: Record<FuzzService, Record<string, unknown>> = {
  hub: hubApi,
  idserver: idserverApi,
  oqs: oqsApi,
  portal: portalApi,
  clinic: clinicApi,
};

const isEndpoint = (v: unknown): v is Endpoint =>
  typeof v === 'object' && v !== null && typeof (v as Endpoint).method === 'string' && typeof (v as Endpoint).path === 'string' && 'responses' in v;

function walk(service: FuzzService, prefix: string, o: Record<string, unknown>, out: WriteEndpoint[]): void {
  for (const [k, v] of Object.entries(o)) {
    if (isEndpoint(v)) {
      if (v.method !== 'GET') out.push({ service, name: `${prefix}${k}`, endpoint: v });
    } else if (typeof v === 'object' && v !== null) walk(service, `${prefix}${k}.`, v as Record<string, unknown>, out);
  }
}

export function writeEndpoints(): WriteEndpoint[] {
  const out: WriteEndpoint[] = [];
  for (const [service, contract] of Object.entries(CONTRACTS) as Array<[FuzzService, Record<string, unknown>]>) walk(service, `${service}.`, contract, out);
  // The same endpoint object reachable twice (a surface and the whole) is one endpoint.
  const seen = new Set<Endpoint>();
  return out.filter((e) => !seen.has(e.endpoint) && seen.add(e.endpoint));
}
