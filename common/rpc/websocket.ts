// How the WebSocket transport identifies itself: the subprotocol, and the token carried beside it.

export const WS_PATH = '/api';
export const PROTOCOL = 'hyperion.v1';
/** The access token travels as a second subprotocol, so it never appears in a URL or a log. */
export const TOKEN_PROTOCOL_PREFIX = 'hyperion.token.';
/** GET with `Authorization: Bearer TOKEN`: 204 when the token is valid, 401 otherwise. */
export const TOKEN_CHECK_PATH = '/api/check';
