import { Type, type Static } from 'typebox';
import { Key } from './text.ts';

/**
 * The identifier federation (docs/architecture.md#identifier-flows, steps ②③): messages between hub, ID server,
 * OQS and portal. Identifier formats are ours (the real ones are opaque); each kind has its own
 * prefix so a test can find any of them wherever it might leak.
 */

/** PMH-ID: issued only by the ID server; random (128 bits), never derived from a My Number. */
export const PmhId = Type.String({ maxLength: 29, pattern: '^pmh[a-z2-7]{26}$', description: 'PMH-ID' });
/** 紐付番号 (linkage number): held only by the ID server and OQS. */
export const LinkageNumber = Type.String({ maxLength: 18, pattern: '^LN[A-Z2-7]{16}$', description: '紐付番号 (linkage number)' });
/** 仮名識別子 (portal pseudonym): held only by OQS and the portal. */
export const Pseudonym = Type.String({ maxLength: 28, pattern: '^ps[a-z2-7]{26}$', description: '仮名識別子 (portal pseudonym)' });
/** PMH仮名識別子 (PMH pseudonym): made by the portal, held only by the portal and the hub. */
export const PmhPseudonym = Type.String({ maxLength: 28, pattern: '^pp[a-z2-7]{26}$', description: 'PMH仮名識別子 (PMH pseudonym)' });
/** The serial number of a My Number Card's user certificate (利用者証明用電子証明書). */
export const CardSerial = Type.String({ maxLength: 16, pattern: '^[0-9A-F]{16}$', description: 'card certificate serial' });

export const IDENTIFIER_PATTERNS = {
  pmhId: /pmh[a-z2-7]{26}/g,
  linkageNumber: /LN[A-Z2-7]{16}/g,
  pseudonym: /ps[a-z2-7]{26}/g,
  pmhPseudonym: /pp[a-z2-7]{26}/g,
} as const;

const MyNumber = Type.String({ minLength: 12, maxLength: 12, pattern: '^[0-9]{12}$', description: '個人番号 (My Number)' });
/** A P-256 coordinate, base64url (RFC 7518 §6.2.1.2: 32 octets, 43 characters). */
const Base64urlCoordinate = Type.String({ minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]+$' });

// --- ID server -----------------------------------------------------------------------------

/** POST /idserver/v1/pmh-ids/issue (role hub). */
export const IssueRequest = Type.Object(
  {
    requests: Type.Array(
      Type.Object({ requestId: Key({ description: 'the caller’s reference of this request' }), myNumber: MyNumber }, { additionalProperties: false }),
      { minItems: 1, maxItems: 1000 },
    ),
  },
  { additionalProperties: false },
);
export type IssueRequest = Static<typeof IssueRequest>;

export const IssueResponse = Type.Object({
  results: Type.Array(
    Type.Union([
      Type.Object({ requestId: Type.String(), pmhId: PmhId }),
      Type.Object({ requestId: Type.String(), error: Type.Object({ code: Type.String(), message: Type.String() }) }),
    ]),
  ),
});
export type IssueResponse = Static<typeof IssueResponse>;

/** POST /idserver/v1/linkage-numbers (role admin): insurers' enrolments, My Number ↔ 紐付番号. */
export const LinkageImport = Type.Object(
  {
    entries: Type.Array(Type.Object({ myNumber: MyNumber, linkageNumber: LinkageNumber }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 10_000,
    }),
  },
  { additionalProperties: false },
);
export type LinkageImport = Static<typeof LinkageImport>;
export const LinkageImportResult = Type.Object({ imported: Type.Integer(), unchanged: Type.Integer(), linksQueued: Type.Integer() });

export const LINKAGE_CONFLICT_REASONS = ['linkage-number-differs', 'linkage-number-taken', 'duplicate-in-batch'] as const;
export type LinkageConflictReason = (typeof LINKAGE_CONFLICT_REASONS)[number];

/** Entries naming a person or a 紐付番号 more often than this in one import batch are not applied. */
export const MAX_LINKAGE_REPEATS = 16;

/**
 * The answer to an import: `LinkageImportResult` (imported, unchanged, linksQueued) plus, by entry
 * index, the entries not applied. It names entries by position only, never by My Number.
 */
export const LinkageImportAnswer = Type.Object({
  ...LinkageImportResult.properties,
  conflicts: Type.Array(
    Type.Object({
      index: Type.Integer({ description: 'position of the entry in `entries`' }),
      reason: Type.Enum([...LINKAGE_CONFLICT_REASONS], {
        description:
          '`linkage-number-differs`: this person already holds another 紐付番号 (stored, or from an earlier entry); ' +
          '`linkage-number-taken`: another person holds this 紐付番号; `duplicate-in-batch`: the batch names this ' +
          `person or this 紐付番号 more than ${MAX_LINKAGE_REPEATS} times.`,
      }),
    }),
    { description: 'Entries that contradict what is stored (or an earlier entry); nothing of them was applied.' },
  ),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), reason: Type.Enum(['invalid-my-number']) }), {
    description: 'Entries refused as given: the My Number fails its check digit.',
  }),
});
export type LinkageImportAnswer = Static<typeof LinkageImportAnswer>;

