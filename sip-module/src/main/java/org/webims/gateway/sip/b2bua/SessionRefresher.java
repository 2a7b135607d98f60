package org.webims.gateway.sip.b2bua;

import java.text.ParseException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.SipException;
import javax.sip.message.Request;
import javax.sip.message.Response;
import org.webims.gateway.ports.call.CallEnd;
import org.webims.gateway.ports.call.EndCause;
import org.webims.gateway.ports.call.Party;
import org.webims.gateway.sip.call.SessionTimer;
import org.webims.gateway.sip.signalling.SipContext;
import org.webims.gateway.sip.runtime.KeyedSerialExecutor;

/**
 * Session timers (RFC 4028) on the IMS leg: the gateway refreshes it itself when it is the refresher, so the
 * WebRTC client need not, and makes the core the refresher on the calls the core started.
 */
final class SessionRefresher {
    private static final Logger LOG = Logger.getLogger(SessionRefresher.class.getName());

    private final SipContext sip;
    private final LegSignals signals;
    private final KeyedSerialExecutor work;
    private final ScheduledExecutorService timers;
    private final Teardown teardown;

    SessionRefresher(SipContext sip, LegSignals signals, KeyedSerialExecutor work, ScheduledExecutorService timers,
            Teardown teardown) {
        this.sip = sip;
        this.signals = signals;
        this.work = work;
        this.timers = timers;
        this.teardown = teardown;
    }

    /**
     * RFC 4028 §9: the refresher sends a session refresh before half the interval has passed. The gateway refreshes
     * the IMS leg with an UPDATE without SDP (§7.4), which touches neither the media nor the WebRTC leg; a failed
     * refresh ends the call (§10).
     */
    void schedule(Call call, Leg leg, SessionTimer timer) {
        leg.sessionRefresh = timers.schedule(() -> work.execute(call.key, () -> refresh(call, leg, timer)),
                Math.max(1000, timer.refreshAfter().toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void refresh(Call call, Leg leg, SessionTimer timer) {
        if (!call.isConfirmed()) {
            return;
        }
        try {
            Request update = leg.dialog.createRequest(Request.UPDATE);
            update.addHeader(sip.headers.createHeader(B2bua.SESSION_EXPIRES, timer.headerValue()));
            update.addHeader(sip.headers.createSupportedHeader("timer"));
            signals.sendInDialog(leg, update, new LegTransaction(call, leg, LegTransaction.Purpose.REFRESH, null, null));
        } catch (ParseException | SipException | javax.sip.InvalidArgumentException | RuntimeException e) {
            LOG.log(Level.WARNING, "Session refresh failed in " + call, e);
            teardown.abandon(call, new CallEnd(EndCause.REFRESH_FAILED, Party.GATEWAY, 0, "session refresh failed"));
        }
    }

    void answered(LegTransaction lt, Response response) {
        int status = response.getStatusCode();
        if (status < 200) {
            return;
        }
        Call call = lt.call();
        if (status < 300) {
            SessionTimer.parse(LegSignals.headerValue(response, B2bua.SESSION_EXPIRES), true)
                    .filter(SessionTimer::refresherIsUac)
                    .ifPresent(timer -> schedule(call, lt.leg(), timer));
        } else {
            // RFC 4028 §10: a refresh refused ends the session
            teardown.abandon(call, new CallEnd(EndCause.REFRESH_FAILED, Party.IMS, status,
                    "session refresh answered " + status));
        }
    }

    /**
     * RFC 4028 §9: to a core that asked for a session timer, the 2xx makes the core (the UAC) the refresher; its
     * refreshes are relayed to the client like any mid-dialog request.
     */
    void keepCoreRefreshing(Request invite, Response ok) throws ParseException {
        SessionTimer.parse(LegSignals.headerValue(invite, B2bua.SESSION_EXPIRES), true).ifPresent(asked -> {
            try {
                ok.addHeader(sip.headers.createHeader(B2bua.SESSION_EXPIRES,
                        new SessionTimer(asked.interval(), true).headerValue()));
                ok.addHeader(sip.headers.createRequireHeader("timer"));
            } catch (ParseException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
