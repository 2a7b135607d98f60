// The softphone page (WWSF, TS 23.228 Annex U): wires the SIP side (phone.js) to the views. Served at / by the
// gateway, on the same origin as the signalling at /sip.
import './styles.css';
import { createCredentials, instanceId } from './credentials.js';
import { parseDialString } from './dialstring.js';
import { describeCallFailure, describeRegistrationFailure, describeTransferFailure } from './failures.js';
import { createHistory } from './history.js';
import { defaultDomain, signallingUri } from './identity.js';
import { attachRemote, detachRemote } from './media.js';
import { authorizationRequest, completeSignIn, signInOptions } from './operatorsignin.js';
import { createPhone, RegistrationState } from './phone.js';
import { createStore } from './storage.js';
import { audioContext, ringback, ringtone } from './tones.js';
import { createCallPanel } from './ui/callpanel.js';
import { byId, show } from './ui/dom.js';
import { createHistoryView } from './ui/history.js';
import { createIncomingView } from './ui/incoming.js';
import { renderKeypad } from './ui/keypad.js';
import { createNotice } from './ui/notice.js';
import { createRegistrationView } from './ui/registration.js';
import { createSignInView } from './ui/signin.js';

const VERSION = '0.1.0';
/** How long the panel of a finished call stays up (its outcome and duration) before it goes. */
const ENDED_PANEL_MS = 4000;

