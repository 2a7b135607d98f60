// The panel of the current call: who, what is happening, the timer, the controls, the keypad, transfer, and the
// media line (what getStats() says flows, so the user and the tests can see that media arrives).
import { formatDuration } from '../history.js';
import { mediaStats } from '../media.js';
import { byId, setExpanded, setPressed, show } from './dom.js';
import { isKeypadKey, renderKeypad } from './keypad.js';

const STATUS = {
  dialling: () => 'Calling…',
  ringing: () => 'Ringing…',
  early: () => 'Connecting: you hear the network (early media)…',
  incoming: () => 'Incoming call…',
  answering: () => 'Answering…',
  active: (call) => {
    if (call.held) {
      return 'On hold';
    }
    if (call.remoteHeld) {
      return 'The other party put the call on hold';
    }
    return call.muted ? 'Connected (your microphone is muted)' : 'Connected';
  },
  ended: (call) => ({
    transferred: 'Call transferred',
    cancelled: 'Call cancelled',
    declined: 'Call declined',
    missed: 'Missed call',
    failed: 'Call failed',
  }[call.outcome] || 'Call ended'),
};

const TRANSFER_TEXT = {
  requested: (t) => `Transferring to ${t.target}…`,
  trying: (t) => `Transferring to ${t.target}: the other party is calling…`,
  ringing: (t) => `Transferring to ${t.target}: ringing…`,
  done: (t) => `Transferred to ${t.target}.`,
  failed: (t) => `Transfer to ${t.target} failed.`,
};

