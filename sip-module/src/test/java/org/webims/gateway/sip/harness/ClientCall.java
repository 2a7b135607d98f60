package org.webims.gateway.sip.harness;

import gov.nist.javax.sip.message.SIPResponse;

/** One call a {@link WebRtcClient} places: its INVITE, ACK, BYE and CANCEL written as the browser writes them. */
final class ClientCall {
    static final String OFFER = String.join("\r\n", "v=0", "o=- 46117 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "a=group:BUNDLE 0", "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=rtcp:9 IN IP4 0.0.0.0",
            "a=candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host generation 0", "a=ice-ufrag:Jx4r",
            "a=ice-pwd:U7kq0fG2pL9sT3vW8yZ1bC4d",
            "a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08",
            "a=setup:actpass", "a=mid:0", "a=sendrecv", "a=rtcp-mux", "a=rtpmap:111 opus/48000/2", "") + "\r\n";

    private final WebRtcClient client;
    final String target;
    final String callId;
    private final String branch;
    private SIPResponse answer;
    private long cseq = 1;

    ClientCall(WebRtcClient client, String target) {
        this.client = client;
        this.target = target;
        this.callId = "call-" + System.nanoTime();
        this.branch = "inv" + System.nanoTime();
    }

    /** Sends the INVITE, with these header lines besides its own (e.g. {@code Require: 100rel}). */
    ClientCall invite(String... headers) {
        java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of("INVITE " + target + " SIP/2.0",
                client.via(branch), "Max-Forwards: 70", "From: <" + client.aor + ">;tag=c1", "To: <" + target + ">",
                "Call-ID: " + callId, "CSeq: 1 INVITE", client.contact()));
        lines.addAll(java.util.List.of(headers));
        lines.addAll(java.util.List.of("Content-Type: application/sdp", "Content-Length: " + OFFER.length(), "",
                OFFER));
        client.send(lines.toArray(String[]::new));
        return this;
    }

    SIPResponse awaitFinal() {
        answer = (SIPResponse) Await.first("final answer to the INVITE " + callId, client::received,
                m -> m instanceof SIPResponse r && r.getStatusCode() >= 200 && callId.equals(r.getCallId().getCallId())
                        && "INVITE".equals(r.getCSeq().getMethod()));
        return answer;
    }

    /** Waits for the 200 and acknowledges it. */
    ClientCall connected() {
        SIPResponse ok = awaitFinal();
        if (ok.getStatusCode() != 200) {
            throw new AssertionError("not answered: " + ok);
        }
        ack(ok);
        return this;
    }

    /** A re-INVITE in the dialog with the same offer (RFC 3264 §8); waits for its 200 and acknowledges it. */
    ClientCall reinvite() {
        ack(reinviteAnswered());
        return this;
    }

    /** RFC 3261 §13.2.2.4: the ACK of this 2xx to one of our INVITEs, a transaction of its own. */
    void ack(SIPResponse ok) {
        client.send("ACK " + target + " SIP/2.0", client.via("ack" + System.nanoTime()), "Max-Forwards: 70",
                "From: <" + client.aor + ">;tag=c1", "To: " + ok.getTo().getAddress() + ";tag=" + ok.getToTag(),
                "Call-ID: " + callId, "CSeq: " + ok.getCSeq().getSeqNumber() + " ACK", "Content-Length: 0", "", "");
    }

    /** Whether {@code message} is a 2xx to one of this call's INVITEs. */
    boolean isInviteOk(gov.nist.javax.sip.message.SIPMessage message) {
        return message instanceof SIPResponse r && r.getStatusCode() / 100 == 2
                && callId.equals(r.getCallId().getCallId()) && "INVITE".equals(r.getCSeq().getMethod());
    }

    /** A re-INVITE in the dialog with the same offer; its 200, not acknowledged. */
    SIPResponse reinviteAnswered() {
        long n = ++cseq;
        client.send("INVITE " + target + " SIP/2.0", client.via("reinv" + System.nanoTime()), "Max-Forwards: 70",
                "From: <" + client.aor + ">;tag=c1", "To: " + answer.getTo().getAddress() + ";tag=" + answer.getToTag(),
                "Call-ID: " + callId, "CSeq: " + n + " INVITE", client.contact(), "Content-Type: application/sdp",
                "Content-Length: " + OFFER.length(), "", OFFER);
        SIPResponse ok = (SIPResponse) Await.first("the 200 to the re-INVITE of " + callId, client::received,
                m -> m instanceof SIPResponse r && r.getStatusCode() == 200 && callId.equals(r.getCallId().getCallId())
                        && r.getCSeq().getSeqNumber() == n && "INVITE".equals(r.getCSeq().getMethod()));
        return ok;
    }

    /** The next request of this call goes with a CSeq above {@code cseq} (RFC 3261 §12.2.1.1: CSeq only grows). */
    void continueAbove(long cseq) {
        this.cseq = Math.max(this.cseq, cseq);
    }

    void bye() {
        client.send("BYE " + target + " SIP/2.0", client.via("bye" + System.nanoTime()), "Max-Forwards: 70",
                "From: <" + client.aor + ">;tag=c1", "To: " + answer.getTo().getAddress() + ";tag=" + answer.getToTag(),
                "Call-ID: " + callId, "CSeq: " + (++cseq) + " BYE", "Content-Length: 0", "", "");
    }

    /** RFC 3261 §9.1: the CANCEL has the INVITE's branch, Request-URI, From, To and Call-ID. */
    void cancel() {
        client.send("CANCEL " + target + " SIP/2.0", client.via(branch), "Max-Forwards: 70",
                "From: <" + client.aor + ">;tag=c1", "To: <" + target + ">", "Call-ID: " + callId, "CSeq: 1 CANCEL",
                "Content-Length: 0", "", "");
    }

    /** RFC 3261 §17.1.1.3: the ACK of a non-2xx final answer, in the INVITE's transaction. */
    void ackRefusal(SIPResponse refusal) {
        client.send("ACK " + target + " SIP/2.0", client.via(branch), "Max-Forwards: 70",
                "From: <" + client.aor + ">;tag=c1", "To: " + refusal.getTo().getAddress() + ";tag=" + refusal.getToTag(),
                "Call-ID: " + callId, "CSeq: 1 ACK", "Content-Length: 0", "", "");
    }
}
