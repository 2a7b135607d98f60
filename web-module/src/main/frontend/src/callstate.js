// The states of a call as the user sees them, and the only place they change (pure).
//
//   outgoing: dialling -(18x, no SDP)-> ringing -(18x with SDP: early media, RFC 3960)-> early -(2xx)-> active
//   incoming: incoming -(answer)-> answering -(ACK)-> active
//   any live state -(failure, BYE, CANCEL, hang-up)-> ended
// Hold and mute are flags of an active call, not states (RFC 3264 §8.4: a held call is still a session).

export const CallState = Object.freeze({
  DIALLING: 'dialling',
  RINGING: 'ringing',
  EARLY: 'early',
  INCOMING: 'incoming',
  ANSWERING: 'answering',
  ACTIVE: 'active',
  ENDED: 'ended',
});

export const CallEvent = Object.freeze({
  PROGRESS: 'progress', // a provisional answer; {early: true} when it carried SDP
  ACCEPTED: 'accepted', // 2xx sent or received
  ANSWER: 'answer', // the user answers an incoming call
  END: 'end', // failure, BYE, CANCEL, hang-up
});

/** The state after event in state; the same state when the event changes nothing (late or repeated events). */
export function nextState(state, event, detail = {}) {
  if (state === CallState.ENDED) {
    return state; // ended / any / nothing / ended
  }
  switch (event) {
    case CallEvent.END:
      return CallState.ENDED; // live / end / release media / ended
    case CallEvent.PROGRESS:
      if (state === CallState.DIALLING || state === CallState.RINGING) {
        return detail.early ? CallState.EARLY : CallState.RINGING; // early media stays once it came
      }
      return state;
    case CallEvent.ANSWER:
      return state === CallState.INCOMING ? CallState.ANSWERING : state;
    case CallEvent.ACCEPTED:
      return [CallState.DIALLING, CallState.RINGING, CallState.EARLY, CallState.ANSWERING, CallState.INCOMING]
        .includes(state) ? CallState.ACTIVE : state;
    default:
      return state;
  }
}

export const isLive = (state) => state !== CallState.ENDED;
export const isEstablished = (state) => state === CallState.ACTIVE;
