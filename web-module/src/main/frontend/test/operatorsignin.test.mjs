import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import {
  authorizationRequest, base64url, completeSignIn, createOperatorSession, pkcePair,
} from '../src/operatorsignin.js';

const OPTIONS = {
  issuer: 'http://127.0.0.1:8180/realms/ims',
  clientId: 'webims-softphone',
  authorizationEndpoint: 'http://127.0.0.1:8180/realms/ims/protocol/openid-connect/auth',
  tokenEndpoint: 'http://127.0.0.1:8180/realms/ims/protocol/openid-connect/token',
};

function sessionStore() {
  const map = new Map();
  return { getItem: (k) => (map.has(k) ? map.get(k) : null), setItem: (k, v) => map.set(k, v), removeItem: (k) => map.delete(k), map };
}

/** Records the requests and answers them in turn. */
function server(...answers) {
  const requests = [];
  const fetchFn = async (url, init) => {
    requests.push({ url, body: new URLSearchParams(init.body) });
    const [status, body] = answers.shift();
    return { status, ok: status === 200, json: async () => body };
  };
  return { fetchFn, requests };
}

const location = { origin: 'http://127.0.0.1:8080', pathname: '/', search: '' };

test('RFC 7636 appendix B: the challenge is the base64url SHA-256 of the verifier', async () => {
  assert.equal(base64url(createHash('sha256').update('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk').digest()),
    'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  const { verifier, challenge } = await pkcePair();
  assert.match(verifier, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(challenge, base64url(createHash('sha256').update(verifier).digest()));
});

test('the sign-in request asks for a code with an S256 challenge, and keeps state and verifier for the return', async () => {
  const store = sessionStore();
  const url = new URL(await authorizationRequest(OPTIONS, { location, sessionStorage: store }));
  assert.equal(url.origin + url.pathname, OPTIONS.authorizationEndpoint);
  assert.equal(url.searchParams.get('response_type'), 'code');
  assert.equal(url.searchParams.get('client_id'), 'webims-softphone');
  assert.equal(url.searchParams.get('redirect_uri'), 'http://127.0.0.1:8080/');
  assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
  const pending = JSON.parse([...store.map.values()][0]);
  assert.equal(pending.state, url.searchParams.get('state'));
  assert.equal(url.searchParams.get('code_challenge'), base64url(createHash('sha256').update(pending.verifier).digest()));
});

test('a page load that is no return from sign-in does nothing', async () => {
  assert.equal(await completeSignIn(OPTIONS, { location, history: null, sessionStorage: sessionStore() }), null);
});

test('a response to a sign-in this page did not start is refused before any code is redeemed', async () => {
  const store = sessionStore();
  await authorizationRequest(OPTIONS, { location, sessionStorage: store });
  const { fetchFn, requests } = server();
  let replaced = null;
  await assert.rejects(completeSignIn(OPTIONS, {
    location: { ...location, search: '?code=abc&state=forged' },
    history: { replaceState: (a, b, url) => { replaced = url; } },
    sessionStorage: store,
    fetchFn,
  }), (e) => /does not match/.test(e.text));
  assert.equal(requests.length, 0);
  assert.equal(replaced, 'http://127.0.0.1:8080/', 'the code left the address bar');
  assert.equal(store.map.size, 0, 'the verifier is gone');
});

test('the code is redeemed with the verifier, then exchanged at the WAF for a registration token', async () => {
  const store = sessionStore();
  const url = new URL(await authorizationRequest(OPTIONS, { location, sessionStorage: store }));
  const { verifier } = JSON.parse([...store.map.values()][0]);
  const { fetchFn, requests } = server(
    [200, { access_token: 'idp-1', refresh_token: 'r-1', expires_in: 300 }],
    [200, { access_token: 'waf-1', impu: 'sip:alice@ims.example.test' }],
  );
  const session = await completeSignIn(OPTIONS, {
    location: { ...location, search: `?code=abc&state=${url.searchParams.get('state')}` },
    history: { replaceState: () => {} },
    sessionStorage: store,
    fetchFn,
  });
  assert.equal(requests[0].url, OPTIONS.tokenEndpoint);
  assert.equal(requests[0].body.get('grant_type'), 'authorization_code');
  assert.equal(requests[0].body.get('code_verifier'), verifier);
  assert.deepEqual(await session.registrationToken(), { token: 'waf-1', impu: 'sip:alice@ims.example.test' });
  assert.equal(requests[1].url, 'waf/token');
  assert.equal(requests[1].body.get('grant_type'), 'urn:ietf:params:oauth:grant-type:token-exchange');
  assert.equal(requests[1].body.get('subject_token'), 'idp-1');
  assert.equal(requests[1].body.get('subject_token_type'), 'urn:ietf:params:oauth:token-type:access_token');
});

test('an expiring identity-provider token is refreshed before it is exchanged; a refusal says why', async () => {
  let now = 0;
  const { fetchFn, requests } = server(
    [200, { access_token: 'idp-2', refresh_token: 'r-2', expires_in: 300 }],
    [400, { error: 'invalid_request', error_description: 'the subject_token was issued to another client' }],
  );
  const session = createOperatorSession(OPTIONS, { accessToken: 'idp-1', refreshToken: 'r-1', expiresAt: 10000 },
    { fetchFn, now: () => now });
  now = 9000;
  await assert.rejects(session.registrationToken(), (e) => /another client/.test(e.text));
  assert.equal(requests[0].body.get('grant_type'), 'refresh_token');
  assert.equal(requests[0].body.get('refresh_token'), 'r-1');
  assert.equal(requests[1].body.get('subject_token'), 'idp-2');
});
