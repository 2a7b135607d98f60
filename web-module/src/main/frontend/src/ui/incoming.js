// The incoming-call alert: who calls, answer (audio, or video when offered) or decline.
import { byId, show } from './dom.js';

export function createIncomingView() {
  const section = byId('incoming');
  const from = byId('incoming-from');
  const kind = byId('incoming-kind');
  const answerAudio = byId('answer-audio');
  const answerVideo = byId('answer-video');
  const decline = byId('decline');
  let handlers = { answer: () => {}, decline: () => {} };
  answerAudio.addEventListener('click', () => handlers.answer({ video: false }));
  answerVideo.addEventListener('click', () => handlers.answer({ video: true }));
  decline.addEventListener('click', () => handlers.decline());
  section.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      handlers.decline();
    }
  });
  return {
    present(call) {
      from.textContent = call.peer;
      kind.textContent = call.videoOffered ? 'Video call' : 'Voice call';
      show(answerVideo, call.videoOffered);
      show(section, true);
      answerAudio.focus();
    },
    dismiss() {
      show(section, false);
    },
    on(events) {
      handlers = { ...handlers, ...events };
    },
  };
}
