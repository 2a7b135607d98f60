// The shop's page: asks the shop's own server for a gateway token (a guest's, or the signed-in subscriber's), then
// registers with it through the operator's gateway and calls the support line. The provider's secret never reaches
// this page.
(function shop() {
  const byId = (id) => document.getElementById(id);
  const body = document.body.dataset;
  const status = byId('status');
  const mediaLine = byId('media');
  const guestButton = byId('call-guest');
  const subscriberButton = byId('call-subscriber');
  const hangUp = byId('hang-up');
  let phone = null;
  let call = null;
  let statsTimer = null;
  let detach = null;

  const say = (state, text) => {
    status.dataset.state = state;
    status.textContent = text;
  };

  /** A fresh token from the shop's server: the first REGISTER, and again after a reconnection. */
  const tokenFrom = (path) => ({
    async registrationToken() {
      const response = await fetch(path, { method: 'POST', credentials: 'same-origin' });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) {
        throw { title: 'Support is not available', text: answer.error_description || `HTTP ${response.status}` };
      }
      return { token: answer.access_token, impu: answer.impu };
    },
  });

  async function callSupport(path) {
    guestButton.disabled = true;
    subscriberButton.disabled = true;
    say('connecting', 'Connecting…');
    const client = window.WebImsClient;
    phone = client.createPhone({ wsUri: body.ws, userAgent: 'example-shop/1' });
    phone.on('call', ({ call: changed, change }) => {
      if (change === 'peerconnection' && changed.pc) {
        detach = client.attachRemote(changed.pc, { audio: byId('remote-audio'), video: null });
      }
      say(changed.state, changed.state === 'active' ? 'Connected to support.' : `Call: ${changed.state}…`);
    });
    phone.on('ended', ({ call: ended }) => {
      clearInterval(statsTimer);
      if (detach) {
        detach();
      }
      const why = ended.failure && ended.failure.status ? ` (${ended.failure.status} ${ended.failure.reason || ''})` : '';
      say('ended', `Call ended${why}.`);
      hangUp.hidden = true;
      phone.signOut();
      guestButton.disabled = false;
      subscriberButton.disabled = false;
    });
    try {
      await phone.signInWithToken({ session: tokenFrom(path), instanceIdFor: () => undefined });
      const target = client.parseDialString(body.support, body.domain);
      call = phone.call(target, { video: false });
      hangUp.hidden = false;
      statsTimer = setInterval(async () => {
        const current = phone.current();
        if (current && current.pc) {
          const s = await client.mediaStats(current.pc);
          mediaLine.dataset.in = String(s.audioPacketsReceived);
          mediaLine.dataset.out = String(s.audioPacketsSent);
          mediaLine.dataset.energy = String(s.audioEnergy);
          mediaLine.textContent = `Audio: ${s.audioPacketsReceived} packets in, ${s.audioPacketsSent} out`;
        }
      }, 1000);
    } catch (failure) {
      say('failed', failure && failure.title ? `${failure.title}: ${failure.text}`
        : `Could not connect${failure && failure.status ? ` (${failure.status} ${failure.reason || ''})` : ''}.`);
      if (phone) {
        phone.signOut();
      }
      guestButton.disabled = false;
      subscriberButton.disabled = false;
    }
  }

  guestButton.addEventListener('click', () => callSupport('guest-token'));
  subscriberButton.addEventListener('click', () => callSupport('user-token'));
  byId('sign-in').addEventListener('click', () => { location.assign('sign-in'); });
  hangUp.addEventListener('click', () => phone && phone.current() && phone.current().hangup());

  fetch('session', { credentials: 'same-origin' }).then((r) => r.json()).then((session) => {
    if (session.impu) {
      byId('subscriber').textContent = session.impu;
      subscriberButton.hidden = false;
      byId('sign-in').hidden = true;
    }
  }).catch(() => {});
  document.documentElement.dataset.shop = 'ready';
}());
