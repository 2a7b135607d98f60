// localStorage, tolerant of browsers where it is missing or full (private mode): the phone works without it.

export function createStore(backend = globalThis.localStorage) {
  const read = (key) => {
    try {
      const text = backend ? backend.getItem(key) : null;
      return text === null || text === undefined ? null : JSON.parse(text);
    } catch {
      return null;
    }
  };
  const write = (key, value) => {
    try {
      if (backend) {
        backend.setItem(key, JSON.stringify(value));
      }
      return true;
    } catch {
      return false;
    }
  };
  const remove = (key) => {
    try {
      if (backend) {
        backend.removeItem(key);
      }
    } catch {
      // nothing stored, nothing to remove
    }
  };
  return { read, write, remove };
}
