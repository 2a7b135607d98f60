package org.webims.gateway.sip.admission;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.webims.gateway.ports.policy.AllowedDestinations;
import org.webims.gateway.ports.policy.BarredPrefix;
import org.webims.gateway.ports.policy.DialPlan;
import org.webims.gateway.ports.policy.EffectivePolicy;
import org.webims.gateway.ports.policy.Layer;
import org.webims.gateway.ports.policy.Service;
import org.webims.gateway.ports.policy.Source;

/**
 * The policy rules of a session request (TS 22.228 §11.2), in order: a barred subscriber, a barred destination
 * (originating only), then the media: audio not allowed refuses the call, video not allowed (by a policy layer or
 * because the client cannot take it) is declined and the call goes on with its other streams. The counts of
 * simultaneous calls are checked by {@link CallCounts} once the rest admits.
 */
public final class SessionAdmission {
    static final int FORBIDDEN = 403;

    private SessionAdmission() {
    }

    /**
     * @param destination the called party of an originating call; null for a terminating one
     * @param offered     the media kinds of the offer ({@code audio}, {@code video}, ...); empty when it has none yet
     * @param clientVideo whether the WebRTC client can take video (RFC 3840 {@code video} feature tag at REGISTER)
     */
    public static Verdict decide(EffectivePolicy policy, DialPlan.Destination destination, Set<String> offered,
            boolean clientVideo) {
        if (policy.barred() != null) {
            return refuse("Forbidden (barred)", "subscriber barred by " + policy.barred().describe());
        }
        if (destination != null) {
            Optional<BarredPrefix> barring = policy.barring(destination);
            if (barring.isPresent()) {
                return refuse("Forbidden (barred destination)", "destination " + barring.get().prefix()
                        + " barred by " + barring.get().source().describe());
            }
            Optional<AllowedDestinations> allowList = policy.notAllowing(destination);
            if (allowList.isPresent()) {
                return refuse("Forbidden (destination not allowed)", "destination not allowed by "
                        + allowList.get().source().describe());
            }
        }
        // Video not allowed is declined whether or not this offer has it: a later re-offer (RFC 3264 §8) or the
        // offer in an answer (§5) must not bring it in either.
        Map<Service, Source> declined = new EnumMap<>(Service.class);
        policy.deniedBy(Service.VIDEO).ifPresent(source -> declined.put(Service.VIDEO, source));
        if (!clientVideo) {
            declined.putIfAbsent(Service.VIDEO, new Source(Layer.CLIENT, "without video"));
        }
        boolean audioOffered = offered.contains("audio");
        Optional<Source> audioDenied = policy.deniedBy(Service.AUDIO);
        if (audioDenied.isPresent() && (audioOffered || offered.isEmpty())) {
            return refuse("Forbidden (service not allowed)", "audio not allowed by " + audioDenied.get().describe());
        }
        boolean somethingLeft = offered.isEmpty() || offered.stream()
                .anyMatch(kind -> !"video".equals(kind) || !declined.containsKey(Service.VIDEO));
        if (!somethingLeft) {
            return refuse("Forbidden (service not allowed)", "video not allowed by "
                    + declined.get(Service.VIDEO).describe());
        }
        return new Verdict.Admit(declined);
    }

    private static Verdict refuse(String reason, String warning) {
        return new Verdict.Refuse(FORBIDDEN, reason, warning);
    }
}
