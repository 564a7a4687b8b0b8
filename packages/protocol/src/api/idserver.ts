import { errorResponses } from '../common.ts';
import { endpoint } from '../contract.ts';
import { IssueRequest, IssueResponse, LinkageImport, LinkageImportAnswer } from '../federation.ts';

/**
 * The ID server's API (医療保険者等向け中間サーバー), as its callers and the ID server itself both
 * read it: one endpoint object per route (see contract.ts).
 */
export const idserverApi = {
  /** The hub asks for PMH-IDs (seed ②). */
  issuePmhIds: endpoint({
    method: 'POST',
    path: '/idserver/v1/pmh-ids/issue',
    callers: ['hub'],
    tags: ['hub'],
    summary: 'Issue PMH-IDs for up to 1,000 people (idempotent per person)',
    description:
      'Answers one result per request, in request order: the PMH-ID, or an error (`invalid-my-number` when the ' +
      'check digit fails; such a request does not fail the batch). The same My Number always gets the same ' +
      'PMH-ID, within a batch, across batches and under concurrent calls. A new PMH-ID is random (128 bits), ' +
      'never derived from the My Number. When the person is known with a 紐付番号, the new link is sent to OQS.',
    body: IssueRequest,
    responses: { 200: IssueResponse, ...errorResponses },
  }),

  /** An operator imports insurers' enrolments: My Number ↔ 紐付番号. */
  importLinkageNumbers: endpoint({
    method: 'POST',
    path: '/idserver/v1/linkage-numbers',
    callers: ['admin'],
    tags: ['operators'],
    summary: "Import 紐付番号 (linkage numbers) from insurers' enrolments, up to 10,000 per call",
    description:
      'Entries apply as if one by one, in order. Each is `imported` (the person is new, or had no 紐付番号), ' +
      '`unchanged` (already held), a conflict, or rejected. A 紐付番号 once set is never replaced. A person who already holds a PMH-ID and gets a 紐付番号 now ' +
      'is linked at OQS (`linksQueued`). Every entry is accounted for: imported + unchanged + conflicts + rejected = entries.',
    body: LinkageImport,
    responses: { 200: LinkageImportAnswer, ...errorResponses },
  }),
} as const;
