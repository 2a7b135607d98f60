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
// Replies: {"id":2,"ok":true,"result":...} or {"id":2,"ok":false,"error":"...","data":{...},"console":[...]}.
// Unsolicited lines have no id: {"event":"ready","origin":"http://127.0.0.1:8099",...}, {"event":"pageCrashed",...}.
// Options: --port N (8099) --tone HZ|FILE|none (1000) --chromium PATH (/usr/bin/chromium); env HARNESS_PORT,
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
  port: Number(option('port', 'HARNESS_PORT', '8099')),
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

function consoleLine(entry, line) {
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
    entry.context = await browser.newContext({ permissions: ['microphone', 'camera'], viewport: { width: 1000, height: 700 } });
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

async function handle(request) {
  const op = request.op;
  const timeoutMs = Number(request.timeoutMs) || TIMEOUTS[op] || TIMEOUTS.eval;
  const what = `${op}${request.fn ? ` ${request.fn}` : ''}${request.page ? ` on page ${request.page}` : ''}`;
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
    default:
      throw new Error(`unknown op ${JSON.stringify(op)}`);
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
