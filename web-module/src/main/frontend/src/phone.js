// The SIP side of the softphone: one JsSIP user agent registered over the page's own origin's /sip (RFC 7118), and
// its calls. The only module that knows JsSIP; it knows no DOM. Listeners get plain events:
//   registration {state, failure?}   state: connecting | registering | registered | reconnecting | failed | signed-out
//   call {call, change}              a call was created or changed (call.state, call.held, call.muted, ...)
//   ended {call}                     a call is over (call.outcome, call.failure)
import JsSIP from 'jssip';
import { CallEvent, CallState, isEstablished, isLive, nextState } from './callstate.js';
import { displayUri } from './dialstring.js';
import { localMedia, stopStream } from './media.js';

// Quiet unless asked for in the console: localStorage.debug = 'JsSIP:*'
JsSIP.debug.disable('JsSIP:*');

/** The browser reaches media through the gateway's media relay (rtpengine, ICE-lite): no STUN or TURN needed. */
const PC_CONFIG = { iceServers: [] };
/** Send the offer or answer at most this long after the first ICE candidate, even if gathering goes on. */
const ICE_GATHERING_CAP_MS = 1500;
/** An outgoing INVITE not sent by then means the browser found no network path for media (no ICE candidate). */
const OFFER_DEADLINE_MS = 10000;
/** A registration refused for another reason than credentials is tried again after this. */
const REREGISTER_AFTER_MS = 15000;

export const RegistrationState = Object.freeze({
  SIGNED_OUT: 'signed-out',
  CONNECTING: 'connecting',
  REGISTERING: 'registering',
  REGISTERED: 'registered',
  RECONNECTING: 'reconnecting',
  FAILED: 'failed',
});

/** The parts of a SIP response (or of a JsSIP failure without one) the failure messages need. */
function failureOf(message, cause, originator) {
  const response = message && typeof message.status_code === 'number' ? message : null;
  const header = (name) => {
    try {
      return response && response.hasHeader(name) ? response.getHeader(name) : '';
    } catch {
      return '';
    }
  };
  return {
    status: response ? response.status_code : null,
    reason: response ? response.reason_phrase : null,
    cause: cause || null,
    originator: originator || null,
    warning: header('Warning'),
    contentType: header('Content-Type'),
    body: response && response.body ? String(response.body) : '',
  };
}

const sdpHasVideo = (sdp) => /^m=video [1-9]/m.test(String(sdp ?? ''));

/** A JsSIP URI for a parsed dial string (dialstring.js): host and port apart. */
function jssipUri(target) {
  const m = /^(.*?)(?::(\d+))?$/.exec(target.host);
  return new JsSIP.URI(target.scheme, target.user, m[1], m[2] ? Number(m[2]) : null, target.params || {});
}

/** A call of the phone; its state changes only through nextState() (callstate.js). */
class PhoneCall {
  constructor(phone, direction, { peerUri, peerName, video }) {
    this.phone = phone;
    this.id = `call-${++phone.callCount}`;
    this.direction = direction;
    this.peerUri = peerUri;
    this.peer = peerName ? `${peerName} (${displayUri(peerUri)})` : displayUri(peerUri);
    this.video = !!video;
    this.videoOffered = !!video;
    this.state = direction === 'incoming' ? CallState.INCOMING : CallState.DIALLING;
    this.held = false;
    this.remoteHeld = false;
    this.muted = false;
    this.earlyMedia = false;
    this.ringing = false;
    this.startedAt = Date.now();
    this.answeredAt = null;
    this.endedAt = null;
    this.outcome = null;
    this.failure = null;
    this.transfer = null;
    this.session = null;
    this.pc = null;
    this.localStream = null;
  }

  get live() {
    return isLive(this.state);
  }

  get established() {
    return isEstablished(this.state);
  }

  on(event, detail = {}) {
    const before = this.state;
    this.state = nextState(this.state, event, detail);
    return before !== this.state;
  }

  changed(change) {
    this.phone.emit('call', { call: this, change });
  }

  /** Ends the call on our side whatever its SIP state; outcome and failure as given. */
  finish(outcome, failure) {
    if (!this.live) {
      return;
    }
    this.on(CallEvent.END);
    this.endedAt = Date.now();
    this.outcome = this.outcome || outcome;
    this.failure = this.failure || failure || null;
    stopStream(this.localStream);
    this.phone.forget(this);
    this.changed('ended');
    this.phone.emit('ended', { call: this });
  }