export function createCallPanel() {
  const section = byId('call');
  const title = byId('call-title');
  const peer = byId('call-peer');
  const status = byId('call-status');
  const timer = byId('call-timer');
  const videos = byId('videos');
  const localVideo = byId('local-video');
  const mute = byId('mute');
  const hold = byId('hold');
  const keypadToggle = byId('keypad-toggle');
  const keypad = byId('call-keypad');
  const dtmfSent = byId('dtmf-sent');
  const transferToggle = byId('transfer-toggle');
  const transferForm = byId('transfer-form');
  const transferInput = byId('transfer-input');
  const hangup = byId('hangup');
  const mediaLine = byId('media-line');
  const controls = section.querySelector('.controls');
  let call = null;
  let clock = null;
  let poll = null;
  let handlers = {};
  const act = (name, ...args) => handlers[name] && handlers[name](...args);

  renderKeypad(keypad, (key) => act('dtmf', key));
  mute.addEventListener('click', () => act('mute'));
  hold.addEventListener('click', () => act('hold'));
  hangup.addEventListener('click', () => act('hangup'));
  keypadToggle.addEventListener('click', () => {
    const open = keypad.hidden;
    show(keypad, open);
    setExpanded(keypadToggle, open);
    if (open) {
      keypad.querySelector('button').focus();
    }
  });
  transferToggle.addEventListener('click', () => {
    const open = transferForm.hidden;
    show(transferForm, open);
    setExpanded(transferToggle, open);
    if (open) {
      transferInput.focus();
    }
  });
  transferForm.addEventListener('submit', (event) => {
    event.preventDefault();
    act('transfer', transferInput.value);
  });
  // digits typed anywhere in the panel (but in the transfer field) go out as tones
  section.addEventListener('keydown', (event) => {
    if (event.target === transferInput || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (isKeypadKey(event.key) && call && call.established) {
      event.preventDefault();
      act('dtmf', event.key);
    }
  });

  const tick = () => {
    if (call && call.answeredAt) {
      const end = call.live ? Date.now() : call.endedAt;
      timer.textContent = formatDuration(end - call.answeredAt);
      timer.setAttribute('datetime', `PT${Math.floor((end - call.answeredAt) / 1000)}S`);
    }
  };

  const measure = async () => {
    const measured = call;
    if (!measured || !measured.pc) {
      return;
    }
    try {
      const s = await mediaStats(measured.pc);
      if (measured !== call) {
        return;
      }
      mediaLine.dataset.audioIn = String(s.audioPacketsReceived);
      mediaLine.dataset.audioOut = String(s.audioPacketsSent);
      mediaLine.dataset.audioEnergy = String(s.audioEnergy);
      mediaLine.dataset.videoIn = String(s.videoPacketsReceived);
      mediaLine.dataset.videoOut = String(s.videoPacketsSent);
      mediaLine.dataset.codec = s.audioCodec;
      const video = s.videoPacketsReceived || s.videoPacketsSent
        ? ` · video ${s.videoPacketsReceived} in / ${s.videoPacketsSent} out` : '';
      mediaLine.textContent = `Media: ${s.audioCodec || 'audio'} · ${s.audioPacketsReceived} packets in / `
        + `${s.audioPacketsSent} out${video}`;
    } catch {
      // the connection is closing
    }
  };

  const stopTimers = () => {
    clearInterval(clock);
    clearInterval(poll);
    clock = null;
    poll = null;
  };

  return {
    /** Shows a call (or its end); null hides the panel. */
    render(next) {
      if (next !== call) {
        stopTimers();
        call = next;
        timer.textContent = '0:00';
        mediaLine.textContent = 'Media: waiting';
        for (const key of ['audioIn', 'audioOut', 'audioEnergy', 'videoIn', 'videoOut', 'codec']) {
          delete mediaLine.dataset[key];
        }
        dtmfSent.textContent = '';
        delete dtmfSent.dataset.sent;
        transferInput.value = '';
        show(keypad, false);
        setExpanded(keypadToggle, false);
        show(transferForm, false);
        setExpanded(transferToggle, false);
      }
      if (!call) {
        section.dataset.state = 'idle';
        show(section, false);
        return;
      }
      show(section, true);
      section.dataset.state = call.state;
      section.dataset.held = String(call.held);
      section.dataset.muted = String(call.muted);
      title.textContent = call.direction === 'incoming'
        ? `${call.video ? 'Video call' : 'Call'} from` : `${call.video ? 'Video call' : 'Call'} to`;
      peer.textContent = call.peer;
      let text = (STATUS[call.state] || (() => call.state))(call);
      if (call.transfer && TRANSFER_TEXT[call.transfer.state]) {
        text = `${text}. ${TRANSFER_TEXT[call.transfer.state](call.transfer)}`;
      }
      if (status.textContent !== text) {
        status.textContent = text;
      }
      const established = call.established;
      for (const button of [mute, hold, keypadToggle, transferToggle]) {
        button.disabled = !established;
      }
      hangup.disabled = !call.live;
      hangup.textContent = call.live && !established && call.direction === 'outgoing' ? 'Cancel' : 'Hang up';
      setPressed(mute, call.muted, ['Mute', 'Unmute']);
      setPressed(hold, call.held, ['Hold', 'Resume']);
      show(videos, call.video && call.live);
      // a call that ended unanswered has nothing to control or measure: its outcome is what matters
      show(controls, call.live);
      show(mediaLine, call.live || !!call.answeredAt);
      if (call.video && call.localStream && localVideo.srcObject !== call.localStream) {
        localVideo.srcObject = call.localStream;
      }
      if (!call.live) {
        localVideo.srcObject = null;
        stopTimers();
        tick();
        measure();
        return;
      }
      if (call.answeredAt && !clock) {
        tick();
        clock = setInterval(tick, 1000);
      }
      if (call.pc && !poll) {
        poll = setInterval(measure, 1000);
        measure();
      }
    },
    dtmfSent(key) {
      dtmfSent.textContent = `Sent tone ${key}`;
      dtmfSent.dataset.sent = `${dtmfSent.dataset.sent || ''}${key}`;
    },
    focusHangup() {
      hangup.focus();
    },
    on(events) {
      handlers = { ...handlers, ...events };
    },
  };
}
