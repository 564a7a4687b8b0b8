import { Type, type Static } from 'typebox';
import { errorResponses } from '../common.ts';
import { endpoint } from '../contract.ts';
import { Key } from '../text.ts';

// --- Operators (`/admin/v1/…`, role admin), on every service: what `pmh status` and `pmh retry` call ---

export const PipelineStatus = Type.Object({
  name: Type.String(),
  pending: Type.Integer({ description: 'Waiting for their first delivery.' }),
  retrying: Type.Integer({ description: 'Failed before, waiting for their next attempt.' }),
  dead: Type.Integer({ description: 'Given up (refused for good, or out of attempts) until an operator retries them.' }),
  inFlight: Type.Integer({
    description: 'Of the pending and retrying: leased by this process, being delivered or with their outcome waiting for the database.',
  }),
  stuck: Type.Integer({
    description: 'Of the pending and retrying: leased, but by no delivery of this process (a process that stopped left them). `pmh retry` frees them.',
  }),
  oldestAgeSeconds: Type.Union([Type.Integer(), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  countedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], {
    description: 'When the counts were read: earlier than now while the database is unreachable.',
  }),
});

export const DatabaseStatus = Type.Object({
  ready: Type.Boolean({ description: 'Reached and migrated since this process started.' }),
  reachable: Type.Boolean(),
  since: Type.String({ format: 'date-time', description: 'When it was last found reachable, or unreachable.' }),
  lastError: Type.Union([Type.String(), Type.Null()], { description: "The last connection error: its code and the driver's words." }),
  lastErrorAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  outages: Type.Integer({ description: 'Outages seen since this process started.' }),
});

export const ServiceStatus = Type.Object({ service: Type.String(), database: DatabaseStatus, pipelines: Type.Array(PipelineStatus) });
export type ServiceStatus = Static<typeof ServiceStatus>;

export const RetryQuery = Type.Object(
  { pipeline: Type.Optional(Key({ maxLength: 100, description: 'one pipeline (outbox kind) only' })) },
  { additionalProperties: false },
);
export const RetryResult = Type.Object({ service: Type.String(), redriven: Type.Integer() });

export const operatorApi = {
  status: endpoint({
    method: 'GET',
    path: '/admin/v1/status',
    callers: ['admin'],
    tags: ['operators'],
    summary:
      "The database as this process sees it, and each pipeline's backlog: pending, retrying, given-up, in-flight and stuck deliveries, the oldest's age and the last error",
    description: 'Answers while the database is unreachable too: then the counts are the last read (`countedAt`), and `inFlight` is what this process holds.',
    responses: { 200: ServiceStatus, ...errorResponses },
  }),
  retry: endpoint({
    method: 'POST',
    path: '/admin/v1/retry',
    callers: ['admin'],
    tags: ['operators'],
    summary: 'Re-drive failed deliveries now, and free stuck leases',
    description: '404 `not-found` when this service has no pipeline by the name given.',
    querystring: RetryQuery,
    responses: { 200: RetryResult, ...errorResponses },
  }),
} as const;
