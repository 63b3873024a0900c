// How the WebSocket transport identifies itself: the subprotocol, the access key a script may carry
// beside it, and the close codes that tell a page what happened to its session.

export const WS_PATH = '/api';
export const PROTOCOL = 'hyperion.v1';
/**
 * A script's access key travels as a second subprotocol, so it never appears in a URL or a log.
 * (A browser page signs in with its session cookie instead.)
 */
export const TOKEN_PROTOCOL_PREFIX = 'hyperion.token.';

/** The session or key ended (signed out, expired, revoked, account disabled): sign in again. */
export const CLOSE_SIGNED_OUT = 4401;
/** The account changed (e.g. its role): reconnect now to act with the new one. */
export const CLOSE_RECONNECT = 4001;