  // --- user actions --------------------------------------------------------------------------------------------

  async answer({ video }) {
    if (this.state !== CallState.INCOMING) {
      return;
    }
    this.on(CallEvent.ANSWER);
    this.video = !!video && this.videoOffered;
    this.changed('answering');
    let stream;
    try {
      stream = await localMedia({ video: this.video });
    } catch (error) {
      this.terminate({ status_code: 480, reason_phrase: 'Temporarily Unavailable' });
      this.finish('failed', { cause: 'User Denied Media Access', originator: 'local', error: String(error) });
      return;
    }
    if (!this.live) {
      stopStream(stream);
      return;
    }
    this.localStream = stream;
    this.changed('local-media');
    this.session.answer({ mediaStream: stream, pcConfig: PC_CONFIG });
  }

  /** Declines an incoming call: 603 Decline (RFC 3261 §21.6.2), the user's explicit refusal. */
  decline() {
    if (this.state !== CallState.INCOMING) {
      return;
    }
    this.outcome = 'declined';
    this.terminate({ status_code: 603, reason_phrase: 'Decline' });
    this.finish('declined');
  }

  /** Hangs up: CANCEL before the answer, BYE after it (JsSIP chooses). */
  hangup() {
    if (!this.live) {
      return;
    }
    const outcome = this.established ? 'answered' : 'cancelled';
    this.terminate();
    this.finish(outcome);
  }

  terminate(options) {
    try {
      if (this.session && !this.session.isEnded()) {
        this.session.terminate(options);
      }
    } catch {
      // already ending, or the connection is gone: nothing more to tell the network
    }
  }

  /** Hold and resume by re-INVITE with sendonly / sendrecv (RFC 3264 §8.4). Resolves when the far end agreed. */
  setHold(hold) {
    return new Promise((resolve, reject) => {
      if (!this.established || !this.session) {
        reject(new Error('no established call'));
        return;
      }
      const done = () => resolve(this.session.isOnHold().local);
      const started = hold ? this.session.hold({}, done) : this.session.unhold({}, done);
      if (!started) {
        reject(new Error(hold ? 'the call cannot be held now' : 'the call cannot be resumed now'));
      }
    });
  }

  toggleMute() {
    if (!this.session || !this.live) {
      return;
    }
    if (this.muted) {
      this.session.unmute({ audio: true, video: true });
    } else {
      this.session.mute({ audio: true, video: true });
    }
  }

  /**
   * DTMF as RFC 4733 telephone-events in the media, through RTCDTMFSender (JsSIP transportType "RFC2833"), not as
   * SIP INFO: IMS phones, IVRs and media servers expect telephone-events in the RTP stream (TS 26.114 §6.2.4,
   * GSMA IR.92 §3.3), whereas INFO "application/dtmf-relay" is a non-standard body that an IMS core need not route
   * to whatever is behind it. The gateway's media relay negotiates telephone-event toward IMS (and transcodes it
   * when it transcodes the audio), so the events reach the far end in the form it understands.
   */
  sendDtmf(tone) {
    if (!this.established || !this.session) {
      return false;
    }
    this.session.sendDTMF(tone, { transportType: 'RFC2833', duration: 160, interToneGap: 80 });
    return true;
  }

