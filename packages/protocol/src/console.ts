import { Type, type Static } from 'typebox';

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
