package org.webims.gateway.sip.admission;

import java.util.Map;
import org.webims.gateway.ports.policy.Service;
import org.webims.gateway.ports.policy.Source;

/** What admission decided for a session request. */
public sealed interface Verdict {

    /**
     * Admitted; the streams of these kinds are declined (port 0, RFC 3264 §6) on both legs, each with the layer that
     * did not allow it.
     */
    record Admit(Map<Service, Source> declined) implements Verdict {
        public Admit {
            declined = Map.copyOf(declined);
        }
    }

    /** Refused with a SIP status, a reason phrase and a Warning text (RFC 3261 §20.43) naming the layer. */
    record Refuse(int status, String reason, String warning) implements Verdict {
    }
}
