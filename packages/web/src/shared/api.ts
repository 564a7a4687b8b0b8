/** The JSON APIs of the service that serves the page (same origin: the session cookie goes along). */

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
}

/** An answer that is not 2xx, with the problem's code (`urn:pmh:problem:<code>`), or `network` when nothing answered. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly problem?: Problem,
  ) {
    super(problem?.detail ?? `HTTP ${status}`);
  }
}

function problemCode(p: Problem | undefined, status: number): string {
  if (p?.code) return p.code;
  if (p?.type?.startsWith('urn:pmh:problem:')) return p.type.slice('urn:pmh:problem:'.length);
  return `http-${status}`;
}

export async function api<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network');
  }
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) throw new ApiError(res.status, problemCode(parsed as Problem | undefined, res.status), parsed as Problem | undefined);
  return parsed as T;
}
