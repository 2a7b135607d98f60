// The WebRTC IMS client for third parties' pages (TS 23.228 Annex U: the WWSF provides the WebRTC IMS client's
// code): the softphone's SIP side (phone.js), dial strings and media helpers as window.WebImsClient, for a page on a
// provider's origin that registers with a WAF token (TS 24.371 §6.1 scenarios 2 and 3). Served at
// /app/webims-client.js; the page keeps its provider's secret out of the browser (its backend asks for the tokens).
import { parseDialString } from './dialstring.js';
import { attachRemote, detachRemote, mediaStats } from './media.js';
import { createPhone, RegistrationState } from './phone.js';

window.WebImsClient = Object.freeze({
  createPhone,
  RegistrationState,
  parseDialString,
  attachRemote,
  detachRemote,
  mediaStats,
});
