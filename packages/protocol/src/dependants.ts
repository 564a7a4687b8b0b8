import { Type, type Static } from 'typebox';
import { Base64url } from './eligibility.ts';
import { CardSerial } from './federation.ts';
import { Text } from './text.ts';

/**
 * Guardians (代理人): a logged-in resident adds a dependant — a child — once, with the child's My
 * Number Card (the card signs a fresh portal challenge, as at login), and then acts for them: every
 * `/portal/v1/me/…` endpoint takes `?for=<dependantId>`.
 */

/** `?for=<dependantId>`: act for one of my dependants. Another account's (or an unknown) id is a 404. */
export const ForDependant = {
  for: Type.Optional(Type.String({ format: 'uuid', maxLength: 36, description: 'act for this dependant (代理人として): one of GET /portal/v1/me/dependants' })),
};
export const ForQuery = Type.Object(ForDependant, { additionalProperties: false });

/** `POST /portal/v1/me/dependants`: the child's card over a fresh challenge of POST /portal/v1/session-challenges. */
export const DependantAdd = Type.Object(
  {
    cardSerial: CardSerial,
    challenge: Base64url({ description: 'from POST /portal/v1/session-challenges; single use' }),
    signature: Base64url({ description: 'the child’s card: ES256 over the challenge (UTF-8), r ‖ s, base64url' }),
    displayName: Type.Optional(
      Text({
        minLength: 1,
        maxLength: 50,
        description: 'how the switcher names them; by default the name PMH holds, or 「お子さま」 before the child is linked',
      }),
    ),
  },
  { additionalProperties: false },
);
export type DependantAdd = Static<typeof DependantAdd>;

export const Dependant = Type.Object({
  dependantId: Type.String({ format: 'uuid' }),
  displayName: Type.String(),
});
export type Dependant = Static<typeof Dependant>;

export const DependantList = Type.Object({
  dependants: Type.Array(
    Type.Object({
      ...Dependant.properties,
      linked: Type.Boolean({ description: 'whether the dependant’s account is linked to PMH yet' }),
      addedAt: Type.String({ format: 'date-time' }),
    }),
    { description: 'oldest first' },
  ),
});
