// The sign-in form: public identity, private identity, password, "remember me".
import { defaultPrivateIdentity, normalizePublicIdentity } from '../identity.js';
import { byId, show } from './dom.js';

export function createSignInView({ domain }) {
  const section = byId('signin');
  const form = byId('signin-form');
  const publicId = byId('public-id');
  const privateId = byId('private-id');
  const password = byId('password');
  const remember = byId('remember');
  const button = byId('signin-button');
  const forget = byId('forget');
  let privateEdited = false;
  let onSubmit = () => {};
  let onForget = () => {};

  publicId.placeholder = `sip:alice@${domain || 'ims.example.test'}`;
  privateId.placeholder = `alice@${domain || 'ims.example.test'}`;

  // the private identity follows the public one until the user types one of their own
  publicId.addEventListener('input', () => {
    if (!privateEdited) {
      const normalized = normalizePublicIdentity(publicId.value, domain);
      privateId.value = normalized.uri ? defaultPrivateIdentity(normalized.uri) : '';
    }
  });
  privateId.addEventListener('input', () => {
    privateEdited = privateId.value.trim() !== '';
  });

  const invalid = (input, message) => {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
    return { title: 'Check the form', text: message, kind: 'form' };
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault(); // nothing is ever posted: the credentials stay in the page
    [publicId, privateId, password].forEach((input) => input.removeAttribute('aria-invalid'));
    const normalized = normalizePublicIdentity(publicId.value, domain);
    if (normalized.error) {
      onSubmit({ error: invalid(publicId, normalized.error) });
      return;
    }
    const impi = privateId.value.trim() || defaultPrivateIdentity(normalized.uri);
    if (!password.value) {
      onSubmit({ error: invalid(password, 'Enter your password.') });
      return;
    }
    onSubmit({ uri: normalized.uri, privateId: impi, password: password.value, remember: remember.checked });
  });
  forget.addEventListener('click', () => {
    password.value = '';
    remember.checked = false;
    show(forget, false);
    onForget();
  });

  return {
    show(visible) {
      show(section, visible);
      if (visible) {
        (publicId.value ? password.value ? button : password : publicId).focus();
      }
    },
    fill(saved) {
      if (!saved) {
        return;
      }
      publicId.value = saved.publicId || '';
      privateId.value = saved.privateId || '';
      privateEdited = !!saved.privateId && saved.privateId !== defaultPrivateIdentity(saved.publicId);
      password.value = saved.password || '';
      remember.checked = !!saved.remember;
      show(forget, !!saved.remember);
    },
    busy(isBusy) {
      button.disabled = isBusy;
      button.textContent = isBusy ? 'Signing in…' : 'Sign in';
      form.setAttribute('aria-busy', String(isBusy));
    },
    /** After a refusal: the password is cleared so a wrong one is not sent again by accident. */
    refused({ credentials }) {
      if (credentials) {
        password.value = '';
        password.setAttribute('aria-invalid', 'true');
        password.focus();
      }
    },
    clearPassword() {
      password.value = '';
    },
    onSubmit(fn) {
      onSubmit = fn;
    },
    onForget(fn) {
      onForget = fn;
    },
  };
}