function start() {
  const store = createStore();
  const credentials = createCredentials(store);
  const meta = document.querySelector('meta[name="wwsf-ims-domain"]');
  const domain = defaultDomain({
    search: location.search,
    metaDomain: meta ? meta.content : '',
    hostname: location.hostname,
  });
  const phone = createPhone({ wsUri: signallingUri(location), userAgent: `webims-wwsf/${VERSION}` });

  const notice = createNotice();
  const registration = createRegistrationView();
  const signIn = createSignInView({ domain });
  const incoming = createIncomingView();
  const panel = createCallPanel();
  const historyView = createHistoryView();
  const phoneSection = byId('phone');
  const dialForm = byId('dial-form');
  const dialInput = byId('dial-input');
  const callAudio = byId('call-audio');
  const callVideo = byId('call-video');
  const callSection = byId('call');
  const remoteAudio = byId('remote-audio');
  const remoteVideo = byId('remote-video');
  let history = null;
  let homeDomain = domain;
  let detach = null;
  let hidePanel = null;

  const renderHistory = () => historyView.render(history ? history.entries() : []);

  // --- registration --------------------------------------------------------------------------------------------

  phone.on('registration', ({ state, failure, identity }) => {
    registration.render({ state, identity });
    if (state === RegistrationState.FAILED && failure) {
      notice.show(describeRegistrationFailure({ ...failure, identity }));
    } else if (state === RegistrationState.REGISTERED) {
      const box = byId('notice');
      if (['connection', 'server', 'credentials'].includes(box.dataset.kind)) {
        notice.clear(); // back again: the earlier trouble is over
      }
    }
  });

  function enterPhone(uri) {
    homeDomain = uri.split('@')[1] || domain;
    history = createHistory(store, uri);
    history.onChange(renderHistory);
    renderHistory();
    signIn.show(false);
    show(phoneSection, true);
    dialInput.focus();
  }

  function leavePhone() {
    show(phoneSection, false);
    panel.render(null);
    incoming.dismiss();
    history = null;
    signIn.fill(credentials.load());
    signIn.show(true);
  }

  async function signInWith({ uri, privateId, password, remember }) {
    notice.clear();
    audioContext(); // a user gesture: later ringtones may play
    signIn.busy(true);
    try {
      await phone.signIn({ uri, privateId, password, instanceId: instanceId(store, uri) });
      credentials.save({ publicId: uri, privateId, password, remember });
      enterPhone(uri);
    } catch (failure) {
      const credentialsRefused = [401, 403, 407].includes(failure.status);
      if (credentialsRefused) {
        credentials.forgetPassword();
      }
      notice.show(describeRegistrationFailure({ ...failure, identity: uri, wsUri: signallingUri(location) }));
      signIn.refused({ credentials: credentialsRefused });
    } finally {
      signIn.busy(false);
    }
  }

  signIn.onSubmit((form) => {
    if (form.error) {
      notice.show(form.error);
      return;
    }
    signInWith(form);
  });
  signIn.onForget(() => credentials.forgetPassword());

  // --- operator sign-in (TS 24.371 scenario 2) -------------------------------------------------------------------

  const operatorSignIn = byId('operator-signin');
  const operatorButton = byId('operator-signin-button');
  let operatorOptions = null;

  async function signInAsSubscriber(session) {
    notice.clear();
    operatorButton.disabled = true;
    try {
      const { uri } = await phone.signInWithToken({ session, instanceIdFor: (impu) => instanceId(store, impu) });
      enterPhone(uri);
    } catch (refusal) {
      notice.show(refusal && refusal.title ? refusal
        : describeRegistrationFailure({ ...refusal, identity: 'your operator account', wsUri: signallingUri(location) }));
    } finally {
      operatorButton.disabled = false;
    }
  }

  operatorButton.addEventListener('click', async () => {
    audioContext(); // a user gesture: later ringtones may play
    operatorButton.disabled = true;
    try {
      location.assign(await authorizationRequest(operatorOptions, { location, sessionStorage }));
    } catch {
      operatorButton.disabled = false;
      notice.show({ title: 'Operator sign-in failed', text: 'This browser cannot start it.', kind: 'credentials' });
    }
  });
  registration.onSignOut(() => {
    phone.signOut();
    notice.clear();
    leavePhone();
  });

  // --- calls ---------------------------------------------------------------------------------------------------

  function dial(text, video) {
    const target = parseDialString(text, homeDomain);
    if (target.error) {
      notice.show({ title: 'Check the number', text: target.error, kind: 'form' });
      dialInput.focus();
      return;
    }
    notice.clear();
    audioContext();
    try {
      phone.call(target, { video });
      panel.focusHangup();
    } catch (error) {
      notice.show({ title: 'Cannot call now', text: error.message === 'already in a call'
        ? 'End the current call first.' : 'You are not registered: wait for the connection to come back.', kind: 'state' });
    }
  }

  renderKeypad(byId('dial-keypad'), (key) => {
    dialInput.value += key;
    dialInput.focus();
  });
  dialForm.addEventListener('submit', (event) => {
    event.preventDefault();
    dial(dialInput.value, false);
  });
  callVideo.addEventListener('click', () => dial(dialInput.value, true));
  historyView.onCall((entry) => {
    dialInput.value = entry.uri;
    dial(entry.uri, false);
  });
  historyView.onClear(() => history && history.clear());

  // one call at a time: the dialer goes away while a call rings or runs (the call has its own keypad)
  const dialer = byId('dialer');
  const setDialling = (enabled) => {
    callAudio.disabled = !enabled;
    callVideo.disabled = !enabled;
    show(dialer, enabled);
  };

  phone.on('call', ({ call, change }) => {
    if (change === 'incoming') {
      incoming.present(call);
      ringtone.start();
      setDialling(false);
      return;
    }
    if (call.direction === 'incoming' && call.state !== 'incoming') {
      incoming.dismiss();
      ringtone.stop();
    }
    if (change === 'peerconnection' && call.pc) {
      if (detach) {
        detach();
      }
      detach = attachRemote(call.pc, { audio: remoteAudio, video: remoteVideo });
    }
    // a generated ringback while the far end rings without sending its own tones (180 without SDP)
    if (call.direction === 'outgoing' && call.state === 'ringing' && !call.earlyMedia) {
      ringback.start();
    } else {
      ringback.stop();
    }
    callSection.dataset.ringback = String(ringback.playing());
    if (call.state === 'incoming') {
      return;
    }
    clearTimeout(hidePanel);
    setDialling(!call.live);
    panel.render(call);
  });

  phone.on('ended', ({ call }) => {
    ringback.stop();
    callSection.dataset.ringback = 'false';
    ringtone.stop();
    incoming.dismiss();
    if (detach) {
      detach();
      detach = null;
    }
    detachRemote({ audio: remoteAudio, video: remoteVideo });
    setDialling(true);
    if (call.failure && ['failed', 'answered'].includes(call.outcome)) {
      const message = describeCallFailure({ ...call.failure, target: call.peer });
      if (message) {
        notice.show(message);
      }
    } else if (call.outcome === 'missed' && call.failure && call.failure.status !== 486) {
      notice.show({ title: 'Missed call', text: `${call.peer} called you.`, kind: 'missed' }, 'info');
    }
    if (history) {
      const failure = call.failure && call.outcome === 'failed' ? describeCallFailure({ ...call.failure }) : null;
      history.add({
        direction: call.direction,
        peer: call.peer,
        uri: call.peerUri,
        video: call.video,
        startedAt: call.startedAt,
        answeredAt: call.answeredAt,
        endedAt: call.endedAt,
        outcome: call.outcome,
        detail: failure ? failure.title : '',
      });
    }
    if (call.direction === 'incoming' && !call.answeredAt) {
      return; // the alert went away; no panel to show for a call never taken
    }
    panel.render(call);
    hidePanel = setTimeout(() => {
      if (!phone.current()) {
        panel.render(null);
      }
    }, ENDED_PANEL_MS);
    dialInput.focus();
  });

  incoming.on({
    answer: ({ video }) => {
      const call = phone.current();
      if (call) {
        audioContext();
        call.answer({ video });
        panel.focusHangup();
      }
    },
    decline: () => {
      const call = phone.current();
      if (call) {
        call.decline();
      }
    },
  });

  panel.on({
    hangup: () => phone.current() && phone.current().hangup(),
    mute: () => phone.current() && phone.current().toggleMute(),
    hold: () => {
      const call = phone.current();
      if (call) {
        call.setHold(!call.held).catch((error) =>
          notice.show({ title: call.held ? 'Resume failed' : 'Hold failed', text: error.message, kind: 'hold' }));
      }
    },
    dtmf: (key) => {
      const call = phone.current();
      if (call && call.sendDtmf(key)) {
        panel.dtmfSent(key);
      }
    },
    transfer: (text) => {
      const call = phone.current();
      if (!call) {
        return;
      }
      const target = parseDialString(text, homeDomain);
      if (target.error) {
        notice.show({ title: 'Check the number', text: target.error, kind: 'form' });
        return;
      }
      notice.clear();
      call.transferTo(target).catch((failure) =>
        notice.show({ ...describeTransferFailure({ ...failure, target: target.display }), kind: 'transfer' }));
    },
  });

  // --- start ---------------------------------------------------------------------------------------------------

  registration.render({ state: RegistrationState.SIGNED_OUT });
  const saved = credentials.load();
  signIn.fill(saved);
  signIn.show(true);
  const returning = new URLSearchParams(location.search);
  const backFromOperator = returning.has('code') || returning.has('error');
  if (saved && saved.remember && saved.password && !backFromOperator) {
    signInWith({ uri: saved.publicId, privateId: saved.privateId, password: saved.password, remember: true });
  }
  signInOptions().then(async (options) => {
    operatorOptions = options;
    show(operatorSignIn, !!options);
    if (options && backFromOperator) {
      try {
        const session = await completeSignIn(options, { location, history: window.history, sessionStorage });
        if (session) {
          await signInAsSubscriber(session);
        }
      } catch (refusal) {
        notice.show(refusal);
      }
    }
    document.documentElement.dataset.operatorSignin = options ? 'offered' : 'none';
  });
  document.documentElement.dataset.wwsf = 'ready';
  document.documentElement.dataset.jssip = phone.version;
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', start);
} else {
  start();
}
