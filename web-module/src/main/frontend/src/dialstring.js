// What the user typed in the dial field, as the target of a call or a transfer (pure: no DOM, no JsSIP).
//
//   "+49 30 1234-567", "tel:+49301234567"  -> a telephone number: sip:+49301234567@DOMAIN;user=phone
//   "112", "0301234"                        -> a local number:    sip:112@DOMAIN;user=phone
//   "bob", "bob@ims.example.test"           -> an address:        sip:bob@DOMAIN, sip:bob@ims.example.test
//   "sip:bob@host", "sips:bob@host"         -> as typed
//
// Numbers go as SIP URIs with user=phone (RFC 3261 §19.1.6, TS 24.229 §5.1.2A.1.1 allow it instead of a tel URI),
// since the JsSIP stack sends only SIP URIs. Local numbers carry no phone-context: the home network interprets them,
// and the emergency numbers among them are refused by the gateway itself (380).

const VISUAL_SEPARATORS = /[\s\-.()]/g;
const NUMBER = /^\+?[0-9*#]+$/;

/**
 * @param {string} input what the user typed
 * @param {string} domain the home network domain (for numbers and bare names); may be empty
 * @returns {{kind: 'number'|'address', uri: string, user: string, host: string, params: Object, display: string}
 *   | {error: string}}
 */
export function parseDialString(input, domain) {
  const text = String(input ?? '').trim();
  if (!text) {
    return { error: 'Enter a number or an address to call.' };
  }
  const scheme = /^(sips?|tel):/i.exec(text);
  if (scheme && scheme[1].toLowerCase() === 'tel') {
    return number(text.slice(4).split(';')[0], domain);
  }
  if (scheme) {
    return address(text.slice(scheme[0].length), domain, scheme[1].toLowerCase());
  }
  const digits = text.replace(VISUAL_SEPARATORS, '');
  if (!text.includes('@') && NUMBER.test(digits)) {
    return number(digits, domain);
  }
  return address(text, domain, 'sip');
}

function number(raw, domain) {
  const digits = raw.replace(VISUAL_SEPARATORS, '');
  if (!NUMBER.test(digits)) {
    return { error: `"${raw}" is not a telephone number.` };
  }
  if (!domain) {
    return { error: 'Numbers need the home network domain: enter a full address such as sip:user@domain.' };
  }
  return {
    kind: 'number',
    uri: `sip:${digits}@${domain};user=phone`,
    scheme: 'sip',
    user: digits,
    host: domain,
    params: { user: 'phone' },
    display: `tel:${digits}`,
  };
}

function address(rest, domain, scheme) {
  const [main, ...paramParts] = rest.split(';');
  const at = main.lastIndexOf('@');
  const user = at >= 0 ? main.slice(0, at) : main;
  const host = at >= 0 ? main.slice(at + 1) : domain;
  if (!user || /\s/.test(main)) {
    return { error: `"${rest}" is not an address: use user@domain or sip:user@domain.` };
  }
  if (!host) {
    return { error: `"${rest}" has no domain: use user@domain or sip:user@domain.` };
  }
  if (!/^[A-Za-z0-9.\-[\]:]+$/.test(host)) {
    return { error: `"${host}" is not a valid domain.` };
  }
  const params = {};
  for (const part of paramParts) {
    if (part) {
      const [key, value] = part.split('=');
      params[key.toLowerCase()] = value ?? null;
    }
  }
  const paramText = Object.entries(params).map(([k, v]) => (v === null ? `;${k}` : `;${k}=${v}`)).join('');
  const uri = `${scheme}:${user}@${host}${paramText}`;
  return { kind: 'address', uri, scheme, user, host, params, display: `${scheme}:${user}@${host}` };
}

/** A short name for a peer URI in lists and alerts: tel:+123 for user=phone URIs, else the URI without params. */
export function displayUri(uri) {
  const text = String(uri ?? '');
  const m = /^(sips?):([^@;]+)@([^;>]+)(.*)$/i.exec(text);
  if (!m) {
    return text;
  }
  if (/;user=phone/i.test(m[4]) || NUMBER.test(m[2])) {
    return `tel:${m[2]}`;
  }
  return `${m[1].toLowerCase()}:${m[2]}@${m[3]}`;
}
