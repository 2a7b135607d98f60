import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createCredentials, instanceId } from '../src/credentials.js';
import { defaultDomain, defaultPrivateIdentity, normalizePublicIdentity, signallingUri } from '../src/identity.js';
import { createHistory, formatDuration } from '../src/history.js';
import { createStore } from '../src/storage.js';
import { CallEvent, CallState, nextState } from '../src/callstate.js';

function memoryStorage() {
  const map = new Map();
  return {
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => map.set(k, String(v)),
    removeItem: (k) => map.delete(k),
    map,
  };
}

test('the domain comes from the query, the meta tag, or a DNS host name', () => {
  assert.equal(defaultDomain({ search: '?domain=IMS.Example.Test', hostname: 'x.y' }), 'ims.example.test');
  assert.equal(defaultDomain({ metaDomain: 'op.net', hostname: 'x.y' }), 'op.net');
  assert.equal(defaultDomain({ hostname: 'webrtc.operator.net' }), 'webrtc.operator.net');
  assert.equal(defaultDomain({ hostname: '127.0.0.1' }), '');
  assert.equal(defaultDomain({ hostname: 'localhost' }), '');
  assert.equal(defaultDomain({ hostname: '[::1]' }), '');
});

test('signalling goes to the same origin: ws for http, wss for https', () => {
  assert.equal(signallingUri(new URL('http://127.0.0.1:8180/')), 'ws://127.0.0.1:8180/sip');
  assert.equal(signallingUri(new URL('https://phone.op.net/?domain=x#y')), 'wss://phone.op.net/sip');
});

test('identities are completed', () => {
  assert.equal(normalizePublicIdentity('alice', 'ims.example.test').uri, 'sip:alice@ims.example.test');
  assert.equal(normalizePublicIdentity('sip:alice@IMS.example.test', '').uri, 'sip:alice@ims.example.test');
  assert.ok(normalizePublicIdentity('alice', '').error);
  assert.ok(normalizePublicIdentity('tel:+1', 'd').error);
  assert.equal(defaultPrivateIdentity('sip:alice@ims.example.test'), 'alice@ims.example.test');
});

test('the password is stored only when the user asks', () => {
  const backend = memoryStorage();
  const credentials = createCredentials(createStore(backend));
  credentials.save({ publicId: 'sip:a@d', privateId: 'a@d', password: 'secret', remember: false });
  assert.ok(![...backend.map.values()].some((v) => v.includes('secret')));
  assert.equal(credentials.load().password, '');
  credentials.save({ publicId: 'sip:a@d', privateId: 'a@d', password: 'secret', remember: true });
  assert.equal(credentials.load().password, 'secret');
  credentials.forgetPassword();
  assert.ok(![...backend.map.values()].some((v) => v.includes('secret')));
  assert.equal(credentials.load().publicId, 'sip:a@d');
});

test('instance ids are stable per identity', () => {
  const store = createStore(memoryStorage());
  assert.equal(instanceId(store, 'sip:a@d'), instanceId(store, 'sip:a@d'));
  assert.notEqual(instanceId(store, 'sip:a@d'), instanceId(store, 'sip:b@d'));
});

test('the history keeps the newest first, per identity, and survives a broken storage', () => {
  const store = createStore(memoryStorage());
  const history = createHistory(store, 'sip:a@d');
  history.add({ direction: 'outgoing', peer: 'one', uri: 'sip:1@d', startedAt: 1, endedAt: 2, outcome: 'answered' });
  history.add({ direction: 'incoming', peer: 'two', uri: 'sip:2@d', startedAt: 3, endedAt: 4, outcome: 'missed' });
  assert.deepEqual(history.entries().map((e) => e.peer), ['two', 'one']);
  assert.equal(createHistory(store, 'sip:b@d').entries().length, 0);
  const broken = createStore({ getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('full'); } });
  const none = createHistory(broken, 'x');
  none.add({ direction: 'outgoing', peer: 'p', uri: 'u', startedAt: 1, endedAt: 1, outcome: 'failed' });
  assert.deepEqual(none.entries(), []);
  assert.equal(formatDuration(7000), '0:07');
  assert.equal(formatDuration(3723000), '1:02:03');
});

test('call states change only along the allowed transitions', () => {
  let s = CallState.DIALLING;
  s = nextState(s, CallEvent.PROGRESS, { early: false });
  assert.equal(s, CallState.RINGING);
  s = nextState(s, CallEvent.PROGRESS, { early: true });
  assert.equal(s, CallState.EARLY);
  s = nextState(s, CallEvent.ACCEPTED);
  assert.equal(s, CallState.ACTIVE);
  assert.equal(nextState(s, CallEvent.PROGRESS), CallState.ACTIVE);
  s = nextState(s, CallEvent.END);
  assert.equal(nextState(s, CallEvent.ACCEPTED), CallState.ENDED);
  assert.equal(nextState(CallState.INCOMING, CallEvent.ANSWER), CallState.ANSWERING);
});
