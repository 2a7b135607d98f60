// Operator sign-in (TS 24.371 §6.1 scenario 2): the OpenID Connect authorization code flow with PKCE (RFC 7636) at
// the operator's identity provider, then the WAF's token exchange (RFC 8693) for a token bound to the subscriber's
// IMS public identity, with which the phone registers (RFC 8898). The user's IMS password is never asked for. The
// identity provider's tokens stay in this page's memory; only the PKCE verifier and state cross the redirect, in
// sessionStorage, and are removed as soon as the browser is back.

const PENDING = 'wwsf.operator-signin';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN = 'urn:ietf:params:oauth:token-type:access_token';
/** An identity-provider token this close to its expiry is refreshed before it is exchanged. */
const EXPIRY_MARGIN_MS = 15000;

/** A failure the page shows as it is: {title, text, kind}. */
function failure(title, text) {
  return { title, text, kind: 'credentials' };
}

export function base64url(bytes) {
  let text = '';
  for (const byte of bytes) {
    text += String.fromCharCode(byte);
  }
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** RFC 7636 §4.1 and §4.2: a 43-character verifier from 32 random bytes, and its S256 challenge. */
export async function pkcePair(crypto = globalThis.crypto) {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url(new Uint8Array(digest)) };
}

/** Where the identity provider sends the browser back: this page, without its query. */
export function redirectUri(location) {
  return `${location.origin}${location.pathname}`;
}

/** What the gateway offers: {issuer, clientId, authorizationEndpoint, tokenEndpoint}, or null (none, or unreachable). */
export async function signInOptions(fetchFn = fetch) {
  try {
    const response = await fetchFn('waf/sign-in', { headers: { Accept: 'application/json' } });
    if (!response.ok) {
      return null;
    }
    const body = await response.json();
    return body && body.operator ? body.operator : null;
  } catch {
    return null;
  }
}

/** The address of the identity provider's sign-in page for this browser; state and verifier are kept for the return. */
export async function authorizationRequest(options, { location, sessionStorage, crypto = globalThis.crypto }) {
  const { verifier, challenge } = await pkcePair(crypto);
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(PENDING, JSON.stringify({ state, verifier, issuer: options.issuer }));
  const url = new URL(options.authorizationEndpoint);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', options.clientId);
  url.searchParams.set('redirect_uri', redirectUri(location));
  url.searchParams.set('scope', 'openid');
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.toString();
}

async function postForm(fetchFn, url, fields) {
  const response = await fetchFn(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(fields).toString(),
    credentials: 'omit',
  });
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  return { status: response.status, body: body || {} };
}

/** The identity provider's tokens as this page keeps them. */
function idpTokens(body, now) {
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token || null,
    expiresAt: now + 1000 * (Number(body.expires_in) || 60),
  };
}

/**
 * A signed-in subscriber: asks the WAF for a fresh registration token whenever the phone needs one (the first
 * REGISTER and every new connection), refreshing the identity provider's token when it is about to expire.
 */
export function createOperatorSession(options, idp, { fetchFn = fetch, now = Date.now } = {}) {
  let tokens = idp;
  const refreshIdp = async () => {
    if (!tokens.refreshToken) {
      throw failure('Sign in again', 'Your operator sign-in has expired.');
    }
    const { status, body } = await postForm(fetchFn, options.tokenEndpoint, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refreshToken,
      client_id: options.clientId,
    });
    if (status !== 200 || !body.access_token) {
      throw failure('Sign in again', 'Your operator sign-in has expired.');
    }
    tokens = idpTokens(body, now());
  };
  return {
    /** {token, impu}: a WAF token for the subscriber, usable once, for a few minutes. */
    async registrationToken() {
      if (tokens.expiresAt - EXPIRY_MARGIN_MS <= now()) {
        await refreshIdp();
      }
      const { status, body } = await postForm(fetchFn, 'waf/token', {
        grant_type: TOKEN_EXCHANGE,
        subject_token: tokens.accessToken,
        subject_token_type: ACCESS_TOKEN,
      });
      if (status !== 200 || !body.access_token) {
        throw failure('Operator sign-in refused', body.error_description
          || `The gateway did not accept your sign-in (HTTP ${status}).`);
      }
      return { token: body.access_token, impu: body.impu };
    },
  };
}

/**
 * Back from the identity provider: the code redeemed (with the PKCE verifier) and the session returned, or null when
 * this page load is not a return from sign-in. The code leaves the address bar at once. Throws {title, text, kind}.
 */
export async function completeSignIn(options, { location, history, sessionStorage, fetchFn = fetch, now = Date.now }) {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) {
    return null;
  }
  history.replaceState(null, '', redirectUri(location));
  let pending = null;
  try {
    pending = JSON.parse(sessionStorage.getItem(PENDING));
  } catch {
    pending = null;
  }
  sessionStorage.removeItem(PENDING);
  // RFC 6749 §10.12: a response to a request this page did not make is thrown away, its text unread
  if (!pending || pending.state !== params.get('state') || pending.issuer !== options.issuer) {
    throw failure('Operator sign-in failed', 'The sign-in response does not match a sign-in started here.');
  }
  if (params.has('error')) {
    throw failure('Operator sign-in failed', params.get('error') === 'access_denied'
      ? 'You did not allow this phone to use your operator account.' : 'Your operator could not sign you in.');
  }
  const { status, body } = await postForm(fetchFn, options.tokenEndpoint, {
    grant_type: 'authorization_code',
    code: params.get('code'),
    redirect_uri: redirectUri(location),
    client_id: options.clientId,
    code_verifier: pending.verifier,
  });
  if (status !== 200 || !body.access_token) {
    throw failure('Operator sign-in failed', body.error_description || `The identity provider answered ${status}.`);
  }
  return createOperatorSession(options, idpTokens(body, now()), { fetchFn, now });
}
