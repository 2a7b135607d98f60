// Drives headless Chromium pages that run the harness (harness.js), for tests written in another language.
//
// Protocol: one JSON object per line on stdin, one JSON reply per line on stdout (replies carry the request's id;
// they may come out of order, since requests run concurrently). Logs, and the pages' console, go to stderr.
//   {"id":1,"op":"open","page":"alice"}                     a page in a new browser context; "tone" optional:
//                                                            Hz (e.g. 440) or a WAV path or "none" (Chrome's beep)
//   {"id":2,"op":"eval","page":"alice","fn":"register","args":[{...}],"timeoutMs":15000}
//                                                            await window.harness[fn](...args)
//   {"id":3,"op":"screenshot","page":"alice","path":"/tmp/a.png"}
//   {"id":4,"op":"console","page":"alice"}                  the page's recent console lines
//   {"id":5,"op":"closePage","page":"alice"}
//   {"id":6,"op":"ping"}
//   {"id":7,"op":"close"}                                   closes everything, replies, exits
// Pages of any site (e.g. the gateway's own softphone): "open" with "url" loads that page instead of the harness
// ("traceWebSocket": true logs every WebSocket frame of the page, i.e. its SIP messages, with its console);
// then generic steps act on it (selector: a Playwright selector; each waits at most timeoutMs):
//   {"op":"goto","page":"p","url":"http://..."}   {"op":"click","page":"p","selector":"#call"}
//   {"op":"fill","page":"p","selector":"#to","value":"112"}   {"op":"press","page":"p","selector":"#to","key":"Enter"}
//   {"op":"check"|"uncheck","page":"p","selector":"#remember"}
//   {"op":"textContent"|"isVisible"|"isEnabled","page":"p","selector":"#status"}
//   {"op":"getAttribute","page":"p","selector":"#x","name":"data-state"}
//   {"op":"waitForSelector","page":"p","selector":"#x[data-state=active]","state":"visible"}
//   {"op":"waitForFunction","page":"p","fn":"(arg) => ...","arg":...}   until the function returns a truthy value
//   {"op":"evaluate","page":"p","fn":"async (arg) => ...","arg":...}   its JSON result
//   {"op":"setOffline","page":"p","offline":true}                       the page's network cut or restored
// Replies: {"id":2,"ok":true,"result":...} or {"id":2,"ok":false,"error":"...","data":{...},"console":[...]}.
// Unsolicited lines have no id: {"event":"ready","origin":"http://127.0.0.1:8197",...}, {"event":"pageCrashed",...}.
// Options: --port N (8197) --tone HZ|FILE|none (1000) --chromium PATH (/usr/bin/chromium); env HARNESS_PORT,
// HARNESS_TONE, CHROMIUM_PATH. End of stdin means close.
import { mkdtempSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import { toneWav } from './tone.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const CHROMIUM_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

const TIMEOUTS = { launch: 30000, open: 30000, eval: 15000, screenshot: 15000, closePage: 10000, close: 15000 };
const CONSOLE_LINES = 200;
const CONSOLE_IN_ERRORS = 25;

function option(name, envName, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  if (index > 0 && index + 1 < process.argv.length) {
    return process.argv[index + 1];
  }
  return process.env[envName] || fallback;
}

const config = {
  port: Number(option('port', 'HARNESS_PORT', '8197')),
  tone: option('tone', 'HARNESS_TONE', '1000'),
  chromium: option('chromium', 'CHROMIUM_PATH', '/usr/bin/chromium'),
};

const log = (line) => process.stderr.write(`[driver] ${line}\n`);
const send = (object) => process.stdout.write(`${JSON.stringify(object)}\n`);

class StepTimeout extends Error {}

/** Every browser step has a watchdog: a step that gives no outcome within ms rejects with a clear message. */
function watchdog(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeout(`${what}: no outcome within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

let toneDir = null;

/** A WAV file for the fake microphone: a path as given, a generated tone for a number of Hz, or none. */
function audioFileFor(tone) {
  if (tone === undefined || tone === null || tone === '') {
    tone = config.tone;
  }
  tone = String(tone);
  if (tone === 'none') {
    return null;
  }
  if (/^\d+(\.\d+)?$/.test(tone)) {
    const built = join(here, 'dist', `tone-${tone}.wav`);
    if (existsSync(built)) {
      return built;
    }
    toneDir = toneDir || mkdtempSync(join(tmpdir(), 'harness-tones-'));
    const file = join(toneDir, `tone-${tone}.wav`);
    if (!existsSync(file)) {
      writeFileSync(file, toneWav(Number(tone)));
    }
    return file;
  }
  const file = isAbsolute(tone) ? tone : resolve(tone);
  if (!existsSync(file)) {
    throw new Error(`tone file ${file} does not exist`);
  }
  return file;
}

// one browser per fake-microphone file (a launch flag); playwright gives each a fresh temporary user-data-dir
const browsers = new Map();
const pages = new Map();
let server = null;
let closing = false;

function browserFor(audioFile) {
  const key = audioFile || 'none';
  if (!browsers.has(key)) {
    const args = [...CHROMIUM_FLAGS];
    if (audioFile) {
      args.push(`--use-file-for-fake-audio-capture=${audioFile}`);
    }
    log(`launching ${config.chromium} (${key})`);
    const launching = watchdog(chromium.launch({
      executablePath: config.chromium,
      headless: true,
      args,
      ignoreDefaultArgs: ['--mute-audio'],
      timeout: TIMEOUTS.launch,
    }), TIMEOUTS.launch + 2000, 'launching Chromium').then((browser) => {
      log(`Chromium ${browser.version()} up (${key})`);
      browser.on('disconnected', () => {
        browsers.delete(key);
        if (!closing) {
          log(`Chromium (${key}) disconnected unexpectedly`);
          for (const [name, entry] of pages) {
            if (entry.browserKey === key) {
              entry.dead = 'its browser disconnected';
              send({ event: 'pageCrashed', page: name, reason: entry.dead });
            }
          }
        }
      });
      return browser;
    });
    launching.catch(() => browsers.delete(key));
    browsers.set(key, launching);
  }
  return browsers.get(key);
}

/** Tokens never reach a log (issue 11): a Bearer credential or an access token in a line is replaced. */
function redacted(line) {
  return String(line)
    .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi, '$1[token]')
    .replace(/("(?:access|refresh|subject)_token"\s*:\s*")[^"]*/g, '$1[token]');
}

function consoleLine(entry, rawLine) {
  const line = redacted(rawLine);
  entry.console.push(line);
  if (entry.console.length > CONSOLE_LINES) {
    entry.console.shift();
  }
  // every line of a multi-line message (a whole SIP message in JsSIP's debug output) carries the page name
  process.stderr.write(line.split(/\r?\n/).map((part) => `[${entry.name}] ${part}\n`).join(''));
}

async function openPage(request) {
  const name = request.page;
  if (pages.has(name)) {
    throw new Error(`page ${name} is already open`);
  }
  const audioFile = audioFileFor(request.tone);
  const entry = { name, console: [], browserKey: audioFile || 'none', dead: null, context: null, page: null };
  let opened;
  entry.opened = new Promise((resolve) => {
    opened = resolve;
  });
  entry.queue = entry.opened;
  pages.set(name, entry);
  try {
    const browser = await browserFor(audioFile);
    entry.context = await browser.newContext({
      permissions: ['microphone', 'camera'],
      viewport: { width: 1000, height: 700 },
      // admin pages: the test server's self-signed https and its Basic login
      ...(request.httpCredentials ? { httpCredentials: request.httpCredentials, ignoreHTTPSErrors: true } : {}),
    });
    const page = await entry.context.newPage();
    entry.page = page;
    page.on('console', (message) => consoleLine(entry, `${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => consoleLine(entry, `pageerror: ${error.message}`));
    page.on('requestfailed', (req) => consoleLine(entry, `requestfailed: ${req.url()} ${req.failure()?.errorText || ''}`));
    page.on('crash', () => {
      entry.dead = 'the page crashed';
      consoleLine(entry, 'CRASHED');
      send({ event: 'pageCrashed', page: name, reason: entry.dead });
    });
    if (request.traceWebSocket) {
      // every WebSocket frame (SIP messages) into the page's log lines, for reading after a failure
      page.on('websocket', (ws) => {
        consoleLine(entry, `websocket open ${ws.url()}`);
        ws.on('framesent', (f) => consoleLine(entry, `ws >>> ${f.payload}`));
        ws.on('framereceived', (f) => consoleLine(entry, `ws <<< ${f.payload}`));
        ws.on('close', () => consoleLine(entry, `websocket closed ${ws.url()}`));
      });
    }
    if (request.url) {
      // any page (e.g. the gateway's softphone): no harness in it, only the generic steps below act on it
      await page.goto(request.url, { timeout: TIMEOUTS.open });
      opened(true);
      return { page: name, url: page.url(), audioFile, chromium: browser.version() };
    }
    await page.goto(`${server.origin}/harness.html?name=${encodeURIComponent(name)}`, { timeout: TIMEOUTS.open });
    await page.waitForFunction(() => window.harness && window.harness.version, null, { timeout: TIMEOUTS.open });
    const version = await page.evaluate(() => window.harness.version);
    opened(true);
    return { page: name, url: page.url(), jssip: version, audioFile, chromium: browser.version() };
  } catch (error) {
    pages.delete(name);
    entry.dead = `it could not be opened: ${error.message}`;
    opened(false);
    await entry.context?.close().catch(() => {});
    throw error;
  }
}

/** The open page a request names; waits while that page is still opening. */
async function pageEntry(request) {
  let entry = pages.get(request.page);
  if (entry && !entry.page) {
    await entry.opened;
    entry = pages.get(request.page);
  }
  if (!entry || !entry.page) {
    throw new Error(`no open page ${JSON.stringify(request.page)} (open: ${[...pages.keys()].join(', ') || 'none'})`);
  }
  if (entry.dead) {
    throw new Error(`page ${request.page} is gone: ${entry.dead}`);
  }
  return entry;
}

async function evaluate(request) {
  const entry = await pageEntry(request);
  if (typeof request.fn !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(request.fn)) {
    throw new Error(`bad harness function name ${JSON.stringify(request.fn)}`);
  }
  const args = Array.isArray(request.args) ? request.args : [];
  const outcome = await entry.page.evaluate(async ({ fn, args: callArgs }) => {
    const harness = window.harness;
    if (!harness || typeof harness[fn] !== 'function') {
      return { ok: false, error: `window.harness.${fn} is not a function` };
    }
    try {
      const value = await harness[fn](...callArgs);
      return { ok: true, result: value === undefined ? null : JSON.parse(JSON.stringify(value)) };
    } catch (error) {
      return {
        ok: false,
        error: (error && error.message) || String(error),
        data: error && error.data ? JSON.parse(JSON.stringify(error.data)) : null,
      };
    }
  }, { fn: request.fn, args });
  return outcome;
}

/**
 * Runs the steps for one page one after the other, in the order they arrived (unless the request says
 * "parallel": true). The watchdog counts from arrival, so a reply always comes within timeoutMs; a step whose
 * watchdog fired while it waited its turn is skipped, and one that timed out no longer holds up the next.
 */
function inTurn(request, timeoutMs, what, step) {
  const entry = pages.get(request.page);
  if (!entry || request.parallel) {
    return watchdog(step(), timeoutMs, what);
  }
  let expired = false;
  const run = entry.queue.then(() => (expired ? Promise.reject(new StepTimeout(`${what}: skipped`)) : step()));
  const watched = watchdog(run, timeoutMs, what).catch((error) => {
    expired = true;
    throw error;
  });
  // the next step waits for this one's reply, not for an abandoned evaluation still running in the page
  entry.queue = watched.catch(() => {});
  return watched;
}

/** A function sent as source text, made in node and run in the page by Playwright (not eval: CSP may forbid it). */
function pageFunction(source) {
  if (typeof source !== 'string' || !source.trim()) {
    throw new Error('fn: the source of a function is required');
  }
  // eslint-disable-next-line no-new-func
  const fn = new Function(`return (${source});`)();
  if (typeof fn !== 'function') {
    throw new Error('fn is not a function');
  }
  return fn;
}

function selectorOf(request) {
  if (typeof request.selector !== 'string' || !request.selector) {
    throw new Error(`${request.op}: a selector is required`);
  }
  return request.selector;
}

/** The generic steps on any page (see the protocol above); null for an op that is not one of them. */
function genericStep(request, timeoutMs) {
  // Playwright's own wait ends a little before the watchdog, so its message (what it waited for) is the reply
  const wait = Math.max(500, timeoutMs - 500);
  const ok = (result) => ({ ok: true, result: result === undefined ? null : result });
  const on = async (fn) => fn((await pageEntry(request)).page);
  switch (request.op) {
    case 'goto':
      return () => on(async (page) => {
        const response = await page.goto(request.url, { timeout: wait });
        return ok({ url: page.url(), status: response ? response.status() : null });
      });
    case 'click':
      return () => on(async (page) => ok(await page.locator(selectorOf(request)).click({ timeout: wait })));
    case 'fill':
      return () => on(async (page) => ok(await page.locator(selectorOf(request)).fill(String(request.value ?? ''), { timeout: wait })));
    case 'press':
      return () => on(async (page) => ok(await page.locator(selectorOf(request)).press(String(request.key), { timeout: wait })));
    case 'check':
      return () => on(async (page) => ok(await page.locator(selectorOf(request)).check({ timeout: wait })));
    case 'uncheck':
      return () => on(async (page) => ok(await page.locator(selectorOf(request)).uncheck({ timeout: wait })));
    case 'textContent':
      return () => on(async (page) => ok(await page.locator(selectorOf(request)).textContent({ timeout: wait })));
    case 'getAttribute':
      return () => on(async (page) => ok(await page.locator(selectorOf(request)).getAttribute(String(request.name), { timeout: wait })));
    case 'isVisible':
      return () => on(async (page) => ok(await page.locator(selectorOf(request)).first().isVisible()));
    case 'isEnabled':
      return () => on(async (page) => ok(await page.locator(selectorOf(request)).isEnabled({ timeout: wait })));
    case 'waitForSelector':
      return () => on(async (page) => {
        await page.locator(selectorOf(request)).first().waitFor({ state: request.state || 'visible', timeout: wait });
        return ok(true);
      });
    case 'waitForFunction':
      return () => on(async (page) => {
        const handle = await page.waitForFunction(pageFunction(request.fn), request.arg ?? null, { timeout: wait, polling: 100 });
        const value = await handle.jsonValue().catch(() => true);
        await handle.dispose();
        return ok(value);
      });
    case 'evaluate':
      return () => on(async (page) => ok(await page.evaluate(pageFunction(request.fn), request.arg ?? null)));
    case 'setOffline':
      return async () => {
        const entry = await pageEntry(request);
        await entry.context.setOffline(!!request.offline);
        return ok({ offline: !!request.offline });
      };
    default:
      return null;
  }
}

async function handle(request) {
  const op = request.op;
  const timeoutMs = Number(request.timeoutMs) || TIMEOUTS[op] || TIMEOUTS.eval;
  const detail = op === 'eval' && request.fn ? ` ${request.fn}` : request.selector ? ` ${request.selector}` : '';
  const what = `${op}${detail}${request.page ? ` on page ${request.page}` : ''}`;
  switch (op) {
    case 'open':
      return { ok: true, result: await watchdog(openPage(request), timeoutMs, what) };
    case 'eval':
      return inTurn(request, timeoutMs, what, () => evaluate(request));
    case 'screenshot':
      return inTurn(request, timeoutMs, what, async () => {
        const entry = await pageEntry(request);
        await entry.page.screenshot({ path: request.path, fullPage: true });
        return { ok: true, result: { path: request.path } };
      });
    case 'console':
      return { ok: true, result: (pages.get(request.page) || { console: [] }).console.slice(-(request.lines || 50)) };
    case 'closePage': {
      const entry = pages.get(request.page);
      pages.delete(request.page);
      if (entry && entry.context) {
        await watchdog(entry.context.close(), timeoutMs, what).catch((error) => log(`${what}: ${error.message}`));
      }
      return { ok: true, result: { closed: !!entry } };
    }
    case 'ping':
      return { ok: true, result: { pages: [...pages.keys()], origin: server.origin } };
    case 'close':
      return { ok: true, result: { closing: true }, after: shutdown };
    default: {
      const step = genericStep(request, timeoutMs);
      if (!step) {
        throw new Error(`unknown op ${JSON.stringify(op)}`);
      }
      return inTurn(request, timeoutMs, what, step);
    }
  }
}

async function onLine(line) {
  if (!line.trim()) {
    return;
  }
  let request;
  try {
    request = JSON.parse(line);
  } catch (error) {
    send({ id: null, ok: false, error: `bad request (not JSON): ${error.message}` });
    return;
  }
  const id = request.id ?? null;
  let reply;
  try {
    reply = await handle(request);
  } catch (error) {
    reply = { ok: false, error: error.message || String(error) };
  }
  if (!reply.ok && request.page && pages.has(request.page)) {
    reply.console = pages.get(request.page).console.slice(-CONSOLE_IN_ERRORS);
  }
  const { after, ...body } = reply;
  send({ id, ...body });
  if (after) {
    await after(0);
  }
}

async function shutdown(code = 0) {
  if (closing) {
    return;
  }
  closing = true;
  setTimeout(() => {
    log('shutdown watchdog: exiting without a clean close');
    process.exit(code || 1);
  }, TIMEOUTS.close).unref();
  for (const entry of pages.values()) {
    await watchdog(entry.context ? entry.context.close() : Promise.resolve(), 5000, `closing page ${entry.name}`)
      .catch((error) => log(error.message));
  }
  pages.clear();
  for (const launching of browsers.values()) {
    await watchdog(launching.then((browser) => browser.close()), 8000, 'closing Chromium')
      .catch((error) => log(error.message));
  }
  browsers.clear();
  if (server) {
    await server.close();
  }
  if (toneDir) {
    rmSync(toneDir, { recursive: true, force: true });
  }
  log('closed');
  process.exit(code);
}

process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));
process.on('unhandledRejection', (error) => log(`unhandled rejection: ${error && error.stack ? error.stack : error}`));

if (!existsSync(join(here, 'dist', 'harness.bundle.js'))) {
  log('dist/harness.bundle.js is missing: run `npm ci && npm run build` first');
  process.exit(2);
}
if (!existsSync(config.chromium)) {
  log(`no Chromium at ${config.chromium}`);
  process.exit(2);
}
try {
  server = await startServer({ port: config.port });
} catch (error) {
  log(error.message);
  send({ event: 'failed', error: error.message });
  process.exit(3);
}
log(`serving the harness on ${server.origin}`);
const input = createInterface({ input: process.stdin, crlfDelay: Infinity });
input.on('line', (line) => {
  onLine(line).catch((error) => log(`request failed: ${error.stack || error}`));
});
input.on('close', () => shutdown(0));
send({ event: 'ready', origin: server.origin, pid: process.pid, chromium: config.chromium, tone: config.tone });
