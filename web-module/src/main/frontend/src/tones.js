// Tones the phone makes itself with WebAudio: the ringback tone while the far end rings without early media
// (a 180 without SDP), and the ringtone of an incoming call.

let context = null;

/** The page's AudioContext, created or resumed on a user gesture (sign-in) so that later tones may play. */
export function audioContext() {
  const Context = globalThis.AudioContext || globalThis.webkitAudioContext;
  if (!Context) {
    return null;
  }
  if (!context) {
    context = new Context();
  }
  if (context.state === 'suspended') {
    context.resume().catch(() => {});
  }
  return context;
}

/**
 * A repeating tone: frequencies played together for onMs, then silence for offMs (the cadence).
 * @returns {{start: Function, stop: Function, playing: () => boolean}}
 */
function cadencedTone({ frequencies, onMs, offMs, level }) {
  let nodes = null;
  let timer = null;
  const stop = () => {
    if (timer) {
      clearInterval(timer);
      timer = null;
    }
    if (nodes) {
      const { oscillators, gain } = nodes;
      nodes = null;
      oscillators.forEach((o) => {
        try {
          o.stop();
        } catch {
          // already stopped
        }
      });
      gain.disconnect();
    }
  };
  const start = () => {
    if (nodes) {
      return;
    }
    const ctx = audioContext();
    if (!ctx) {
      return;
    }
    const gain = ctx.createGain();
    gain.gain.value = 0;
    gain.connect(ctx.destination);
    const oscillators = frequencies.map((f) => {
      const o = ctx.createOscillator();
      o.frequency.value = f;
      o.connect(gain);
      o.start();
      return o;
    });
    nodes = { oscillators, gain };
    const period = onMs + offMs;
    const schedule = () => {
      const t = ctx.currentTime;
      gain.gain.cancelScheduledValues(t);
      gain.gain.setValueAtTime(level, t);
      gain.gain.setValueAtTime(0, t + onMs / 1000);
    };
    schedule();
    timer = setInterval(schedule, period);
  };
  return { start, stop, playing: () => nodes !== null };
}

/** Ringback: 425 Hz, 1 s on, 4 s off (ITU-T E.180, the European ringing tone). */
export const ringback = cadencedTone({ frequencies: [425], onMs: 1000, offMs: 4000, level: 0.15 });

/** Ringtone of an incoming call: two tones, 0.8 s on, 1.6 s off. */
export const ringtone = cadencedTone({ frequencies: [660, 880], onMs: 800, offMs: 1600, level: 0.12 });
