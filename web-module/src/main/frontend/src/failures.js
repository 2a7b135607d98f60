// The words a user reads when something fails: one place that maps SIP outcomes to messages (pure).
//
// Inputs come from the SIP layer: the final status and reason phrase, the JsSIP cause (for failures without a
// response: connection lost, media refused, ...), the Warning header (RFC 3261 §20.43; the gateway and the core
// explain refusals there) and, for 380 Alternative Service, the 3GPP IM CN subsystem XML body (TS 24.229 §7.6).

export const EMERGENCY_TEXT = 'Emergency calls cannot be made from this web phone. '
  + 'Please call the emergency services from a mobile or fixed phone.';

/** The text of a Warning header value: 399 host "text" -> text (several warnings joined). */
export function warningText(header) {
  if (!header) {
    return '';
  }
  const texts = [];
  const quoted = /"((?:[^"\\]|\\.)*)"/g;
  let m;
  while ((m = quoted.exec(String(header))) !== null) {
    texts.push(m[1].replace(/\\(.)/g, '$1'));
  }
  return texts.join('; ');
}

/** The <reason> of a 3GPP IM CN subsystem XML body (TS 24.229 §7.6), if any. */
export function imsXmlReason(body) {
  const m = /<reason>([\s\S]*?)<\/reason>/i.exec(String(body ?? ''));
  return m ? m[1].trim() : '';
}

/** Whether a 380 answer is the refusal of an emergency session (its XML body says so, or no body says otherwise). */
function isEmergencyRefusal(failure) {
  const body = String(failure.body ?? '');
  return !body || /<type>\s*emergency\s*<\/type>/i.test(body);
}

const withWarning = (text, failure) => {
  const warning = warningText(failure.warning);
  return warning ? `${text} The network said: "${warning}".` : text;
};

/**
 * A failed call (outgoing, or incoming before it was answered) as {title, text}; null when there is nothing to tell
 * (the user hung up or cancelled).
 * @param {{status?: number, reason?: string, cause?: string, warning?: string, body?: string, target?: string,
 *   originator?: string}} failure
 */
export function describeCallFailure(failure) {
  const status = failure.status ?? null;
  const who = failure.target || 'The person you called';
  if (failure.originator === 'local' && (failure.cause === 'Canceled' || failure.cause === 'Terminated')) {
    return null;
  }
  switch (status) {
    case 380:
      return isEmergencyRefusal(failure)
        ? { title: 'Emergency call not possible', text: EMERGENCY_TEXT, kind: 'emergency' }
        : { title: 'Call not possible', text: withWarning(imsXmlReason(failure.body) || 'The network offered another service for this call.', failure) };
    case 486:
    case 600:
      return { title: 'Busy', text: `${who} is busy. Try again later.`, kind: 'busy' };
    case 603:
      return { title: 'Call declined', text: `${who} declined the call.`, kind: 'declined' };
    case 404:
    case 604:
      return { title: 'Not found', text: `${who} does not exist: check the number or address.`, kind: 'not-found' };
    case 484:
      return { title: 'Incomplete number', text: 'The number is incomplete: check it and dial again.', kind: 'not-found' };
    case 410:
      return { title: 'Number changed', text: `${who} is no longer in service.`, kind: 'not-found' };
    case 408:
    case 480:
    case 487:
      return { title: 'No answer', text: `${who} did not answer.`, kind: 'no-answer' };
    case 403:
    case 488:
    case 606:
    case 503:
    case 405:
    case 501:
    case 415:
    case 420:
      return {
        title: 'Service not allowed',
        text: withWarning(status === 503
          ? 'The service is not available for this call right now.'
          : 'Your subscription or the network does not allow this call.', failure),
        kind: 'not-allowed',
      };
    case 401:
    case 407:
      return { title: 'Not signed in', text: 'The network asked for your credentials again: sign out and sign in.', kind: 'auth' };
    case 430:
      return { title: 'Connection lost', text: 'The connection to the service was lost: try again in a moment.', kind: 'connection' };
    default:
      break;
  }
  switch (failure.cause) {
    case 'No Answer':
    case 'Expires':
    case 'Request Timeout':
      return { title: 'No answer', text: `${who} did not answer.`, kind: 'no-answer' };
    case 'Connection Error':
      return { title: 'Connection lost', text: 'The connection to the service was lost during the call.', kind: 'connection' };
    case 'User Denied Media Access':
      return {
        title: 'No microphone',
        text: 'The browser did not allow the microphone (or camera). Allow it for this site and try again.',
        kind: 'media',
      };
    case 'ICE Failed':
    case 'RTP Timeout':
      return {
        title: 'No media connection',
        text: 'The browser could not open a media path to the service. Check your network (a firewall may block it) and try again.',
        kind: 'media',
      };
    case 'Incompatible SDP':
    case 'Bad Media Description':
    case 'WebRTC Error':
      return { title: 'Media failed', text: withWarning('The call could not agree on audio and video settings.', failure), kind: 'media' };
    case 'Busy':
      return { title: 'Busy', text: `${who} is busy. Try again later.`, kind: 'busy' };
    case 'Rejected':
      return { title: 'Call declined', text: `${who} declined the call.`, kind: 'declined' };
    case 'Not Found':
      return { title: 'Not found', text: `${who} does not exist: check the number or address.`, kind: 'not-found' };
    case 'Unavailable':
      return { title: 'Not available', text: `${who} cannot be reached right now.`, kind: 'no-answer' };
    case 'Canceled':
      return null;
    default:
      break;
  }
  if (status && status >= 500) {
    return { title: 'Service unavailable', text: withWarning(`The service could not complete the call (${status} ${failure.reason ?? ''}).`.replace(' )', ')'), failure), kind: 'server' };
  }
  const detail = status ? `${status} ${failure.reason ?? ''}`.trim() : failure.cause || 'unknown reason';
  return { title: 'Call failed', text: withWarning(`The call failed (${detail}).`, failure), kind: 'other' };
}