  /**
   * Blind transfer (RFC 3515 REFER, RFC 5589 §6): the far end is asked to call target; when its NOTIFY says the
   * new call was answered (2xx sipfrag), our call ends. target: a parsed dial string (dialstring.js). Resolves
   * {accepted} or rejects with {status, reason}.
   */
  transferTo(target) {
    return new Promise((resolve, reject) => {
      if (!this.established || !this.session) {
        reject(Object.assign(new Error('no established call'), { status: null }));
        return;
      }
      const uri = jssipUri(target);
      this.transfer = { target: target.display, state: 'requested' };
      this.changed('transfer');
      const fail = (status, reason) => {
        this.transfer = { ...this.transfer, state: 'failed', status, reason };
        this.changed('transfer');
        reject(Object.assign(new Error('transfer failed'), { status, reason }));
      };
      // the NOTIFY's message/sipfrag status line (RFC 3515 §2.4.5), as JsSIP parsed it
      const sipfragStatus = (statusLine) => ({
        status: statusLine && statusLine.status_code ? Number(statusLine.status_code) : null,
        reason: statusLine && statusLine.reason_phrase ? String(statusLine.reason_phrase) : null,
      });
      this.session.refer(uri, {
        eventHandlers: {
          requestSucceeded: () => {
            this.transfer = { ...this.transfer, state: 'trying' };
            this.changed('transfer');
          },
          requestFailed: (e) => fail(e.response ? e.response.status_code : null,
            e.response ? e.response.reason_phrase : e.cause),
          trying: () => {
            this.transfer = { ...this.transfer, state: 'trying' };
            this.changed('transfer');
          },
          progress: () => {
            this.transfer = { ...this.transfer, state: 'ringing' };
            this.changed('transfer');
          },
          accepted: () => {
            this.transfer = { ...this.transfer, state: 'done' };
            this.outcome = 'transferred';
            this.changed('transfer');
            resolve({ accepted: true });
            // the transferee's call is up: hang up (RFC 5589 §6.1), once JsSIP has answered this NOTIFY, which
            // it does right after this handler returns (a BYE first would leave the NOTIFY unanswered)
            setTimeout(() => {
              this.terminate();
              this.finish('transferred');
            }, 0);
          },
          failed: (e) => {
            const { status, reason } = sipfragStatus(e.status_line);
            fail(status, reason);
          },
        },
      });
    });
  }
}

