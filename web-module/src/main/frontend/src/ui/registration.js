// The registration state, always visible at the top of the page (role="status": read out when it changes).
import { byId, show } from './dom.js';

const TEXT = {
  'signed-out': () => 'Not signed in',
  connecting: () => 'Connecting…',
  registering: (id) => `Registering ${id}…`,
  registered: (id) => `Registered as ${id}`,
  reconnecting: () => 'Connection lost: reconnecting…',
  failed: (id) => `Not registered: ${id} was refused`,
};

export function createRegistrationView() {
  const box = byId('registration');
  const text = byId('registration-text');
  const signOut = byId('sign-out');
  return {
    render({ state, identity }) {
      box.dataset.state = state;
      text.textContent = (TEXT[state] || (() => state))(identity || '');
      show(signOut, state !== 'signed-out');
    },
    onSignOut(fn) {
      signOut.addEventListener('click', fn);
    },
  };
}
