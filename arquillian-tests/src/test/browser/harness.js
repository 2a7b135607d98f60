// A WebRTC IMS client for black-box tests: one JsSIP user agent per page, exposed as window.harness.
//
// Every method is async and resolves with plain JSON (or rejects with an Error whose `data` holds the SIP status
// and cause). What happens on the wire is recorded in harness.events(): tests wait on it with waitEvent().
// Media is measured with RTCPeerConnection.getStats() and a WebAudio AnalyserNode on the remote audio.
import './plain-console.js'; // first: JsSIP binds console methods when it loads
import JsSIP from 'jssip';

const MAX_EVENTS = 2000;
const t0 = performance.now();
const events = [];
let seq = 0;
const waiters = new Set();

let ua = null;
let uaOptions = {};
let nextCallNumber = 1;
const calls = new Map(); // our call id ("c1", "c2", ...) -> CallEntry
const entryOfSession = new WeakMap();
const attachedPcs = new WeakSet();
let audioContext = null;

// ---------------------------------------------------------------------------------------------------------------
// events

function record(type, fields = {}) {
  const event = { seq: seq++, t: Math.round(performance.now() - t0), type, ...fields };
  events.push(event);
  if (events.length > MAX_EVENTS) {
    events.splice(0, events.length - MAX_EVENTS);
  }
  render(event);
  for (const waiter of [...waiters]) {
    if (waiter.matches(event)) {
      waiter.resolve(event);
    }
  }
  return event;
}

function render(event) {
  const log = document.getElementById('events');
  if (!log) {
    return;
  }
  const { seq: s, t, type, ...rest } = event;
  const line = document.createElement('div');
  line.textContent = `${String(s).padStart(3)} ${String(t).padStart(7)}ms ${type} ${JSON.stringify(rest)}`;
  log.appendChild(line);
  while (log.childNodes.length > 40) {
    log.removeChild(log.firstChild);
  }
  const state = document.getElementById('state');
  if (state) {
    state.textContent = describeState();
  }
}

function describeState() {
  const registered = ua ? ua.isRegistered() : false;
  const active = [...calls.values()].filter((c) => !c.ended).map((c) => `${c.id}:${c.direction}`);
  return `${uaOptions.uri || '(no UA)'} registered=${registered} calls=[${active.join(', ')}]`;
}

