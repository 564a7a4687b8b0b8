/** The console's pages live under /console/ (the hub answers every /console/… path with the page). */
export { navigate, useLinkHandler, usePath } from '../portal/router.ts';

export const BASE = '/console';
