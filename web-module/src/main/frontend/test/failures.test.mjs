import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  describeCallFailure, describeRegistrationFailure, EMERGENCY_TEXT, imsXmlReason, warningText,
} from '../src/failures.js';

test('every failure a user meets has its own words', () => {
  const kind = (f) => describeCallFailure({ target: 'tel:123', ...f }).kind;
  assert.equal(kind({ status: 486 }), 'busy');
  assert.equal(kind({ status: 600 }), 'busy');
  assert.equal(kind({ status: 404 }), 'not-found');
  assert.equal(kind({ status: 604 }), 'not-found');
  assert.equal(kind({ status: 408 }), 'no-answer');
  assert.equal(kind({ status: 480 }), 'no-answer');
  assert.equal(kind({ status: 487, originator: 'remote' }), 'no-answer');
  assert.equal(kind({ cause: 'No Answer' }), 'no-answer');
  assert.equal(kind({ status: 403 }), 'not-allowed');
  assert.equal(kind({ status: 488 }), 'not-allowed');
  assert.equal(kind({ status: 503 }), 'not-allowed');
  assert.equal(kind({ cause: 'User Denied Media Access' }), 'media');
  assert.equal(kind({ cause: 'Connection Error' }), 'connection');
  assert.equal(kind({ cause: 'ICE Failed', originator: 'local' }), 'media');
});

test('the emergency refusal (380 with the 3GPP XML body) says to call from a phone', () => {
  const body = '<?xml version="1.0"?><ims-3gpp version="1"><alternative-service><type>emergency</type>'
    + '<reason>Emergency calls are not supported</reason></alternative-service></ims-3gpp>';
  const message = describeCallFailure({ status: 380, body, target: 'tel:112' });
  assert.equal(message.kind, 'emergency');
  assert.equal(message.text, EMERGENCY_TEXT);
  assert.match(message.text, /from a mobile or fixed phone/);
  assert.equal(imsXmlReason(body), 'Emergency calls are not supported');
});

test('refusals quote the Warning text', () => {
  assert.equal(warningText('399 127.0.0.1 "media gateway unavailable: timeout"'), 'media gateway unavailable: timeout');
  assert.equal(warningText('399 a "one", 399 b "two \\"quoted\\""'), 'one; two "quoted"');
  const message = describeCallFailure({ status: 403, warning: '399 gw "register before calling"' });
  assert.match(message.text, /register before calling/);
});

test('nothing is said when the user hung up', () => {
  assert.equal(describeCallFailure({ cause: 'Canceled', originator: 'local' }), null);
});

test('registration refusals', () => {
  assert.equal(describeRegistrationFailure({ status: 401, identity: 'sip:a@b' }).title, 'Wrong password');
  assert.equal(describeRegistrationFailure({ status: 403 }).title, 'Wrong password');
  assert.equal(describeRegistrationFailure({ cause: 'Connection Error', wsUri: 'wss://x/sip' }).kind, 'connection');
  assert.match(describeRegistrationFailure({ status: 503, warning: '399 gw "IMS core unreachable"' }).text,
    /IMS core unreachable/);
});
