// Console lines as plain text for the driver's log: JsSIP's debug output uses browser colour codes (%c) that
// read as noise there. Imported before JsSIP, whose loggers bind the console methods when they are created.

/** A console line as text: format directives applied, browser colour codes (%c, as JsSIP's debug uses) dropped. */
function plainText(format, args) {
  const rest = [...args];
  const show = (v) => {
    if (typeof v !== 'object' || v === null) {
      return String(v);
    }
    try {
      const json = JSON.stringify(v);
      return json.length > 2000 ? `${json.slice(0, 2000)}...` : json;
    } catch {
      return String(v);
    }
  };
  const text = String(format).replace(/%([csdifoOj%])/g, (match, kind) => {
    if (kind === '%') {
      return '%';
    }
    const value = rest.shift();
    return kind === 'c' ? '' : show(value);
  });
  return [text, ...rest.map(show)].join(' ');
}

// the driver logs console lines as text: make JsSIP's coloured debug lines readable there
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  const original = console[level].bind(console);
  console[level] = (first, ...rest) =>
    (typeof first === 'string' && first.includes('%c') ? original(plainText(first, rest)) : original(first, ...rest));
}