function failure(message, data = {}) {
  const error = new Error(message);
  error.data = data;
  return error;
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(failure(`${what}: no outcome within ${ms} ms`, { cause: 'timeout' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function statusOf(message) {
  return message && typeof message.status_code === 'number' ? message.status_code : null;
}

function reasonOf(message) {
  return message && message.reason_phrase ? message.reason_phrase : null;
}

// ---------------------------------------------------------------------------------------------------------------
// SDP: keep only loopback candidates (Chrome gathers on every interface; everything in the tests is on 127.0.0.1)

function filterCandidates(sdp, keep) {
  if (keep === 'all') {
    return sdp;
  }
  const lines = sdp.split(/\r\n/);
  const sections = [];
  let current = [];
  for (const line of lines) {
    if (line.startsWith('m=')) {
      sections.push(current);
      current = [];
    }
    current.push(line);
  }
  sections.push(current);
  const out = [];
  sections.forEach((section, index) => {
    if (index === 0) {
      out.push(...section);
      return;
    }
    const kept = section.filter((line) => !line.startsWith('a=candidate:') || isLoopbackCandidate(line));
    const first = kept.find((line) => line.startsWith('a=candidate:') && / udp /i.test(line));
    if (first) {
      const parts = first.split(' ');
      const address = parts[4];
      const port = parts[5];
      for (let i = 0; i < kept.length; i++) {
        if (kept[i].startsWith('m=')) {
          const m = kept[i].split(' ');
          m[1] = port;
          kept[i] = m.join(' ');
        } else if (kept[i].startsWith('c=IN IP4 ')) {
          kept[i] = `c=IN IP4 ${address}`;
        }
      }
    }
    out.push(...kept);
  });
  return out.join('\r\n');
}

function isLoopbackCandidate(line) {
  const address = line.split(' ')[4] || '';
  return address.startsWith('127.');
}

// ---------------------------------------------------------------------------------------------------------------
// media

function context() {
  if (!audioContext) {
    audioContext = new AudioContext();
  }
  if (audioContext.state !== 'running') {
    audioContext.resume().catch(() => {});
  }
  return audioContext;
}

/** The local stream: the fake capture device (a WAV file when the browser was given one) or a generated tone. */
async function localMedia(options = {}) {
  const video = !!options.video;
  if (options.toneHz) {
    const ctx = context();
    const oscillator = ctx.createOscillator();
    oscillator.frequency.value = Number(options.toneHz);
    const gain = ctx.createGain();
    gain.gain.value = 0.5;
    const destination = ctx.createMediaStreamDestination();
    oscillator.connect(gain).connect(destination);
    oscillator.start();
    const stream = destination.stream;
    if (video) {
      const camera = await navigator.mediaDevices.getUserMedia({ video: true });
      camera.getVideoTracks().forEach((track) => stream.addTrack(track));
    }
    return stream;
  }
  return navigator.mediaDevices.getUserMedia({ audio: true, video });
}

function attachRemote(entry, stream) {
  entry.remoteStream = stream;
  if (!entry.audioElement) {
    // Chrome only feeds a remote WebRTC stream into WebAudio while a media element plays it
    entry.audioElement = document.createElement('audio');
    entry.audioElement.autoplay = true;
    entry.audioElement.id = `remote-${entry.id}`;
    document.body.appendChild(entry.audioElement);
  }
  entry.audioElement.srcObject = stream;
  entry.audioElement.play().catch((error) => record('audioPlayFailed', { callId: entry.id, error: String(error) }));
}

function attachPc(entry, pc, role = 'session') {
  if (!pc || attachedPcs.has(pc)) {
    return;
  }
  attachedPcs.add(pc);
  if (role !== 'sender') {
    entry.pc = entry.pc || pc;
    entry.inboundPc = pc;
  }
  if (role !== 'receiver') {
    entry.outboundPc = pc;
  }
  pc.addEventListener('track', (e) => {
    record('track', { callId: entry.id, kind: e.track.kind });
    if (e.track.kind === 'audio') {
      attachRemote(entry, e.streams && e.streams[0] ? e.streams[0] : new MediaStream([e.track]));
    }
  });
  const tag = role === 'session' ? {} : { pc: role };
  pc.addEventListener('iceconnectionstatechange', () =>
    record('iceConnectionState', { callId: entry.id, ...tag, state: pc.iceConnectionState }));
  pc.addEventListener('connectionstatechange', () =>
    record('connectionState', { callId: entry.id, ...tag, state: pc.connectionState }));
}

function remoteAudioStream(entry) {
  if (entry.remoteStream && entry.remoteStream.getAudioTracks().length) {
    return entry.remoteStream;
  }
  const pc = entry.inboundPc || entry.pc;
  if (pc) {
    const tracks = pc.getReceivers().map((r) => r.track).filter((t) => t && t.kind === 'audio');
    if (tracks.length) {
      const stream = new MediaStream(tracks);
      attachRemote(entry, stream);
      return stream;
    }
  }
  return null;
}

async function collectStats(entry) {
  const outPc = entry.outboundPc || entry.pc;
  const inPc = entry.inboundPc || entry.pc;
  if (!outPc && !inPc) {
    throw failure(`call ${entry.id} has no peer connection`);
  }
  const result = {
    callId: entry.id,
    outboundPackets: 0,
    outboundBytes: 0,
    inboundPackets: 0,
    inboundBytes: 0,
    packetsLost: 0,
    jitter: null,
    inboundAudioEnergy: 0,
    totalSamplesReceived: 0,
    audioLevel: null,
    codec: null,
    outboundCodec: null,
    selectedPair: null,
    iceConnectionState: (inPc || outPc).iceConnectionState,
  };
  const codecName = (report, id) => {
    const codec = id && report.get(id);
    return codec ? `${codec.mimeType.replace(/^audio\//, '')}/${codec.clockRate}` : null;
  };
  if (outPc) {
    const report = await outPc.getStats();
    report.forEach((s) => {
      if (s.type === 'outbound-rtp' && s.kind === 'audio') {
        result.outboundPackets += s.packetsSent || 0;
        result.outboundBytes += s.bytesSent || 0;
        result.outboundCodec = result.outboundCodec || codecName(report, s.codecId);
      }
    });
  }
  if (inPc) {
    const report = await inPc.getStats();
    report.forEach((s) => {
      if (s.type === 'inbound-rtp' && s.kind === 'audio') {
        result.inboundPackets += s.packetsReceived || 0;
        result.inboundBytes += s.bytesReceived || 0;
        result.packetsLost += s.packetsLost || 0;
        result.jitter = s.jitter ?? result.jitter;
        result.inboundAudioEnergy += s.totalAudioEnergy || 0;
        result.totalSamplesReceived += s.totalSamplesReceived || 0;
        result.audioLevel = s.audioLevel ?? result.audioLevel;
        result.codec = result.codec || codecName(report, s.codecId);
      }
      if (s.type === 'candidate-pair' && s.nominated && s.state === 'succeeded') {
        const local = report.get(s.localCandidateId);
        const remote = report.get(s.remoteCandidateId);
        result.selectedPair = {
          local: local ? `${local.address}:${local.port}/${local.protocol}` : null,
          remote: remote ? `${remote.address}:${remote.port}/${remote.protocol}` : null,
        };
      }
    });
  }
  return result;
}

/**
 * Dominant frequency of the remote audio: averages the power spectrum of an AnalyserNode over sampleMs and picks the
 * strongest bin above 60 Hz, refined by parabolic interpolation. frequency is 0 when the peak is below minDb.
 */
async function analyseTone(entry, options = {}) {
  const stream = remoteAudioStream(entry);
  if (!stream) {
    throw failure(`call ${entry.id} has no remote audio track`);
  }
  const sampleMs = options.sampleMs || 600;
  const minDb = options.minDb ?? -90;
  const ctx = context();
  await ctx.resume();
  const source = ctx.createMediaStreamSource(stream);
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 16384;
  analyser.smoothingTimeConstant = 0;
  source.connect(analyser);
  const bins = analyser.frequencyBinCount;
  const power = new Float64Array(bins);
  const frame = new Float32Array(bins);
  let frames = 0;
  try {
    await sleep(Math.min(400, sampleMs)); // let the analyser's window fill
    const end = performance.now() + sampleMs;
    while (performance.now() < end || frames === 0) {
      analyser.getFloatFrequencyData(frame);
      for (let i = 0; i < bins; i++) {
        power[i] += Number.isFinite(frame[i]) ? 10 ** (frame[i] / 10) : 0;
      }
      frames++;
      await sleep(100);
    }
  } finally {
    source.disconnect();
  }
  const binHz = ctx.sampleRate / analyser.fftSize;
  const first = Math.ceil(60 / binHz);
  let peak = first;
  for (let i = first; i < bins - 1; i++) {
    if (power[i] > power[peak]) {
      peak = i;
    }
  }
  const db = (p) => 10 * Math.log10(p / frames || 1e-30);
  const peakDb = db(power[peak]);
  let offset = 0;
  if (peak > 0 && peak < bins - 1) {
    const a = db(power[peak - 1]);
    const b = peakDb;
    const c = db(power[peak + 1]);
    const denominator = a - 2 * b + c;
    offset = denominator !== 0 ? (0.5 * (a - c)) / denominator : 0;
  }
  const frequency = peakDb >= minDb ? Math.round((peak + offset) * binHz * 10) / 10 : 0;
  return { callId: entry.id, frequency, peakDb: Math.round(peakDb * 10) / 10, frames, binHz, sampleRate: ctx.sampleRate };
}

/**
 * On and off of the remote audio over durationMs (a tone's cadence, ITU-T E.180): the RMS of the last ~10 ms of the
 * remote track, every 10 ms, is on above a third of its peak. Returns the runs in order (the first, cut by the window's
 * start, left out) and the median on and off lengths; energy is the mean RMS, for announcements.
 */
async function cadenceAnalysis(options = {}) {
  const entry = entryFor(options.callId, (c) => !!(c.pc || c.inboundPc));
  const stream = remoteAudioStream(entry);
  if (!stream) {
    throw failure(`call ${entry.id} has no remote audio track`);
  }
  const durationMs = options.durationMs || 3000;
  const ctx = context();
  await ctx.resume();
  const source = ctx.createMediaStreamSource(stream);
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 512;
  source.connect(analyser);
  const frame = new Float32Array(analyser.fftSize);
  const samples = [];
  try {
    const start = performance.now();
    while (performance.now() - start < durationMs) {
      analyser.getFloatTimeDomainData(frame);
      let sum = 0;
      for (const v of frame) {
        sum += v * v;
      }
      samples.push({ t: performance.now() - start, rms: Math.sqrt(sum / frame.length) });
      await sleep(10);
    }
  } finally {
    source.disconnect();
  }
  const peak = samples.reduce((m, x) => Math.max(m, x.rms), 0);
  const runs = [];
  let on = null;
  let since = 0;
  for (const x of samples) {
    const now = x.rms > peak / 3;
    if (on === null) {
      on = now;
      since = x.t;
    } else if (now !== on) {
      runs.push({ on, ms: Math.round(x.t - since) });
      on = now;
      since = x.t;
    }
  }
  const inner = runs.slice(1);
  const median = (xs) => (xs.length ? xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] : 0);
  const energy = samples.reduce((m, x) => m + x.rms, 0) / Math.max(1, samples.length);
  return {
    callId: entry.id,
    peak: Math.round(peak * 1000) / 1000,
    energy: Math.round(energy * 10000) / 10000,
    onMs: median(inner.filter((r) => r.on).map((r) => r.ms)),
    offMs: median(inner.filter((r) => !r.on).map((r) => r.ms)),
    runs,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// calls

function entryFor(callId, predicate = () => true) {
  if (callId) {
    const entry = calls.get(callId);
    if (!entry) {
      throw failure(`no call ${callId}`);
    }
    return entry;
  }
  const all = [...calls.values()].reverse();
  const entry = all.find((c) => !c.ended && predicate(c)) || all.find(predicate);
  if (!entry) {
    throw failure('no call');
  }
  return entry;
}

function sessionOf(entry) {
  if (!entry.session) {
    throw failure(`call ${entry.id} is not a SIP session`);
  }
  return entry.session;
}

function newEntry(direction, session) {
  const entry = {
    id: `c${nextCallNumber++}`,
    direction,
    session,
    pc: null,
    inboundPc: null,
    outboundPc: null,
    remoteStream: null,
    audioElement: null,
    localStream: null,
    ended: false,
    localSdp: null,
    remoteSdp: null,
  };
  calls.set(entry.id, entry);
  if (session) {
    entryOfSession.set(session, entry);
  }
  return entry;
}

function watchSession(session, originator, request) {
  const entry = newEntry(originator === 'remote' ? 'incoming' : 'outgoing', session);
  const id = entry.id;
  record('newRTCSession', {
    callId: id,
    originator,
    direction: entry.direction,
    sipCallId: request ? request.call_id : null,
    from: session.remote_identity && originator === 'remote' ? session.remote_identity.uri.toString() : uaOptions.uri,
    to: session.local_identity && originator === 'remote'
      ? session.local_identity.uri.toString()
      : session.remote_identity ? session.remote_identity.uri.toString() : null,
  });
  if (session.connection) {
    attachPc(entry, session.connection);
  }
  session.on('peerconnection', (e) => attachPc(entry, e.peerconnection));
  session.on('connecting', () => record('connecting', { callId: id }));
  session.on('sending', () => record('sending', { callId: id }));
  session.on('progress', (e) =>
    record('progress', { callId: id, originator: e.originator, status: statusOf(e.response), reason: reasonOf(e.response) }));
  session.on('accepted', (e) =>
    record('accepted', { callId: id, originator: e.originator, status: statusOf(e.response) }));
  session.on('confirmed', (e) => record('confirmed', { callId: id, originator: e.originator }));
  session.on('ended', (e) => {
    entry.ended = true;
    record('ended', {
      callId: id,
      originator: e.originator,
      cause: e.cause,
      status: statusOf(e.message),
      method: e.message && e.message.method ? e.message.method : null,
    });
  });
  session.on('failed', (e) => {
    entry.ended = true;
    record('failed', {
      callId: id,
      originator: e.originator,
      cause: e.cause,
      status: statusOf(e.message),
      reason: reasonOf(e.message),
    });
  });
  session.on('hold', (e) => record('hold', { callId: id, originator: e.originator }));
  session.on('unhold', (e) => record('unhold', { callId: id, originator: e.originator }));
  session.on('muted', () => record('muted', { callId: id }));
  session.on('unmuted', () => record('unmuted', { callId: id }));
  session.on('reinvite', () => record('reinvite', { callId: id }));
  session.on('update', () => record('update', { callId: id }));
  session.on('newDTMF', (e) =>
    record('newDTMF', { callId: id, originator: e.originator, tone: e.dtmf.tone, duration: e.dtmf.duration }));
  session.on('newInfo', (e) =>
    record('newInfo', {
      callId: id,
      originator: e.originator,
      contentType: e.info.contentType,
      body: e.info.body,
    }));
  session.on('refer', (e) => {
    const referTo = e.request.refer_to ? e.request.refer_to.uri.toString() : null;
    record('refer', { callId: id, originator: 'remote', referTo, policy: uaOptions.referPolicy || 'accept' });
    if ((uaOptions.referPolicy || 'accept') === 'accept') {
      e.accept(null, {
        mediaConstraints: { audio: true, video: false },
        pcConfig: { iceServers: [] },
      });
    } else if (uaOptions.referPolicy === 'reject') {
      e.reject();
    }
  });
  session.on('icecandidate', (e) => {
    // JsSIP waits for the end of gathering; a loopback UDP candidate is all the tests need
    if ((uaOptions.candidates || 'loopback') === 'loopback' && isLoopbackCandidate(`a=${e.candidate.candidate}`)
        && / udp /i.test(e.candidate.candidate)) {
      e.ready();
    } else if (!entry.gatheringTimer) {
      entry.gatheringTimer = setTimeout(() => {
        entry.gatheringTimer = null;
        e.ready();
      }, uaOptions.iceGatheringTimeoutMs || 1000);
    }
  });
  session.on('sdp', (e) => {
    if (entry.gatheringTimer) {
      clearTimeout(entry.gatheringTimer);
      entry.gatheringTimer = null;
    }
    if (e.originator === 'local') {
      e.sdp = filterCandidates(e.sdp, uaOptions.candidates || 'loopback');
      entry.localSdp = e.sdp;
    } else {
      entry.remoteSdp = e.sdp;
    }
    record('sdp', { callId: id, originator: e.originator, sdpType: e.type });
  });
  for (const name of ['getusermediafailed', 'peerconnection:createofferfailed', 'peerconnection:createanswerfailed',
    'peerconnection:setlocaldescriptionfailed', 'peerconnection:setremotedescriptionfailed']) {
    session.on(name, (e) => record(name, { callId: id, error: String(e) }));
  }
  if (originator === 'remote' && uaOptions.autoAnswer) {
    setTimeout(() => answer({ callId: id, video: false }).catch((err) =>
      record('autoAnswerFailed', { callId: id, error: err.message })), 0);
  }
  return entry;
}

function untilSessionEvent(entry, resolveOn, rejectOn, what, timeoutMs = 10000) {
  const session = sessionOf(entry);
  return withTimeout(new Promise((resolve, reject) => {
    for (const name of resolveOn) {
      session.once(name, (e) => resolve(e));
    }
    for (const name of rejectOn) {
      session.once(name, (e) => reject(failure(`${what}: call ${entry.id} ${name} (${e && e.cause})`,
        { callId: entry.id, cause: e && e.cause, status: statusOf(e && e.message) })));
    }
  }), timeoutMs, what);
}

// ---------------------------------------------------------------------------------------------------------------
// the API

async function register(options) {
  if (!options || !options.uri || !options.wsUri) {
    throw failure('register needs {uri, wsUri, authorizationUser?, password?}');
  }
  if (ua) {
    await stop();
  }
  uaOptions = { ...options };
  if (options.debug) {
    JsSIP.debug.enable(options.debug === true ? 'JsSIP:*' : options.debug);
  } else {
    JsSIP.debug.disable();
  }
  const socket = new JsSIP.WebSocketInterface(options.wsUri);
  const config = {
    sockets: [socket],
    uri: options.uri,
    authorization_user: options.authorizationUser,
    password: options.password,
    display_name: options.displayName,
    register: true,
    register_expires: options.expires || 600,
    session_timers: options.sessionTimers ?? true,
    user_agent: options.userAgent || `webims-test-harness JsSIP/${JsSIP.version}`,
    connection_recovery_min_interval: 2,
    connection_recovery_max_interval: 30,
    ...(options.instanceId ? { instance_id: options.instanceId } : {}),
    ...(options.contactUri ? { contact_uri: options.contactUri } : {}),
    ...(options.realm ? { realm: options.realm } : {}),
    ...(options.uaConfig || {}),
  };
  let created;
  try {
    created = new JsSIP.UA(config);
  } catch (error) {
    throw failure(`invalid UA configuration: ${error.message}`, { cause: 'configuration' });
  }
  ua = created;
  let everConnected = false;
  ua.on('connecting', (e) => record('connecting', { attempt: e.attempts }));
  ua.on('connected', () => {
    everConnected = true;
    record('connected');
  });
  ua.on('disconnected', (e) => record('disconnected', { error: !!e.error, code: e.code ?? null, reason: e.reason ?? null }));
  ua.on('registered', (e) => record('registered', { status: statusOf(e.response) }));
  ua.on('unregistered', (e) => record('unregistered', { status: statusOf(e.response), cause: e.cause ?? null }));
  ua.on('registrationFailed', (e) =>
    record('registrationFailed', { status: statusOf(e.response), reason: reasonOf(e.response), cause: e.cause }));
  ua.on('newRTCSession', (e) => watchSession(e.session, e.originator, e.request));
  ua.on('newMessage', (e) => {
    const request = e.request;
    record('newMessage', {
      originator: e.originator,
      from: request.from ? request.from.uri.toString() : null,
      to: request.to ? request.to.uri.toString() : null,
      contentType: request.getHeader ? request.getHeader('Content-Type') || null : null,
      body: request.body ?? null,
    });
  });
  ua.on('newOptions', (e) => record('newOptions', { originator: e.originator }));
  ua.on('sipEvent', (e) => record('sipEvent', { event: e.event ? e.event.event : null }));

  const outcome = new Promise((resolve, reject) => {
    ua.once('registered', (e) => resolve({ status: statusOf(e.response), uri: options.uri }));
    ua.once('registrationFailed', (e) =>
      reject(failure(`registration failed: ${statusOf(e.response) ?? ''} ${reasonOf(e.response) ?? ''} (${e.cause})`.replace(/\s+/g, ' '),
        { status: statusOf(e.response), reason: reasonOf(e.response), cause: e.cause })));
    ua.once('disconnected', (e) => {
      if (!everConnected) {
        reject(failure(`WebSocket ${options.wsUri} could not be opened (code ${e.code ?? '?'})`,
          { cause: 'Connection Error', code: e.code ?? null }));
      }
    });
  });
  // RFC 3840 §9: the media this client takes (default audio and video); the gateway declines what is not listed
  ua.registrator().setExtraContactParams(options.featureTags ?? { audio: '', video: '' });
  ua.start();
  try {
    return await withTimeout(outcome, options.timeoutMs || 10000, 'register');
  } catch (error) {
    if (options.keepOnFailure !== true) {
      await stop();
    }
    throw error;
  }
}

async function unregister(options = {}) {
  if (!ua) {
    throw failure('not registered: no user agent');
  }
  const outcome = new Promise((resolve, reject) => {
    ua.once('unregistered', (e) => resolve({ status: statusOf(e.response), cause: e.cause ?? null }));
    ua.once('registrationFailed', (e) =>
      reject(failure(`unregistration failed (${e.cause})`, { status: statusOf(e.response), cause: e.cause })));
  });
  ua.unregister({ all: !!options.all });
  return withTimeout(outcome, options.timeoutMs || 10000, 'unregister');
}

/** Stops the user agent as JsSIP does (unregisters if registered, ends calls, closes the WebSocket). */
async function stop() {
  if (!ua) {
    return { stopped: false };
  }
  const stopping = ua;
  ua = null;
  try {
    stopping.stop();
  } catch (error) {
    record('stopFailed', { error: String(error) });
  }
  record('stopped');
  return { stopped: true };
}

function requireUa() {
  if (!ua) {
    throw failure('no user agent: call register() first');
  }
  return ua;
}

/** Keeps only the named codecs (case-insensitive rtpmap names) on audio m-lines of an SDP. */
function restrictCodecs(sdp, codecs) {
  const wanted = codecs.map((c) => c.toLowerCase());
  const lines = sdp.split('\r\n');
  const names = {};
  for (const line of lines) {
    const m = /^a=rtpmap:(\d+) ([^/]+)/.exec(line);
    if (m) names[m[1]] = m[2].toLowerCase();
  }
  let inAudio = false;
  let keep = new Set();
  const out = [];
  for (const line of lines) {
    if (line.startsWith('m=')) {
      inAudio = line.startsWith('m=audio');
      if (inAudio) {
        const f = line.split(' ');
        const pts = f.slice(3).filter((pt) => wanted.includes(names[pt]));
        keep = new Set(pts);
        out.push(f.slice(0, 3).concat(pts).join(' '));
        continue;
      }
    }
    const attr = /^a=(rtpmap|fmtp|rtcp-fb):(\d+)/.exec(line);
    if (inAudio && attr && !keep.has(attr[2])) continue;
    out.push(line);
  }
  return out.join('\r\n');
}

async function call(target, options = {}) {
  const agent = requireUa();
  const stream = await localMedia(options);
  let peerconnection = null;
  const session = agent.call(target, {
    mediaStream: stream,
    mediaConstraints: { audio: true, video: !!options.video },
    pcConfig: { iceServers: [] },
    extraHeaders: options.extraHeaders || [],
    anonymous: !!options.anonymous,
    eventHandlers: {
      // attach the remote track as soon as the peer connection exists (JsSIP fires this before newRTCSession)
      peerconnection: (e) => {
        peerconnection = e.peerconnection;
      },
      // options.codecs: offer only these codecs (e.g. ['opus']), as a browser limited to them would
      sdp: (e) => {
        if (e.originator === 'local' && Array.isArray(options.codecs)) {
          e.sdp = restrictCodecs(e.sdp, options.codecs);
        }
      },
    },
    ...(options.sessionTimersExpires ? { sessionTimersExpires: options.sessionTimersExpires } : {}),
  });
  const entry = entryOfSession.get(session) || watchSession(session, 'local', null);
  entry.localStream = stream;
  attachPc(entry, peerconnection || session.connection);
  return entry.id;
}

async function answer(options = {}) {
  const entry = entryFor(options.callId, (c) => c.direction === 'incoming' && c.session.isInProgress());
  const session = sessionOf(entry);
  const stream = await localMedia(options);
  entry.localStream = stream;
  const accepted = untilSessionEvent(entry, ['accepted'], ['failed', 'ended'], 'answer', options.timeoutMs);
  session.answer({
    mediaStream: stream,
    mediaConstraints: { audio: true, video: !!options.video },
    pcConfig: { iceServers: [] },
    extraHeaders: options.extraHeaders || [],
  });
  await accepted;
  return entry.id;
}

async function decline(status = 486, options = {}) {
  const entry = entryFor(options.callId, (c) => c.direction === 'incoming' && c.session.isInProgress());
  sessionOf(entry).terminate({ status_code: status || 486, reason_phrase: options.reason });
  return { callId: entry.id, status: status || 486 };
}

async function hangup(options = {}) {
  const entry = entryFor(options.callId, (c) => !!c.session);
  const session = sessionOf(entry);
  if (session.isEnded()) {
    return { callId: entry.id, alreadyEnded: true };
  }
  const done = untilSessionEvent(entry, ['ended', 'failed'], [], 'hangup', options.timeoutMs || 5000);
  session.terminate(options.status ? { status_code: options.status } : {});
  const e = await done;
  return { callId: entry.id, cause: e.cause };
}

function reOffer(kind, options = {}) {
  const entry = entryFor(options.callId, (c) => !!c.session);
  const session = sessionOf(entry);
  return withTimeout(new Promise((resolve, reject) => {
    const onEnd = (e) => reject(failure(`${kind}: call ${entry.id} ended (${e.cause})`, { callId: entry.id, cause: e.cause }));
    session.once('ended', onEnd);
    session.once('failed', onEnd);
    const started = session[kind]({ useUpdate: !!options.useUpdate }, () => {
      session.off('ended', onEnd);
      session.off('failed', onEnd);
      resolve({ callId: entry.id, onHold: session.isOnHold() });
    });
    if (!started) {
      session.off('ended', onEnd);
      session.off('failed', onEnd);
      reject(failure(`${kind} not possible now on call ${entry.id}`, { callId: entry.id, onHold: session.isOnHold() }));
    }
  }), options.timeoutMs || 10000, kind);
}

/** A re-INVITE with new ICE credentials (RTCPeerConnection ICE restart, RFC 8445 §9), as after a network change. */
function restartIce(options = {}) {
  const entry = entryFor(options.callId, (c) => !!c.session);
  const session = sessionOf(entry);
  return withTimeout(new Promise((resolve, reject) => {
    const started = session.renegotiate({ rtcOfferConstraints: { iceRestart: true } }, () => {
      resolve({ callId: entry.id });
    });
    if (!started) {
      reject(failure(`ICE restart not possible now on call ${entry.id}`, { callId: entry.id }));
    }
  }), options.timeoutMs || 10000, 'restartIce');
}

const hold = (options) => reOffer('hold', options);
const unhold = (options) => reOffer('unhold', options);

async function sendDTMF(tones, options = {}) {
  const entry = entryFor(options.callId, (c) => !!c.session);
  const duration = options.duration || 100;
  const interToneGap = options.interToneGap || 70;
  const transportType = options.transportType || 'INFO';
  sessionOf(entry).sendDTMF(String(tones), { transportType, duration, interToneGap });
  record('sendDTMF', { callId: entry.id, tones: String(tones), transportType });
  await sleep(String(tones).length * (duration + interToneGap) + 100);
  return { callId: entry.id, tones: String(tones), transportType };
}

async function sendInfo(contentType, body, options = {}) {
  const entry = entryFor(options.callId, (c) => !!c.session);
  sessionOf(entry).sendInfo(contentType, body, {});
  return { callId: entry.id };
}

function refer(target, options = {}) {
  const entry = entryFor(options.callId, (c) => !!c.session);
  const session = sessionOf(entry);
  const id = entry.id;
  return withTimeout(new Promise((resolve, reject) => {
    const subscriber = session.refer(target, {
      extraHeaders: options.extraHeaders || [],
      eventHandlers: {
        requestSucceeded: (e) => {
          record('referRequestSucceeded', { callId: id, status: statusOf(e.response) });
          resolve({ callId: id, status: statusOf(e.response) });
        },
        requestFailed: (e) => {
          record('referRequestFailed', { callId: id, status: statusOf(e.response), cause: e.cause });
          reject(failure(`REFER failed: ${statusOf(e.response) ?? ''} (${e.cause})`,
            { callId: id, status: statusOf(e.response), cause: e.cause }));
        },
        trying: (e) => record('referTrying', { callId: id, statusLine: e.status_line || null }),
        progress: (e) => record('referProgress', { callId: id, statusLine: e.status_line || null }),
        accepted: (e) => record('referAccepted', { callId: id, statusLine: e.status_line || null }),
        failed: (e) => record('referFailed', { callId: id, statusLine: e.status_line || null }),
      },
    });
    if (!subscriber) {
      reject(failure(`REFER not possible now on call ${id}`, { callId: id }));
    }
  }), options.timeoutMs || 10000, 'refer');
}

function sendMessage(target, text, options = {}) {
  const agent = requireUa();
  return withTimeout(new Promise((resolve, reject) => {
    agent.sendMessage(target, text, {
      contentType: options.contentType || 'text/plain',
      extraHeaders: options.extraHeaders || [],
      eventHandlers: {
        succeeded: (e) => resolve({ status: statusOf(e.response) }),
        failed: (e) => reject(failure(`MESSAGE failed: ${statusOf(e.response) ?? ''} (${e.cause})`,
          { status: statusOf(e.response), reason: reasonOf(e.response), cause: e.cause })),
      },
    });
  }), options.timeoutMs || 10000, 'sendMessage');
}

async function stats(options = {}) {
  return collectStats(entryFor(options.callId, (c) => !!(c.pc || c.inboundPc)));
}

/**
 * Resolves with stats() once media flows both ways: at least minPackets (default 25, half a second of audio) sent
 * and received with some audio energy. Rejects after timeoutMs with the last stats.
 */
async function waitMedia(options = {}) {
  const entry = entryFor(options.callId, (c) => !!(c.pc || c.inboundPc));
  const minPackets = options.minPackets ?? 25;
  const deadline = performance.now() + (options.timeoutMs || 10000);
  let last = null;
  for (;;) {
    last = await collectStats(entry);
    const flowing = last.inboundPackets >= minPackets && last.outboundPackets >= minPackets
      && (options.requireEnergy === false || last.inboundAudioEnergy > 0);
    if (flowing) {
      return last;
    }
    if (performance.now() > deadline) {
      throw failure(`no media on call ${entry.id} within ${options.timeoutMs || 10000} ms`, { cause: 'no media', stats: last });
    }
    await sleep(100);
  }
}

async function toneAnalysis(options = {}) {
  return analyseTone(entryFor(options.callId, (c) => !!(c.pc || c.inboundPc)), options);
}

async function toneFrequency(options = {}) {
  return (await toneAnalysis(options)).frequency;
}

/** Local and remote SDP of a call as JsSIP last saw them (local after candidate filtering). */
async function sdp(options = {}) {
  const entry = entryFor(options.callId);
  return { callId: entry.id, local: entry.localSdp, remote: entry.remoteSdp };
}

/**
 * Media without SIP: a loopback pair of RTCPeerConnections in this page, the local capture (or a generated tone)
 * sent from one to the other. Proves the fake media, getStats() and the tone analysis work on this machine.
 */
async function selfTest(options = {}) {
  const entry = newEntry('loopback', null);
  const sender = new RTCPeerConnection({ iceServers: [] });
  const receiver = new RTCPeerConnection({ iceServers: [] });
  attachPc(entry, sender, 'sender');
  attachPc(entry, receiver, 'receiver');
  entry.pcs = [sender, receiver];
  const loopbackOnly = (options.candidates || 'loopback') === 'loopback';
  const relay = (to) => (e) => {
    if (e.candidate && e.candidate.candidate && (!loopbackOnly || isLoopbackCandidate(`a=${e.candidate.candidate}`))) {
      to.addIceCandidate(e.candidate).catch(() => {});
    }
  };
  sender.addEventListener('icecandidate', relay(receiver));
  receiver.addEventListener('icecandidate', relay(sender));
  const stream = await localMedia(options);
  entry.localStream = stream;
  stream.getTracks().forEach((track) => sender.addTrack(track, stream));
  const connected = new Promise((resolve) => receiver.addEventListener('track', resolve, { once: true }));
  await sender.setLocalDescription(await sender.createOffer());
  await receiver.setRemoteDescription(sender.localDescription);
  await receiver.setLocalDescription(await receiver.createAnswer());
  await sender.setRemoteDescription(receiver.localDescription);
  await withTimeout(connected, 5000, 'selfTest track');
  await sleep(options.mediaMs || 1500);
  const measured = await collectStats(entry);
  const tone = await analyseTone(entry, options);
  record('selfTest', { callId: entry.id, frequency: tone.frequency, inboundPackets: measured.inboundPackets });
  if (!options.keep) {
    sender.close();
    receiver.close();
    stream.getTracks().forEach((track) => track.stop());
    entry.ended = true;
  }
  return { ...measured, frequency: tone.frequency, peakDb: tone.peakDb };
}

function eventsSince(since = 0) {
  return events.filter((e) => e.seq >= since);
}

/**
 * Resolves with the first event (seq >= since) of the given type whose fields match `match` (e.g. {callId: 'c1'}),
 * already recorded or still to come; rejects after timeoutMs.
 */
function waitEvent(type, options = {}) {
  const since = options.since || 0;
  const match = { ...(options.match || {}), ...(options.callId ? { callId: options.callId } : {}) };
  const types = Array.isArray(type) ? type : [type];
  const matches = (e) => e.seq >= since && types.includes(e.type)
    && Object.entries(match).every(([k, v]) => e[k] === v);
  const found = events.find(matches);
  if (found) {
    return Promise.resolve(found);
  }
  const timeoutMs = options.timeoutMs || 10000;
  return new Promise((resolve, reject) => {
    const waiter = {
      matches,
      resolve: (e) => {
        waiters.delete(waiter);
        clearTimeout(waiter.timer);
        resolve(e);
      },
    };
    waiter.timer = setTimeout(() => {
      waiters.delete(waiter);
      reject(failure(`no ${types.join('|')} event ${JSON.stringify(match)} within ${timeoutMs} ms`,
        { cause: 'timeout', lastEvents: events.slice(-8) }));
    }, timeoutMs);
    waiters.add(waiter);
  });
}

async function state() {
  return {
    uri: uaOptions.uri || null,
    connected: ua ? ua.isConnected() : false,
    registered: ua ? ua.isRegistered() : false,
    calls: [...calls.values()].map((c) => ({
      callId: c.id,
      direction: c.direction,
      ended: c.ended,
      established: c.session ? c.session.isEstablished() : null,
      onHold: c.session ? c.session.isOnHold() : null,
    })),
    lastSeq: seq - 1,
  };
}

async function configure(options = {}) {
  Object.assign(uaOptions, options);
  return { ...uaOptions, password: uaOptions.password ? '***' : undefined };
}

window.harness = {
  version: JsSIP.version,
  register,
  unregister,
  stop,
  configure,
  call,
  answer,
  decline,
  hangup,
  hold,
  unhold,
  restartIce,
  sendDTMF,
  sendInfo,
  refer,
  sendMessage,
  stats,
  waitMedia,
  toneFrequency,
  toneAnalysis,
  cadenceAnalysis,
  sdp,
  selfTest,
  events: async (since = 0) => eventsSince(since),
  waitEvent,
  clearEvents: async () => {
    events.length = 0;
    return seq;
  },
  state,
};
record('harnessReady', { jssip: JsSIP.version });
