import { KalendsError } from '../../core/errors.ts';

/** A refused authen grant as Feishu numbers it: HTTP status, `code`, OAuth `error` and a description. */
export interface OAuthWireError {
  status: number;
  code: number;
  /** RFC 6749 §5.2 error (the v2 endpoint's `error` field). */
  error: string;
  description: string;
}

const grant = (code: number, description: string): OAuthWireError => ({ status: 400, code, error: 'invalid_grant', description });

/** By catalogue code, then by `detail.reason`. */
const TABLE: Partial<Record<KalendsError['code'], Record<string, OAuthWireError>>> = {
  AUTH_CODE_INVALID: {
    unknown: grant(20003, 'The authorization code is not found.'),
    expired: grant(20004, 'The authorization code has expired.'),
    other_app: grant(20024, 'The authorization code was not issued to this client_id.'),
    used: grant(20065, 'The authorization code has been used.'),
  },
  REFRESH_TOKEN_INVALID: {
    unknown: grant(20026, 'The refresh_token is invalid.'),
    expired: grant(20037, 'The refresh_token has expired.'),
    other_app: grant(20026, 'The refresh_token was not issued to this client_id.'),
    used: grant(20064, 'The refresh_token has been revoked: it was already used (refresh tokens rotate).'),
  },
  USER_NOT_FOUND: { left: grant(20021, 'The user has resigned.') },
  APP_CREDENTIALS_INVALID: {
    unknown_app: { status: 400, code: 20002, error: 'invalid_client', description: 'Client authentication failed: unknown client_id.' },
    wrong_secret: { status: 400, code: 20002, error: 'invalid_client', description: 'Client authentication failed: wrong client_secret.' },
  },
};

/**
 * The authen error of a refused grant (Feishu's user-token error table: 20002 client, 20003/20004/
 * 20024/20065 code, 20026/20037/20064 refresh_token, 20021 a user who left; 20001
 * invalid_request for anything else a client sent wrong), or undefined for an error that is not
 * the client's (left to the dialect's handler).
 * Source: open.feishu.cn "获取 user_access_token" / "刷新 user_access_token" error tables.
 */
export function oauthWireError(error: unknown): OAuthWireError | undefined {
  if (!(error instanceof KalendsError)) return undefined;
  const reason = typeof error.detail?.reason === 'string' ? error.detail.reason : '';
  const refined = TABLE[error.code]?.[reason];
  if (refined) return refined;
  if (error.code === 'INVALID_PARAMETER' || error.code === 'MALFORMED_BODY' || error.code === 'USER_NOT_FOUND') {
    return { status: 400, code: 20001, error: 'invalid_request', description: error.message };
  }
  return undefined;
}

/** The path of the v2 token endpoint, whose refusals all take its own body (see sendOAuthError). */
export const OAUTH_TOKEN_URL = '/open-apis/authen/v2/oauth/token';

/**
 * Any refusal of `authen/v2/oauth/token` as that endpoint words it, `{code, error,
 * error_description}`: a refused grant by the table above, any other mistake of the client
 * (malformed or oversized body, a field of the wrong type) 20001 invalid_request, a fault of the
 * server 20050 server_error.
 * @param status the HTTP status the dialect gives the error otherwise (an injected fault's, say).
 */
export function oauthTokenError(error: KalendsError, status: number): OAuthWireError {
  const refined = oauthWireError(error);
  if (refined) return refined;
  return status >= 500
    ? { status, code: 20050, error: 'server_error', description: 'internal error' }
    : { status, code: 20001, error: 'invalid_request', description: error.message };
}

/** The wire body of an `authen/v2/oauth/token` refusal (oauthTokenError): `{code, error, error_description}`. */
export function oauthTokenErrorBody(wire: OAuthWireError): { code: number; error: string; error_description: string } {
  return { code: wire.code, error: wire.error, error_description: wire.description };
}
