import { Type, type Static } from 'typebox';
import { DateIn, Text } from './text.ts';
import { MedicalSubsidyProgramView } from './municipal.ts';

/**
 * The municipal console: a municipality's officers sign in with a password and a TOTP code
 * (RFC 6238) and act for their municipality with the rights of their role.
 */

/** An officer's role: 閲覧 (read), 登録 (register), 通知 (notify), 管理 (admin, everything). */
export const OFFICER_ROLES = ['read', 'register', 'notify', 'admin'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];

export const OfficerRoleSchema = Type.Union([Type.Literal('read'), Type.Literal('register'), Type.Literal('notify'), Type.Literal('admin')], {
  description: 'read 閲覧 (reads only), register 登録 (registers, uploads files), notify 通知 (sends notifications), admin 管理 (everything, manages officers)',
});

export const MunicipalityCodeSchema = Type.String({ pattern: '^[0-9]{6}$', maxLength: 6, description: '地方公共団体コード (6 digits)' });
export const LoginId = Type.String({ pattern: '^[A-Za-z0-9._-]{1,64}$', maxLength: 64, description: 'the officer’s login id (ASCII letters, digits, . _ -)' });
/** At least 12 characters when set; any printable text up to 256 (a passphrase). */
export const Password = Type.String({ minLength: 1, maxLength: 256, format: 'single-line-text', description: 'the password' });
export const NewPassword = Type.String({ minLength: 12, maxLength: 256, format: 'single-line-text', description: 'a new password, at least 12 characters' });

export const ConsoleSignIn = Type.Object(
  {
    municipalityCode: MunicipalityCodeSchema,
    loginId: LoginId,
    password: Password,
    totp: Type.String({ pattern: '^[0-9]{6}$', maxLength: 6, description: 'the 6-digit code of the officer’s authenticator app (TOTP, 30 s)' }),
  },
  { additionalProperties: false },
);
export type ConsoleSignIn = Static<typeof ConsoleSignIn>;

export const OfficerView = Type.Object({
  municipalityCode: Type.String(),
  loginId: Type.String(),
  role: OfficerRoleSchema,
  locked: Type.Boolean({ description: 'locked out after repeated failed sign-ins, until lockedUntil' }),
  lockedUntil: Type.Optional(Type.String({ format: 'date-time' })),
  disabled: Type.Optional(Type.Boolean({ description: 'true while disabled by a 管理 officer (cannot sign in); absent otherwise' })),
});
export type OfficerView = Static<typeof OfficerView>;

export const ConsoleMe = Type.Object({
  officer: OfficerView,
  expiresAt: Type.String({ format: 'date-time', description: 'the latest the session lasts; it ends sooner when idle' }),
});
export type ConsoleMe = Static<typeof ConsoleMe>;

export const OfficerList = Type.Object({ officers: Type.Array(OfficerView) });

export const NewOfficer = Type.Object({ loginId: LoginId, role: OfficerRoleSchema, password: NewPassword }, { additionalProperties: false });

export const OfficerChange = Type.Object(
  {
    role: Type.Optional(OfficerRoleSchema),
    password: Type.Optional(NewPassword),
    resetTotp: Type.Optional(Type.Boolean({ description: 'issue a new TOTP secret (answered once)' })),
    unlock: Type.Optional(Type.Boolean({ description: 'clear the failed attempts and the lock-out' })),
    disabled: Type.Optional(
      Type.Boolean({ description: 'true: disable the officer (no sign-in, sessions ended; not one’s own account, 409); false: enable again' }),
    ),
  },
  { additionalProperties: false },
);

export const OfficerParams = Type.Object({ loginId: LoginId });

/** An officer as created or reset: the TOTP secret is shown this once. */
export const OfficerIssued = Type.Object({
  officer: OfficerView,
  totpSecret: Type.Optional(Type.String({ description: 'base32; shown only in this answer' })),
  otpauthUri: Type.Optional(Type.String({ description: 'otpauth:// URI for an authenticator app' })),
});

export const ConsoleDashboard = Type.Object({
  municipalityCode: Type.String(),
  subjects: Type.Object({
    total: Type.Integer(),
    byProcess: Type.Object({ 'medical-subsidy': Type.Integer(), vaccination: Type.Integer() }),
    pmhIdIssued: Type.Integer(),
    pmhIdPending: Type.Integer(),
    portalLinked: Type.Integer(),
  }),
  tasks: Type.Object({ queued: Type.Integer(), running: Type.Integer(), failed: Type.Integer(), done: Type.Integer() }),
});
export type ConsoleDashboard = Static<typeof ConsoleDashboard>;

// --- The console's pages: subject list, access log, programmes, notifications ----------------

const Cursor = (description: string) => Type.String({ minLength: 1, maxLength: 400, pattern: '^[A-Za-z0-9_-]+$', description });
const PageLimit = Type.String({ maxLength: 3, pattern: '^(?:[1-9][0-9]?|100)$', description: 'entries per page, 1–100; 50 when absent' });

export const SUBJECT_LIST_STATUSES = ['pmh-id-pending', 'pmh-id-issued', 'pmh-id-failed', 'portal-linked', 'portal-unlinked'] as const;
export const SUBJECT_PROCESSES = ['medical-subsidy', 'vaccination', 'maternal-child'] as const;