/**
 * A failed registration as {title, text}.
 * @param {{status?: number, reason?: string, cause?: string, warning?: string, identity?: string, wsUri?: string}} f
 */
export function describeRegistrationFailure(f) {
  const status = f.status ?? null;
  switch (status) {
    case 401:
    case 407:
    case 403:
      return {
        title: 'Wrong password',
        text: withWarning(`The network refused the password for ${f.identity || 'this identity'}. Check the password and the private identity.`, f),
        kind: 'credentials',
      };
    case 404:
      return { title: 'Unknown identity', text: `${f.identity || 'This identity'} is not known to the network.`, kind: 'credentials' };
    case 408:
    case 504:
      return { title: 'No answer from the network', text: withWarning('The IMS network did not answer the registration. Try again later.', f), kind: 'server' };
    case 503:
      return { title: 'Service unavailable', text: withWarning('The IMS network is not available right now. Try again later.', f), kind: 'server' };
    default:
      break;
  }
  if (f.cause === 'Connection Error' || f.cause === 'connection') {
    return { title: 'Cannot connect', text: `The service at ${f.wsUri || 'this site'} cannot be reached. Check your network connection.`, kind: 'connection' };
  }
  if (f.cause === 'Request Timeout') {
    return { title: 'No answer from the network', text: 'The registration got no answer. Try again later.', kind: 'server' };
  }
  const detail = status ? `${status} ${f.reason ?? ''}`.trim() : f.cause || 'unknown reason';
  return { title: 'Sign-in failed', text: withWarning(`The registration failed (${detail}).`, f), kind: 'other' };
}

/** A failed transfer (REFER refused, or the NOTIFY saying the new call failed). */
export function describeTransferFailure({ status, reason, target }) {
  if (status === 405 || status === 501 || status === 403 || status === 603) {
    return { title: 'Transfer not allowed', text: `The other party or the network does not allow transferring this call${status ? ` (${status})` : ''}.` };
  }
  const detail = status ? ` (${status} ${reason ?? ''})`.replace(' )', ')') : '';
  return { title: 'Transfer failed', text: `The call could not be transferred to ${target || 'that number'}${detail}. You are still in the call.` };
}
