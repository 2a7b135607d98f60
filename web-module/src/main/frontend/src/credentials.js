// What the sign-in form remembers in this browser. The password is kept only when the user ticks "remember"
// (the server never stores it: it only ever sees the SIP digest computed from it, RFC 3261 §22.4).

const KEY = 'wwsf.credentials';

/**
 * @param {{read: Function, write: Function, remove: Function}} store see storage.js
 */
export function createCredentials(store) {
  return {
    /** {publicId, privateId, password?, remember} last used, or null. */
    load() {
      const saved = store.read(KEY);
      if (!saved || typeof saved !== 'object' || typeof saved.publicId !== 'string') {
        return null;
      }
      return {
        publicId: saved.publicId,
        privateId: typeof saved.privateId === 'string' ? saved.privateId : '',
        password: saved.remember && typeof saved.password === 'string' ? saved.password : '',
        remember: !!saved.remember && typeof saved.password === 'string',
      };
    },
    /** Saves the identities; the password only when remember is set (and forgets an older one otherwise). */
    save({ publicId, privateId, password, remember }) {
      const entry = { publicId, privateId, remember: !!remember };
      if (remember) {
        entry.password = password;
      }
      store.write(KEY, entry);
    },
    /** Forgets the stored password (keeps the identities for the form). */
    forgetPassword() {
      const saved = store.read(KEY);
      if (saved && typeof saved === 'object') {
        store.write(KEY, { publicId: saved.publicId, privateId: saved.privateId, remember: false });
      }
    },
    /** Forgets everything. */
    clear() {
      store.remove(KEY);
    },
  };
}

/** A stable RFC 5626 instance id (a urn:uuid) for this browser and identity, so re-registrations replace the flow. */
export function instanceId(store, publicId) {
  const key = `wwsf.instance.${publicId}`;
  let id = store.read(key);
  if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id)) {
    id = globalThis.crypto && globalThis.crypto.randomUUID
      ? globalThis.crypto.randomUUID()
      : 'xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx'.replace(/[xy]/g, (c) => {
        const r = Math.floor(Math.random() * 16);
        return (c === 'x' ? r : (r % 4) + 8).toString(16);
      });
    store.write(key, id);
  }
  return id;
}
