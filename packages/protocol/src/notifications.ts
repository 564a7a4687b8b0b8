import { Type, type Static } from 'typebox';
import { PmhPseudonym } from './federation.ts';
import { DateTimeIn, Key, Text, Uuid } from './text.ts';

/**
 * Notifications from municipalities to residents (seed B③ C③, お知らせ): a municipality names its
 * subjects by 宛名番号; the hub resolves them to PMH pseudonyms and delivers each through its outbox to
 * the portal, which files it in the resident's inbox. Never a My Number, a PMH-ID or a 仮名識別子 here.
 */

export const NOTIFICATION_CATEGORIES = ['medical-subsidy', 'vaccination', 'maternal-child', 'general'] as const;
export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number];
/** 事務: which process a notification belongs to (`general` for none in particular). */
export const NotificationCategory = Type.Enum([...NOTIFICATION_CATEGORIES], { description: '事務 (process) the notification belongs to' });

export const MAX_NOTIFICATION_TARGETS = 10_000;

const NotificationTitle = Text({ minLength: 1, maxLength: 100, description: '件名 (title)' });
const NotificationBody = Text({ minLength: 1, maxLength: 4000, multiline: true, description: '本文 (body); may span lines' });
const NotificationUrl = Type.String({
  format: 'uri',
  pattern: '^[Hh][Tt][Tt][Pp][Ss]?://',
  maxLength: 2000,
  description: 'a link for details (http or https)',
});

// --- Hub: /municipal/v1/notifications (role municipality:<code>) ---------------------------

/** `POST /municipal/v1/notifications`. */
export const NotificationRequest = Type.Object(
  {
    targets: Type.Array(
      Type.Object(
        {
          municipalityIdentityKey: Key({ description: '宛名番号 of a subject this municipality registered (full-width letters and digits are read as ASCII)' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: MAX_NOTIFICATION_TARGETS, description: 'each subject once' },
    ),
    category: NotificationCategory,
    title: NotificationTitle,
    body: NotificationBody,
    url: Type.Optional(NotificationUrl),
    publishAt: Type.Optional(DateTimeIn('publication', '公開日時: not delivered before; now when absent')),
  },
  { additionalProperties: false },
);
export type NotificationRequest = Static<typeof NotificationRequest>;

export const NotificationAccepted = Type.Object({
  notificationId: Type.String({ format: 'uuid' }),
  targets: Type.Integer({ description: 'how many subjects it goes to' }),
  publishAt: Type.String({ format: 'date-time' }),
});
export type NotificationAccepted = Static<typeof NotificationAccepted>;

export const DELIVERY_STATUSES = ['delivered', 'waiting', 'scheduled', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
export const DeliveryStatus = Type.Enum([...DELIVERY_STATUSES], {
  description:
    '`scheduled`: publishAt is still ahead; `waiting`: due, but the person is not linked to the portal yet, or it is on its way; ' +
    "`delivered`: in the resident's inbox; `failed`: the portal refused it for good (an operator may retry); " +
    '`cancelled`: the municipality cancelled the notification before its publishAt',
});

/** `GET /municipal/v1/notifications/{notificationId}`. */
export const NotificationStatusView = Type.Object({
  notificationId: Type.String({ format: 'uuid' }),
  category: NotificationCategory,
  title: Type.String(),
  publishAt: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
  cancelledAt: Type.Optional(Type.String({ format: 'date-time', description: 'when it was cancelled; absent when it was not' })),
  body: Type.Optional(Type.String({ description: '本文' })),
  url: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  counts: Type.Object({
    delivered: Type.Integer(),
    waiting: Type.Integer(),
    scheduled: Type.Integer(),
    failed: Type.Integer(),
    cancelled: Type.Optional(Type.Integer({ description: 'present for a cancelled notification' })),
  }),
  targets: Type.Array(
    Type.Object({
      municipalityIdentityKey: Type.String(),
      status: DeliveryStatus,
      deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
    { description: 'in the order of the request' },
  ),
});
export type NotificationStatusView = Static<typeof NotificationStatusView>;

// --- Portal: POST /portal/v1/notifications (role hub) --------------------------------------

export const MAX_NOTIFICATION_BATCH = 1000;

export const PortalNotificationItem = Type.Object(
  {
    notificationId: Uuid('the notification at the hub'),
    pmhPseudonym: PmhPseudonym,
    municipalityCode: Type.String({ maxLength: 6, pattern: '^[0-9]{6}$', description: '地方公共団体コード of the sender' }),
    category: NotificationCategory,
    title: NotificationTitle,
    body: NotificationBody,
    url: Type.Union([NotificationUrl, Type.Null()]),
    publishedAt: DateTimeIn('past', 'when it was published'),
  },
  { additionalProperties: false },
);
export type PortalNotificationItem = Static<typeof PortalNotificationItem>;

/** Idempotent on (notificationId, pmhPseudonym): the same item again is `stored` and filed once. */
export const PortalNotificationBatch = Type.Object(
  { items: Type.Array(PortalNotificationItem, { minItems: 1, maxItems: MAX_NOTIFICATION_BATCH }) },
  { additionalProperties: false },
);
export type PortalNotificationBatch = Static<typeof PortalNotificationBatch>;

export const PortalNotificationResults = Type.Object({
  results: Type.Array(
    Type.Object({
      notificationId: Type.String(),
      pmhPseudonym: PmhPseudonym,
      status: Type.Enum(['stored', 'unknown-recipient'], { description: '`unknown-recipient`: no account has this PMH pseudonym' }),
    }),
  ),
});
export type PortalNotificationResults = Static<typeof PortalNotificationResults>;

// --- Portal: the resident's inbox (/portal/v1/me/notifications, resident session) ---------

export const InboxQuery = Type.Object(
  {
    // A query string is text (types are not coerced): a number 1–200 written in digits.
    limit: Type.Optional(Type.String({ maxLength: 3, pattern: '^(?:[1-9][0-9]?|1[0-9]{2}|200)$', description: 'items per page, 1–200; 50 when absent' })),
    before: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$', description: '`nextBefore` of the previous page' })),
  },
  { additionalProperties: false },
);

export const InboxItem = Type.Object({
  id: Type.String({ format: 'uuid', description: 'the item in this inbox (for marking it read)' }),
  municipalityCode: Type.String({ description: '地方公共団体コード of the sender' }),
  category: NotificationCategory,
  title: Type.String(),
  body: Type.String(),
  url: Type.Union([Type.String(), Type.Null()]),
  publishedAt: Type.String({ format: 'date-time' }),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type InboxItem = Static<typeof InboxItem>;

export const Inbox = Type.Object({
  items: Type.Array(InboxItem, { description: 'newest first' }),
  unread: Type.Integer({ description: 'unread items in the whole inbox' }),
  nextBefore: Type.Optional(Type.String({ description: 'pass as `before` for the next (older) page; absent on the last page' })),
});
export type Inbox = Static<typeof Inbox>;
