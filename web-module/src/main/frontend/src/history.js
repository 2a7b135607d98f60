// The local call history: the last calls of one identity, newest first, kept in this browser only.

const MAX_ENTRIES = 100;

/** Outcomes shown in the list. */
export const OUTCOMES = {
  answered: 'answered',
  missed: 'missed',
  declined: 'declined',
  failed: 'failed',
  cancelled: 'cancelled',
};

export function createHistory(store, identity) {
  const key = `wwsf.history.${identity}`;
  const listeners = new Set();
  const entries = () => {
    const list = store.read(key);
    return Array.isArray(list) ? list.filter((e) => e && typeof e.peer === 'string') : [];
  };
  return {
    entries,
    /**
     * @param {{direction: 'outgoing'|'incoming', peer: string, uri: string, video?: boolean, startedAt: number,
     *   answeredAt?: number|null, endedAt: number, outcome: string, detail?: string}} entry
     */
    add(entry) {
      const list = [{ ...entry, id: `${entry.startedAt}-${Math.random().toString(36).slice(2, 8)}` }, ...entries()];
      store.write(key, list.slice(0, MAX_ENTRIES));
      listeners.forEach((fn) => fn());
    },
    clear() {
      store.remove(key);
      listeners.forEach((fn) => fn());
    },
    onChange(fn) {
      listeners.add(fn);
    },
  };
}

/** "0:07", "12:03", "1:02:03" */
export function formatDuration(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
