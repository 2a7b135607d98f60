// IMS identities entered at sign-in and the defaults the page derives from where it was loaded (pure).

/**
 * The home network domain to prefill: ?domain= in the page URL, else the <meta name="wwsf-ims-domain"> of the page
 * (an operator may set it in index.html), else the page's host name when it is a DNS name. An IP address or
 * "localhost" says nothing about the domain: then none.
 */
export function defaultDomain({ search = '', metaDomain = '', hostname = '' } = {}) {
  const fromQuery = new URLSearchParams(search).get('domain');
  if (fromQuery && fromQuery.trim()) {
    return fromQuery.trim().toLowerCase();
  }
  if (metaDomain && metaDomain.trim()) {
    return metaDomain.trim().toLowerCase();
  }
  const host = String(hostname).toLowerCase().replace(/^\[|\]$/g, '');
  if (!host || host === 'localhost' || !host.includes('.') || /^[0-9.]+$/.test(host) || host.includes(':')) {
    return '';
  }
  return host;
}

/** The WebSocket URI of the signalling on the page's own origin: wss when the page is https (RFC 7118). */
export function signallingUri(location) {
  const url = new URL('sip', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  return url.toString();
}

/**
 * A public identity as a SIP URI: "alice" -> sip:alice@DOMAIN, "alice@d" -> sip:alice@d, "sip:alice@d" as is.
 * @returns {{uri: string, user: string, domain: string} | {error: string}}
 */
export function normalizePublicIdentity(input, domain) {
  let text = String(input ?? '').trim();
  if (!text) {
    return { error: 'Enter your public identity (for example sip:alice@ims.example.test).' };
  }
  if (/^tel:/i.test(text)) {
    return { error: 'Sign in with your SIP public identity (sip:user@domain), not a tel URI.' };
  }
  text = text.replace(/^sips?:/i, '');
  const at = text.lastIndexOf('@');
  const user = at >= 0 ? text.slice(0, at) : text;
  const host = at >= 0 ? text.slice(at + 1) : domain;
  if (!user || /[\s<>"]/.test(user)) {
    return { error: `"${input}" is not a valid public identity.` };
  }
  if (!host) {
    return { error: 'Your public identity needs a domain: sip:user@domain.' };
  }
  if (!/^[A-Za-z0-9.\-]+$/.test(host)) {
    return { error: `"${host}" is not a valid domain.` };
  }
  return { uri: `sip:${user}@${host.toLowerCase()}`, user, domain: host.toLowerCase() };
}

/** The private identity to prefill for a public one (user@domain, the demo core's convention; editable). */
export function defaultPrivateIdentity(publicUri) {
  const m = /^sips?:([^@]+@[^;>]+)/i.exec(String(publicUri ?? ''));
  return m ? m[1] : '';
}
