import { hubApi } from '@pmh/protocol';
import type { Surface } from '@pmh/core/http/serve';
import type { MunicipalDeps } from './index.ts';
import { serveRegistrationTasks } from './registration.ts';

/**
 * The municipality's maternal and child health (seed C①): `POST /municipal/v1/maternal-child/registration-tasks`,
 * a task of the same machinery as the other registrations, reported by GET registration-tasks/{taskId}.
 */
export function maternalChildRoutes(s: Surface, deps: MunicipalDeps): void {
  serveRegistrationTasks(s, deps, hubApi.municipal.registerMaternalChild, 'maternal-child');
}