// --- OQS -----------------------------------------------------------------------------------

/** POST /oqs/v1/pmh-links (role idserver). Idempotent on the linkage number. */
export const OqsPmhLinks = Type.Object(
  { links: Type.Array(Type.Object({ linkageNumber: LinkageNumber, pmhId: PmhId }, { additionalProperties: false }), { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);
export type OqsPmhLinks = Static<typeof OqsPmhLinks>;

/** POST /oqs/v1/insured (role admin): who is insured, their portal pseudonym and their cards. */
export const InsuredImport = Type.Object(
  {
    entries: Type.Array(
      Type.Object(
        {
          linkageNumber: LinkageNumber,
          pseudonym: Pseudonym,
          cards: Type.Array(
            Type.Object(
              {
                cardSerial: CardSerial,
                // A JWK may carry more members (kid, alg, use…); only {kty, crv, x, y} is kept.
                publicJwk: Type.Object(
                  { kty: Type.Literal('EC'), crv: Type.Literal('P-256'), x: Base64urlCoordinate, y: Base64urlCoordinate },
                  { additionalProperties: true, maxProperties: 16 },
                ),
              },
              { additionalProperties: false },
            ),
            { maxItems: 5 },
          ),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 10_000 },
    ),
  },
  { additionalProperties: false },
);
export type InsuredImport = Static<typeof InsuredImport>;

export const INSURED_CONFLICT_REASONS = ['pseudonym-differs', 'pseudonym-taken', 'card-taken', 'card-key-differs'] as const;
export type InsuredConflictReason = (typeof INSURED_CONFLICT_REASONS)[number];

/**
 * The answer to an insured import: how many entries were applied or already held, how many portal
 * links it queued and, by entry index, the entries not applied. Entries are named by position only,
 * never by an identifier.
 */
export const InsuredImportAnswer = Type.Object({
  accepted: Type.Integer({ description: 'entries applied, or already held' }),
  linksQueued: Type.Integer({ description: 'people who already had a PMH-ID and got their pseudonym now: their link to the portal is queued' }),
  conflicts: Type.Array(
    Type.Object({
      index: Type.Integer({ description: 'position of the entry in `entries`' }),
      reason: Type.Enum([...INSURED_CONFLICT_REASONS], {
        description:
          '`pseudonym-differs`: this linkage number already has another pseudonym; `pseudonym-taken`: another linkage number ' +
          'has this pseudonym; `card-taken`: a card serial belongs to another linkage number; `card-key-differs`: a card ' +
          'serial is stored (or named earlier) with another public key.',
      }),
    }),
    { description: 'Entries that contradict what is stored or an earlier entry of the batch; nothing of them was applied.' },
  ),
});
export type InsuredImportAnswer = Static<typeof InsuredImportAnswer>;

// --- Portal --------------------------------------------------------------------------------

/** POST /portal/v1/pmh-links (role oqs). Idempotent on the pseudonym. */
export const PortalPmhLinks = Type.Object(
  { links: Type.Array(Type.Object({ pseudonym: Pseudonym, pmhId: PmhId }, { additionalProperties: false }), { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);
export type PortalPmhLinks = Static<typeof PortalPmhLinks>;

// --- Hub -----------------------------------------------------------------------------------

/** POST /hub/v1/portal-links (role portal). The hub acknowledges each link it stored. */
export const HubPortalLinks = Type.Object(
  { links: Type.Array(Type.Object({ pmhPseudonym: PmhPseudonym, pmhId: PmhId }, { additionalProperties: false }), { minItems: 1, maxItems: 1000 }) },
  { additionalProperties: false },
);
export type HubPortalLinks = Static<typeof HubPortalLinks>;
export const HubPortalLinksAck = Type.Object({
  results: Type.Array(Type.Object({ pmhPseudonym: PmhPseudonym, status: Type.Enum(['linked', 'conflict']) })),
});
export type HubPortalLinksAck = Static<typeof HubPortalLinksAck>;

/** POST /hub/v1/pmh-ids (role idserver): asynchronous issuance results. */
export const HubPmhIds = Type.Object(
  {
    results: Type.Array(Type.Object({ requestId: Key({ description: 'the hub’s reference of the request' }), pmhId: PmhId }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 1000,
    }),
  },
  { additionalProperties: false },
);

/** Every federation receiver answers with how many items it accepted. */
export const Accepted = Type.Object({ accepted: Type.Integer() });
