package org.webims.gateway.it.support;

import java.time.Duration;
import java.util.List;
import org.webims.gateway.it.client.SipMessage;
import org.webims.gateway.it.client.SipRequestFactory;
import org.webims.gateway.it.client.WsSipClient;

/**
 * One INVITE dialog of a Java WebSocket client, as a WebRTC client runs it: the INVITE with an SDP offer, then
 * ACK, BYE and CANCEL built from the dialog the 2xx established (RFC 3261 §12.2.1.1, §13.2.2.4).
 */
public final class WsCall {
    private final WsSipClient client;
    private final String target;
    private final String callId = SipRequestFactory.newCallId();
    private final String fromTag = SipRequestFactory.newTag();
    private final String inviteBranch = SipRequestFactory.newBranch();
    private String invite;
    private SipMessage answer;
    private long cseq = 1;

    public WsCall(WsSipClient client, String target) {
        this.client = client;
        this.target = target;
    }

    /** Sends the INVITE and returns without waiting. */
    public WsCall invite(String sdp) {
        return invite(sdp, List.of());
    }

    /** Sends the INVITE with extra header lines (e.g. "Supported: 100rel") and returns without waiting. */
    public WsCall invite(String sdp, List<String> headers) {
        List<String> lines = new java.util.ArrayList<>(headers);
        lines.add(0, "Contact: <" + client.requestFactory().contactUri() + ">");
        invite = client.requestFactory().outOfDialog("INVITE", target, callId, cseq, fromTag,
                lines, "application/sdp", sdp)
                .replaceFirst("branch=[^\\r\\n;]+", "branch=" + inviteBranch);
        client.sendText(invite);
        return this;
    }

    /** The next response to the INVITE with this status (1xx or final). */
    public SipMessage await(int status, Duration wait) {
        SipMessage response = client.awaitMessage("INVITE response " + status,
                m -> m.isResponse() && callId.equals(m.callId()) && "INVITE".equals(m.cseqMethod())
                        && m.status() == status, wait);
        if (status >= 200 && status < 300) {
            answer = response;
        }
        return response;
    }

    /** The final response to the INVITE, whatever it is. */
    public SipMessage awaitFinal(Duration wait) {
        return client.awaitMessage("final INVITE response",
                m -> m.isResponse() && callId.equals(m.callId()) && "INVITE".equals(m.cseqMethod()) && m.isFinal(),
                wait);
    }

    /**
     * RFC 3261 §17.1.1.3: the ACK of a non-2xx final response, part of the INVITE's transaction (its branch and
     * Request-URI, the response's To).
     */
    public void ackRefusal(SipMessage refusal) {
        StringBuilder ack = new StringBuilder("ACK " + target + " SIP/2.0\r\n");
        invite.lines().filter(l -> l.startsWith("Via:") || l.startsWith("Route:"))
                .forEach(l -> ack.append(l).append("\r\n"));
        ack.append("Max-Forwards: 70\r\n")
                .append("To: ").append(refusal.header("To")).append("\r\n")
                .append("From: ").append(refusal.header("From")).append("\r\n")
                .append("Call-ID: ").append(callId).append("\r\n")
                .append("CSeq: 1 ACK\r\n")
                .append("Content-Length: 0\r\n\r\n");
        client.sendText(ack.toString());
    }

    public void ack() {
        client.sendText(inDialog("ACK", cseq));
    }

    public SipMessage bye() {
        return client.request(inDialog("BYE", ++cseq));
    }

    /**
     * A BYE in this dialog sent over another client's connection, as an attacker who learned the dialog would, with
     * a CSeq far ahead of the dialog's: had the gateway's stack taken it into the dialog, the owner's next request
     * would be out of order.
     */
    public SipMessage byeOver(WsSipClient other) {
        return other.request(inDialog("BYE", cseq + 1000));
    }

    /** RFC 3262 §7.2: the PRACK of a reliable provisional response, in its early dialog. */
    public SipMessage prack(SipMessage reliable) {
        String rack = "RAck: " + reliable.header("RSeq").trim() + " " + cseq + " INVITE\r\n";
        String prack = inDialog("PRACK", ++cseq, reliable).replace("Content-Length: 0\r\n", rack
                + "Content-Length: 0\r\n");
        return client.request(prack);
    }

    /** An INFO within the dialog with the given body (RFC 6086). */
    public SipMessage info(String contentType, String body) {
        String info = inDialog("INFO", ++cseq).replace("Content-Length: 0\r\n\r\n", "Content-Type: " + contentType
                + "\r\nContent-Length: " + body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                + "\r\n\r\n" + body);
        return client.request(info);
    }

    /**
     * A re-INVITE in this dialog with an SDP offer (RFC 3261 §14.1), and its final response within {@code wait}:
     * a non-2xx is ACKed within its transaction (§17.1.1.3: same branch and Request-URI), a 2xx in the dialog.
     */
    public SipMessage reinvite(String sdp, Duration wait) {
        return reoffer("INVITE", sdp, wait);
    }

    /** An UPDATE in this dialog with an SDP offer (RFC 3311), and its final response within {@code wait}. */
    public SipMessage update(String sdp, Duration wait) {
        return reoffer("UPDATE", sdp, wait);
    }

    private SipMessage reoffer(String method, String sdp, Duration wait) {
        long number = ++cseq;
        String request = inDialog(method, number).replace("Content-Length: 0\r\n\r\n",
                "Contact: <" + client.requestFactory().contactUri() + ">\r\nContent-Type: application/sdp\r\n"
                        + "Content-Length: " + sdp.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        + "\r\n\r\n" + sdp);
        SipMessage response = client.request(request, wait);
        if (!"INVITE".equals(method)) {
            return response;
        }
        if (response.status() >= 300) {
            String requestLine = request.substring(0, request.indexOf("\r\n"));
            String via = request.lines().filter(l -> l.startsWith("Via:")).findFirst().orElseThrow();
            client.sendText(requestLine.replaceFirst("^INVITE ", "ACK ") + "\r\n" + via + "\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "To: " + response.header("To") + "\r\n"
                    + "From: " + response.header("From") + "\r\n"
                    + "Call-ID: " + callId + "\r\n"
                    + "CSeq: " + number + " ACK\r\n"
                    + "Content-Length: 0\r\n\r\n");
        } else {
            client.sendText(inDialog("ACK", number));
        }
        return response;
    }

    /** RFC 3261 §9.1: same Request-URI, Call-ID, From, To, CSeq number and Via branch as the INVITE. */
    public SipMessage cancel() {
        String cancel = invite.replaceFirst("^INVITE ", "CANCEL ")
                .replace("CSeq: " + cseq + " INVITE", "CSeq: " + cseq + " CANCEL")
                .replaceAll("Content-Type: [^\\r\\n]+\\r\\n", "")
                .replaceAll("(?s)Content-Length: \\d+\\r\\n\\r\\n.*", "Content-Length: 0\r\n\r\n");
        return client.request(cancel);
    }

    public String callId() {
        return callId;
    }

    private String inDialog(String method, long number) {
        return inDialog(method, number, answer);
    }

    private String inDialog(String method, long number, SipMessage answer) {
        String remoteTarget = answer.header("Contact").replaceAll("^.*<|>.*$", "");
        return method + " " + remoteTarget + " SIP/2.0\r\n"
                + "Via: SIP/2.0/WSS " + client.requestFactory().viaHost() + ";branch="
                + SipRequestFactory.newBranch() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: " + answer.header("To") + "\r\n"
                + "From: " + answer.header("From") + "\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + number + " " + method + "\r\n"
                + "Content-Length: 0\r\n\r\n";
    }
}
