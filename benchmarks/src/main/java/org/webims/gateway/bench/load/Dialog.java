package org.webims.gateway.bench.load;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The UAC side of an INVITE dialog (RFC 3261 §12.1.2): Call-ID, local From with tag, remote To with tag, the remote
 * target from the 2xx Contact and the route set from its Record-Route, reversed.
 */
public final class Dialog {
    private final String callId;
    private final String from;
    private final String to;
    private final String remoteTarget;
    private final List<String> routeSet;
    private final AtomicLong cseq = new AtomicLong(1);

    Dialog(String callId, String from, String to, String remoteTarget, List<String> routeSet) {
        this.callId = callId;
        this.from = from;
        this.to = to;
        this.remoteTarget = remoteTarget;
        this.routeSet = List.copyOf(routeSet);
    }

    public String callId() {
        return callId;
    }

    long nextCseq() {
        return cseq.incrementAndGet();
    }

    /** A request within the dialog (RFC 3261 §12.2.1.1), loose routing: Request-URI = remote target. */
    String request(String method, long number, String viaHost) {
        StringBuilder out = new StringBuilder(768).append(method).append(' ').append(remoteTarget).append(" SIP/2.0\r\n")
                .append("Via: SIP/2.0/WSS ").append(viaHost).append(";branch=").append(SipClient.newBranch())
                .append("\r\n")
                .append("Max-Forwards: 70\r\n");
        for (String route : routeSet) {
            out.append("Route: ").append(route).append("\r\n");
        }
        return out.append("To: ").append(to).append("\r\n")
                .append("From: ").append(from).append("\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: ").append(number).append(' ').append(method).append("\r\n")
                .append("Content-Length: 0\r\n\r\n").toString();
    }
}
