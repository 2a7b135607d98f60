// The list of recent calls, newest first; each entry can be called back.
import { displayUri } from '../dialstring.js';
import { formatDuration } from '../history.js';
import { byId, show } from './dom.js';

const OUTCOME_TEXT = {
  answered: 'answered',
  missed: 'missed',
  declined: 'declined',
  failed: 'failed',
  cancelled: 'cancelled',
  transferred: 'transferred',
};

export function createHistoryView() {
  const list = byId('history-list');
  const empty = byId('history-empty');
  const clear = byId('history-clear');
  let onCall = () => {};
  let onClear = () => {};
  clear.addEventListener('click', () => onClear());
  const time = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });
  return {
    render(entries) {
      list.textContent = '';
      show(empty, entries.length === 0);
      show(clear, entries.length > 0);
      for (const entry of entries) {
        const item = document.createElement('li');
        item.dataset.direction = entry.direction;
        item.dataset.outcome = entry.outcome;
        const arrow = entry.direction === 'incoming' ? 'From' : 'To';
        const duration = entry.answeredAt && entry.outcome !== 'failed'
          ? `, ${formatDuration(entry.endedAt - entry.answeredAt)}` : '';
        const detail = entry.detail ? ` (${entry.detail})` : '';
        const text = document.createElement('span');
        text.className = 'entry';
        text.textContent = `${arrow} ${displayUri(entry.uri) || entry.peer}: ${OUTCOME_TEXT[entry.outcome] || entry.outcome}`
          + `${duration}${detail}${entry.video ? ', video' : ''} · ${time.format(new Date(entry.startedAt))}`;
        const again = document.createElement('button');
        again.type = 'button';
        again.className = 'quiet';
        again.textContent = 'Call';
        again.setAttribute('aria-label', `Call ${displayUri(entry.uri) || entry.peer}`);
        again.addEventListener('click', () => onCall(entry));
        item.append(text, ' ', again);
        list.appendChild(item);
      }
    },
    onCall(fn) {
      onCall = fn;
    },
    onClear(fn) {
      onClear = fn;
    },
  };
}