/** `GET /municipal/v1/subjects`: the municipality's subjects, filtered, a page at a time. */
export const SubjectListQuery = Type.Object(
  {
    municipalityIdentityKey: Type.Optional(Text({ minLength: 1, maxLength: 64, description: '宛名番号 (exact; full-width letters and digits read as ASCII)' })),
    kana: Type.Optional(
      Text({
        minLength: 1,
        maxLength: 100,
        description: 'the start of the name in kana: hiragana or katakana, full- or half-width, spaces ignored',
      }),
    ),
    birthDate: Type.Optional(DateIn('birth', '生年月日')),
    status: Type.Optional(Type.Enum([...SUBJECT_LIST_STATUSES], { description: 'PMH-ID issuance or portal-link status' })),
    process: Type.Optional(Type.Enum([...SUBJECT_PROCESSES], { description: 'registered for this process (事務)' })),
    limit: Type.Optional(PageLimit),
    cursor: Type.Optional(Cursor('`nextCursor` of the previous page')),
  },
  { additionalProperties: false },
);
export type SubjectListQuery = Static<typeof SubjectListQuery>;

export const SubjectSummary = Type.Object({
  municipalityIdentityKey: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  nameKana: Type.Union([Type.String(), Type.Null()]),
  dateOfBirth: Type.String(),
  sex: Type.String(),
  isNotDisclosed: Type.Boolean(),
  pmhIdStatus: Type.Enum(['pending', 'issued', 'failed']),
  portalLinkStatus: Type.Enum(['unlinked', 'linked']),
  processes: Type.Array(Type.Enum([...SUBJECT_PROCESSES]), { description: 'the processes the subject is registered for' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type SubjectSummary = Static<typeof SubjectSummary>;

export const SubjectList = Type.Object({
  subjects: Type.Array(SubjectSummary, { description: 'by 宛名番号' }),
  nextCursor: Type.Optional(Type.String({ description: 'pass as `cursor` for the next page; absent on the last page' })),
});
export type SubjectList = Static<typeof SubjectList>;

export const MUNICIPAL_ACCESS_ACTOR_KINDS = ['medical-institution', 'municipality', 'officer', 'operator', 'guardian', 'system'] as const;

/** `GET /municipal/v1/access-log`: who read or wrote the data of this municipality's subjects. */
export const MunicipalAccessLogQuery = Type.Object(
  {
    from: Type.Optional(DateIn('service', 'from this day on (Japan time)')),
    to: Type.Optional(DateIn('service', 'up to and including this day (Japan time)')),
    actorKind: Type.Optional(Type.Enum([...MUNICIPAL_ACCESS_ACTOR_KINDS], { description: 'who acted' })),
    subjectKey: Type.Optional(Text({ minLength: 1, maxLength: 64, description: '宛名番号 of one subject' })),
    limit: Type.Optional(PageLimit),
    before: Type.Optional(Cursor('`nextBefore` of the previous page')),
    charset: Type.Optional(Type.Enum(['utf-8', 'shift_jis'], { description: 'CSV only: the encoding (default utf-8)' })),
  },
  { additionalProperties: false },
);
export type MunicipalAccessLogQuery = Static<typeof MunicipalAccessLogQuery>;

export const MunicipalAccessLogEntry = Type.Object({
  at: Type.String({ format: 'date-time' }),
  actorKind: Type.Enum([...MUNICIPAL_ACCESS_ACTOR_KINDS]),
  actorCode: Type.Union([Type.String(), Type.Null()], { description: '医療機関コード or 地方公共団体コード; null for operators and the system' }),
  officerLoginId: Type.Union([Type.String(), Type.Null()], { description: 'the console officer, when one acted' }),
  action: Type.String(),
  purpose: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
  municipalityIdentityKey: Type.Union([Type.String(), Type.Null()], { description: '宛名番号 of the subject' }),
});
export type MunicipalAccessLogEntry = Static<typeof MunicipalAccessLogEntry>;

export const MunicipalAccessLog = Type.Object({
  items: Type.Array(MunicipalAccessLogEntry, { description: 'newest first' }),
  nextBefore: Type.Optional(Type.String({ description: 'pass as `before` for the next (older) page; absent on the last page' })),
});
export type MunicipalAccessLog = Static<typeof MunicipalAccessLog>;

/** `GET /municipal/v1/notifications`: the municipality's notifications, newest first. */
export const NotificationListQuery = Type.Object(
  { limit: Type.Optional(PageLimit), before: Type.Optional(Cursor('`nextBefore` of the previous page')) },
  { additionalProperties: false },
);

export const NotificationSummary = Type.Object({
  notificationId: Type.String({ format: 'uuid' }),
  category: Type.String(),
  title: Type.String(),
  publishAt: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
  cancelledAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  targets: Type.Integer(),
  counts: Type.Object(
    { delivered: Type.Integer(), waiting: Type.Integer(), scheduled: Type.Integer(), cancelled: Type.Integer() },
    { description: 'targets by state (a refused delivery counts as waiting here: GET …/{notificationId} tells failed ones)' },
  ),
});
export type NotificationSummary = Static<typeof NotificationSummary>;

export const NotificationList = Type.Object({
  notifications: Type.Array(NotificationSummary),
  nextBefore: Type.Optional(Type.String()),
});
export type NotificationList = Static<typeof NotificationList>;

export const ProgramList = Type.Object({
  programs: Type.Array(MedicalSubsidyProgramView, { description: 'by 機関別受給者証種別ID' }),
});
