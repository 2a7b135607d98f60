// Media of a call in the page: the microphone (and camera), the remote stream to the speaker and the video
// element, and what getStats() says flows (shown to the user as the call's media line).

/** The microphone, and the camera for a video call. Rejects with the browser's error (NotAllowedError, ...). */
export function localMedia({ video }) {
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return Promise.reject(Object.assign(new Error('this browser cannot capture media (is the page on https?)'),
      { name: 'NotSupportedError' }));
  }
  return navigator.mediaDevices.getUserMedia({ audio: true, video: !!video });
}

export function stopStream(stream) {
  if (stream) {
    stream.getTracks().forEach((track) => track.stop());
  }
}

/**
 * Plays the remote media: all audio through the audio element (also early media, before the answer), video
 * tracks in the video element (muted there, so the audio plays once).
 */
export function attachRemote(pc, { audio, video }) {
  const update = () => {
    const receivers = pc.getReceivers().map((r) => r.track).filter((t) => t && t.readyState !== 'ended');
    const audioTracks = receivers.filter((t) => t.kind === 'audio');
    const videoTracks = receivers.filter((t) => t.kind === 'video');
    if (audioTracks.length && (!audio.srcObject || audio.srcObject.getAudioTracks()[0] !== audioTracks[0])) {
      audio.srcObject = new MediaStream(audioTracks);
      audio.play().catch(() => {});
    }
    if (video) {
      if (videoTracks.length && (!video.srcObject || video.srcObject.getVideoTracks()[0] !== videoTracks[0])) {
        video.srcObject = new MediaStream(videoTracks);
        video.play().catch(() => {});
      }
    }
  };
  pc.addEventListener('track', update);
  update();
  return () => pc.removeEventListener('track', update);
}

export function detachRemote({ audio, video }) {
  for (const element of [audio, video]) {
    if (element) {
      element.srcObject = null;
    }
  }
}

/** RTP counters of a peer connection: what was sent and received, the audio energy heard, the codecs used. */
export async function mediaStats(pc) {
  const result = {
    audioPacketsSent: 0,
    audioPacketsReceived: 0,
    audioEnergy: 0,
    videoPacketsSent: 0,
    videoPacketsReceived: 0,
    audioCodec: '',
  };
  if (!pc || pc.connectionState === 'closed') {
    return result;
  }
  const report = await pc.getStats();
  report.forEach((s) => {
    if (s.type === 'outbound-rtp') {
      if (s.kind === 'audio') {
        result.audioPacketsSent += s.packetsSent || 0;
      } else if (s.kind === 'video') {
        result.videoPacketsSent += s.packetsSent || 0;
      }
    } else if (s.type === 'inbound-rtp') {
      if (s.kind === 'audio') {
        result.audioPacketsReceived += s.packetsReceived || 0;
        result.audioEnergy += s.totalAudioEnergy || 0;
        const codec = s.codecId && report.get(s.codecId);
        if (codec && !result.audioCodec) {
          result.audioCodec = `${codec.mimeType.replace(/^audio\//i, '')}/${codec.clockRate}`;
        }
      } else if (s.kind === 'video') {
        result.videoPacketsReceived += s.packetsReceived || 0;
      }
    }
  });
  return result;
}
