import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayUri, parseDialString } from '../src/dialstring.js';

const D = 'ims.example.test';

test('numbers become SIP URIs with user=phone in the home domain', () => {
  assert.equal(parseDialString('+49 (30) 1234-567', D).uri, 'sip:+49301234567@ims.example.test;user=phone');
  assert.equal(parseDialString('tel:+49301234567', D).uri, 'sip:+49301234567@ims.example.test;user=phone');
  assert.equal(parseDialString('112', D).uri, 'sip:112@ims.example.test;user=phone');
  assert.equal(parseDialString('112', D).display, 'tel:112');
  assert.deepEqual(parseDialString('*31#', D).params, { user: 'phone' });
});

test('addresses keep their domain or get the home one', () => {
  assert.equal(parseDialString('bob', D).uri, 'sip:bob@ims.example.test');
  assert.equal(parseDialString('bob@other.example', D).uri, 'sip:bob@other.example');
  assert.equal(parseDialString('sip:uas@127.0.0.1:5200', D).uri, 'sip:uas@127.0.0.1:5200');
  assert.equal(parseDialString('sips:bob@ims.example.test;transport=tls', D).uri,
    'sips:bob@ims.example.test;transport=tls');
  const parsed = parseDialString('sip:uas@127.0.0.1:5200', D);
  assert.equal(parsed.host, '127.0.0.1:5200');
  assert.equal(parsed.user, 'uas');
});

test('nonsense is refused with a sentence', () => {
  assert.match(parseDialString('', D).error, /Enter a number/);
  assert.match(parseDialString('tel:abc', D).error, /not a telephone number/);
  assert.match(parseDialString('112', '').error, /domain/);
  assert.match(parseDialString('bob smith@x', D).error, /not an address/);
});

test('peers are shown short', () => {
  assert.equal(displayUri('sip:+4930123@ims.example.test;user=phone'), 'tel:+4930123');
  assert.equal(displayUri('sip:bob@ims.example.test;transport=ws'), 'sip:bob@ims.example.test');
  assert.equal(displayUri('tel:+1'), 'tel:+1');
});
