import { createContext, useContext } from 'react';

/**
 * Whom the pages show: the logged-in resident, or a dependant (a child) they act for as guardian
 * (代理人). Every `/me/…` call then carries `?for=<dependantId>`.
 */
export interface ActingFor {
  dependantId: string;
  displayName: string;
}

export interface ActingApi {
  /** Undefined: the resident themself. */
  acting?: ActingFor;
  switchTo(d: ActingFor | undefined): void;
  /** The dependants changed (one was added): the switcher reads them again. */
  refreshDependants(): void;
}

export const Acting = createContext<ActingApi>({ switchTo: () => undefined, refreshDependants: () => undefined });

export const useActing = (): ActingApi => useContext(Acting);

/** The query every `/me/…` call sends: `{ for }` while acting for a dependant. */
export function useForQuery(): { for?: string } {
  const { acting } = useActing();
  return acting ? { for: acting.dependantId } : {};
}

/** Kept for this tab, so a reload stays with the same person. */
export const ACTING_KEY = 'pmh.portal.acting';

export function storedActing(): ActingFor | undefined {
  try {
    const v = JSON.parse(sessionStorage.getItem(ACTING_KEY) ?? 'null') as ActingFor | null;
    return v && typeof v.dependantId === 'string' && typeof v.displayName === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}
