package org.webims.gateway.sip.b2bua;

import java.text.ParseException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sip.InvalidArgumentException;
import javax.sip.SipException;
import javax.sip.header.Header;
import org.webims.gateway.ports.call.CallEnd;
import org.webims.gateway.ports.call.EndCause;
import org.webims.gateway.ports.call.Party;
import org.webims.gateway.ports.qos.MediaComponent;
import org.webims.gateway.ports.qos.QosControl;
import org.webims.gateway.ports.qos.QosDecision;
import org.webims.gateway.sip.admission.Verdict;
import org.webims.gateway.sip.call.MediaFlows;
import org.webims.gateway.sip.runtime.KeyedSerialExecutor;
import org.webims.gateway.sip.signalling.SipContext;

/**
 * QoS for the WebRTC leg where the client's access network supports it (TS 22.228 §11.2, TS 29.214 with the gateway
 * as the AF): authorised at the PCRF before the call goes on (the client's offer, or ours toward a called client),
 * told of each negotiated change, released with the call ({@link Teardown#end}). The call waits for the PCRF on no
 * thread; a refusal where QoS is required ends it before anything more is set up. The network losing the bearer
 * releases the call on both legs with BYE and Reason {@code RELEASE_CAUSE;cause=3} (TS 24.229 §7.2A.18).
 */
final class QosGate {
    private static final Logger LOG = Logger.getLogger(QosGate.class.getName());
    private final QosControl qos;
    private final KeyedSerialExecutor work;
    private final Teardown teardown;
    private final SipContext sip;

    QosGate(QosControl qos, KeyedSerialExecutor work, Teardown teardown, SipContext sip) {
        this.qos = qos;
        this.work = work;
        this.teardown = teardown;
        this.sip = sip;
    }

    /** Whether this call's QoS is asked for: Rx is on and the client's access network has QoS. */
    private boolean applies(Call call) {
        return qos.enabled() && call.policy() != null && call.policy().qos() && call.webrtc.flow != null;
    }

    /** Authorises the call's media, then runs {@code next} with {@code sdp} on the call's queue if it may go on. */
    void then(Call call, String sdp, MediaSteps.SdpStep next) {
        if (!applies(call)) {
            proceed(call, sdp, next);
            return;
        }
        call.qosRequested = true;
        Leg webrtc = call.webrtc;
        String client = webrtc.flow.connection().clientAddress().getHostAddress();
        qos.authorise(call.facts(), client, flows(webrtc), why -> work.execute(call.key, () -> bearerLost(call, why)))
                .whenComplete((decision, error) -> work.execute(call.key, () -> {
                    if (!call.isLive()) {
                        return; // its end already withdrew the authorisation
                    }
                    if (error != null) {
                        LOG.log(Level.WARNING, "QoS authorisation failed for " + call, error);
                        teardown.refuse(call, new Verdict.Refuse(500, null, "QoS authorisation failed"));
                    } else if (decision instanceof QosDecision.Refused refused) {
                        teardown.refuse(call, new Verdict.Refuse(refused.status(), null, refused.warning()));
                    } else {
                        proceed(call, sdp, next);
                    }
                }));
    }

    private void proceed(Call call, String sdp, MediaSteps.SdpStep next) {
        try {
            next.accept(sdp);
        } catch (ParseException | SipException | InvalidArgumentException | RuntimeException e) {
            LOG.log(Level.SEVERE, "Failed to continue " + call, e);
            teardown.fail(call, MediaRefusal.INTERNAL);
        }
    }

    /** The WebRTC leg's media changed (the answer, a re-offer): the PCRF is told (TS 29.214 §4.4.2). */
    void changed(Call call) {
        if (call.qosRequested && call.isLive()) {
            qos.modify(call.id, flows(call.webrtc));
        }
    }

    private static List<MediaComponent> flows(Leg webrtc) {
        return MediaFlows.of(webrtc.partySdp, webrtc.ourSdp, webrtc.partyOffered);
    }

    private void bearerLost(Call call, String why) {
        if (!call.isLive()) {
            return;
        }
        LOG.info(() -> "Releasing " + call + ": " + why);
        Header reason = null;
        try {
            reason = sip.headers.createHeader("Reason", "RELEASE_CAUSE;cause=3;text=\"Media bearer loss\"");
        } catch (ParseException e) {
            LOG.log(Level.FINE, "No Reason for the BYE of " + call, e);
        }
        teardown.abandon(call, new CallEnd(EndCause.BEARER_LOST, Party.GATEWAY, 0, why), reason);
    }
}
