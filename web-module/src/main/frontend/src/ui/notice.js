// The message banner (role="alert"): what went wrong, in words, until the user dismisses it or acts again.
import { byId, show } from './dom.js';

export function createNotice() {
  const box = byId('notice');
  const title = byId('notice-title');
  const text = byId('notice-text');
  byId('notice-close').addEventListener('click', () => clear());
  const clear = () => {
    show(box, false);
    box.removeAttribute('data-kind');
    title.textContent = '';
    text.textContent = '';
  };
  return {
    /** @param {{title: string, text: string, kind?: string} | null} message */
    show(message, level = 'error') {
      if (!message) {
        clear();
        return;
      }
      title.textContent = message.title;
      text.textContent = message.text;
      box.dataset.kind = message.kind || 'other';
      box.dataset.level = level;
      show(box, true);
    },
    clear,
  };
}
