// A telephone keypad (ITU-T E.161 layout) of real buttons: usable by keyboard and read by screen readers.

const KEYS = [
  ['1', ''], ['2', 'ABC'], ['3', 'DEF'],
  ['4', 'GHI'], ['5', 'JKL'], ['6', 'MNO'],
  ['7', 'PQRS'], ['8', 'TUV'], ['9', 'WXYZ'],
  ['*', ''], ['0', '+'], ['#', ''],
];
const NAMES = { '*': 'star', '#': 'hash' };

/** Fills container with the twelve keys; onKey(key) on each press. */
export function renderKeypad(container, onKey) {
  container.textContent = '';
  for (const [key, letters] of KEYS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'key';
    button.dataset.key = key;
    button.setAttribute('aria-label', NAMES[key] || key);
    const digit = document.createElement('span');
    digit.className = 'digit';
    digit.textContent = key;
    digit.setAttribute('aria-hidden', 'true');
    button.appendChild(digit);
    if (letters) {
      const small = document.createElement('span');
      small.className = 'letters';
      small.textContent = letters;
      small.setAttribute('aria-hidden', 'true');
      button.appendChild(small);
    }
    button.addEventListener('click', () => onKey(key));
    container.appendChild(button);
  }
}

export const isKeypadKey = (key) => /^[0-9*#]$/.test(key);