export function createPhone({ wsUri, userAgent }) {
  const listeners = new Map();
  const phone = {
    callCount: 0,
    calls: new Set(),
    emit(type, data) {
      (listeners.get(type) || []).forEach((fn) => {
        try {
          fn(data);
        } catch (error) {
          console.error(`listener of ${type} failed`, error);
        }
      });
    },
    forget(call) {
      phone.calls.delete(call);
    },
  };
  let ua = null;
  let identity = null;
  let state = RegistrationState.SIGNED_OUT;
  let retryTimer = null;
  let everRegistered = false;

  const setState = (next, failure = null) => {
    state = next;
    phone.emit('registration', { state, failure, identity });
  };

  const current = () => [...phone.calls].find((c) => c.live) || null;

  function watch(call, session) {
    call.session = session;
    session.on('peerconnection', (e) => {
      call.pc = e.peerconnection;
      call.changed('peerconnection');
    });
    let iceTimer = null;
    session.on('icecandidate', (e) => {
      if (!iceTimer) {
        iceTimer = setTimeout(() => e.ready(), ICE_GATHERING_CAP_MS);
      }
    });
    session.on('sdp', () => {
      clearTimeout(iceTimer);
      iceTimer = null;
    });
    session.on('progress', (e) => {
      if (call.direction !== 'outgoing' || !e.response) {
        return;
      }
      const early = !!e.response.body && /m=audio/.test(e.response.body);
      call.earlyMedia = call.earlyMedia || early;
      call.ringing = e.response.status_code === 180 || call.ringing;
      call.on(CallEvent.PROGRESS, { early: call.earlyMedia });
      call.changed('progress');
    });
    session.on('accepted', () => {
      call.on(CallEvent.ACCEPTED);
      call.answeredAt = Date.now();
      call.changed('accepted');
    });
    session.on('confirmed', () => {
      if (call.on(CallEvent.ACCEPTED)) {
        call.answeredAt = call.answeredAt || Date.now();
      }
      call.changed('confirmed');
    });
    session.on('ended', (e) => {
      // a BYE is a normal end; losing the media (ICE failed: JsSIP's "RTP Timeout") or the connection is not
      const abnormal = ['RTP Timeout', 'Connection Error', 'Request Timeout', 'Dialog Error'].includes(e.cause);
      call.finish(call.outcome || 'answered', abnormal ? { cause: e.cause, originator: e.originator } : null);
    });
    session.on('failed', (e) => {
      const failure = failureOf(e.message, e.cause, e.originator);
      if (e.originator === 'local' && e.cause === 'Canceled' && call.live) {
        // not the user (a hang-up ends the call before JsSIP reports it): JsSIP cancelled the call itself
        // because ICE failed before the INVITE went out (no candidate, no path to the media relay)
        failure.cause = 'ICE Failed';
      }
      let outcome = 'failed';
      if (call.direction === 'incoming') {
        outcome = e.originator === 'remote' || e.cause === 'No Answer' ? 'missed' : call.outcome || 'failed';
      } else if (e.originator === 'local' && e.cause === 'Canceled' && failure.cause !== 'ICE Failed') {
        outcome = 'cancelled';
      }
      call.finish(outcome, failure);
    });
    session.on('hold', (e) => {
      if (e.originator === 'local') {
        call.held = true;
      } else {
        call.remoteHeld = true;
      }
      call.changed('hold');
    });
    session.on('unhold', (e) => {
      if (e.originator === 'local') {
        call.held = false;
      } else {
        call.remoteHeld = false;
      }
      call.changed('hold');
    });
    session.on('muted', () => {
      call.muted = true;
      call.changed('mute');
    });
    session.on('unmuted', () => {
      call.muted = false;
      call.changed('mute');
    });
    // Transfers asked of us are not taken: this phone makes one call at a time (RFC 3515 §2.4.2 allows refusing).
    session.on('refer', (e) => e.reject({ status_code: 603, reason_phrase: 'Decline' }));
  }

  function onIncoming(e) {
    if (e.originator !== 'remote') {
      return;
    }
    const session = e.session;
    const call = new PhoneCall(phone, 'incoming', {
      peerUri: session.remote_identity.uri.toString(),
      peerName: session.remote_identity.display_name,
      video: sdpHasVideo(e.request && e.request.body),
    });
    if (current()) {
      // one call at a time: a second caller hears busy, and the call shows as missed in the history
      call.session = session;
      call.outcome = 'missed';
      try {
        session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      } catch {
        // gone already
      }
      call.finish('missed', { status: 486, cause: 'Busy', originator: 'local' });
      return;
    }
    phone.calls.add(call);
    watch(call, session);
    call.changed('incoming');
  }

  function onDisconnected() {
    // The gateway ends the calls of a closed WebSocket (RFC 5626 §5.3): ours are over too.
    for (const call of [...phone.calls]) {
      if (call.live) {
        call.terminate();
        call.finish(call.established ? 'answered' : 'failed', { cause: 'Connection Error', originator: 'local' });
      }
    }
    if (identity && everRegistered) {
      setState(RegistrationState.RECONNECTING);
    }
  }

  function stopUa() {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (ua) {
      const stopping = ua;
      ua = null;
      try {
        stopping.stop();
      } catch {
        // already stopped
      }
    }
  }

  /**
   * Registers (RFC 3261 §10, digest passed through the gateway to the core). Resolves at the first 2xx; rejects
   * with {status, reason, cause, warning} at the first refusal, and then stops the user agent.
   */
  phone.signIn = ({ uri, privateId, password, instanceId }) => startUa({ uri, privateId, password, instanceId });

  /**
   * Registers with a WAF token instead of a password (TS 24.371 scenario 2, RFC 8898): the session gives a fresh
   * token for the first REGISTER and again whenever the gateway refuses a spent one (a new connection).
   */
  phone.signInWithToken = async ({ session, instanceIdFor }) => {
    const { token, impu } = await session.registrationToken();
    return startUa({ uri: impu, instanceId: instanceIdFor(impu), bearer: token, session });
  };

  function startUa({ uri, privateId, password, instanceId, bearer, session }) {
    stopUa();
    for (const call of [...phone.calls]) {
      call.hangup();
    }
    identity = uri;
    everRegistered = false;
    const agent = new JsSIP.UA({
      sockets: [new JsSIP.WebSocketInterface(wsUri)],
      uri,
      ...(bearer ? {} : { authorization_user: privateId, password }),
      register: true,
      register_expires: 600,
      session_timers: false, // the gateway keeps the IMS leg alive itself (RFC 4028)
      instance_id: instanceId,
      user_agent: userAgent,
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 10,
      no_answer_timeout: 60,
    });
    ua = agent;
    let renewedToken = false;
    setState(RegistrationState.CONNECTING);
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (fn, value) => {
        if (!settled) {
          settled = true;
          fn(value);
        }
      };
      agent.on('connecting', () => {
        if (ua === agent && state !== RegistrationState.RECONNECTING) {
          setState(RegistrationState.CONNECTING);
        }
      });
      agent.on('connected', () => {
        if (ua === agent) {
          setState(RegistrationState.REGISTERING);
        }
      });
      agent.on('disconnected', () => {
        if (ua !== agent) {
          return;
        }
        if (!everRegistered) {
          stopUa();
          setState(RegistrationState.SIGNED_OUT);
          settle(reject, { status: null, cause: 'Connection Error' });
          return;
        }
        onDisconnected();
      });
      agent.on('registered', () => {
        if (ua !== agent) {
          return;
        }
        everRegistered = true;
        renewedToken = false;
        setState(RegistrationState.REGISTERED);
        settle(resolve, { uri });
      });
      agent.on('unregistered', () => {
        if (ua === agent && state === RegistrationState.REGISTERED) {
          setState(RegistrationState.REGISTERING);
        }
      });
      agent.on('registrationFailed', (e) => {
        if (ua !== agent) {
          return;
        }
        const failure = failureOf(e.response, e.cause, 'remote');
        if (!everRegistered) {
          stopUa();
          setState(RegistrationState.SIGNED_OUT);
          settle(reject, failure);
          return;
        }
        if (e.cause === 'Connection Error') {
          return; // the transport reconnects and registers again by itself
        }
        if (session && failure.status === 401 && !renewedToken) {
          renewedToken = true; // a new connection needs a new token (the first one is spent): once per registration
          session.registrationToken().then(({ token }) => {
            if (ua === agent) {
              agent.registrator().setExtraHeaders([`Authorization: Bearer ${token}`]);
              agent.register();
            }
          }, (refusal) => {
            if (ua === agent) {
              setState(RegistrationState.FAILED, { ...failure, reason: refusal.text || failure.reason });
            }
          });
          return;
        }
        setState(RegistrationState.FAILED, failure);
        const credentials = [401, 403, 407].includes(failure.status);
        if (!credentials) {
          clearTimeout(retryTimer);
          retryTimer = setTimeout(() => {
            if (ua === agent && agent.isConnected()) {
              setState(RegistrationState.REGISTERING);
              agent.register();
            }
          }, REREGISTER_AFTER_MS);
        }
      });
      agent.on('newRTCSession', onIncoming);
      // RFC 3840 §9: this client takes audio and video; without the tags the gateway declines video toward it
      agent.registrator().setExtraContactParams({ audio: '', video: '' });
      if (bearer) {
        agent.registrator().setExtraHeaders([`Authorization: Bearer ${bearer}`]);
      }
      agent.start();
    });
  }

  /** De-registers (expires 0) and closes the connection. */
  phone.signOut = () => {
    for (const call of [...phone.calls]) {
      call.hangup();
    }
    stopUa();
    identity = null;
    setState(RegistrationState.SIGNED_OUT);
  };

  /**
   * Calls target (a JsSIP-ready URI description from dialstring.js). The call exists at once (state dialling)
   * while the browser asks for the microphone.
   */
  phone.call = (target, { video }) => {
    if (!ua || state !== RegistrationState.REGISTERED) {
      throw new Error('not registered');
    }
    if (current()) {
      throw new Error('already in a call');
    }
    const call = new PhoneCall(phone, 'outgoing', { peerUri: target.uri, video });
    phone.calls.add(call);
    call.changed('dialling');
    const uri = jssipUri(target);
    localMedia({ video: !!video }).then((stream) => {
      if (!call.live || !ua) {
        stopStream(stream);
        call.finish('cancelled');
        return;
      }
      call.localStream = stream;
      call.changed('local-media');
      let pc = null;
      try {
        const session = ua.call(uri, {
          mediaStream: stream,
          pcConfig: PC_CONFIG,
          eventHandlers: {
            // the peer connection exists before newRTCSession: take it here, or its tracks are missed
            peerconnection: (e) => {
              pc = e.peerconnection;
            },
          },
        });
        watch(call, session);
        call.pc = pc || session.connection;
        call.changed('peerconnection');
        const deadline = setTimeout(() => {
          if (call.live) {
            call.terminate();
            call.finish('failed', { cause: 'ICE Failed', originator: 'local' });
          }
        }, OFFER_DEADLINE_MS);
        session.once('sending', () => clearTimeout(deadline));
        session.once('failed', () => clearTimeout(deadline));
      } catch (error) {
        call.finish('failed', { cause: 'WebRTC Error', originator: 'local', error: String(error) });
      }
    }, (error) => {
      call.finish('failed', { cause: 'User Denied Media Access', originator: 'local', error: String(error) });
    });
    return call;
  };

  phone.on = (type, fn) => {
    if (!listeners.has(type)) {
      listeners.set(type, []);
    }
    listeners.get(type).push(fn);
  };
  phone.state = () => state;
  phone.identity = () => identity;
  phone.current = current;
  phone.version = JsSIP.version;

  globalThis.addEventListener?.('pagehide', () => stopUa());
  return phone;
}
