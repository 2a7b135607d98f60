package org.webims.gateway.it.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.webims.gateway.it.client.SipRequestFactory;
import org.webims.gateway.it.support.WebrtcSdp;

/**
 * The valid requests the fuzzer starts from, one per method the gateway serves, written as a WebRTC client writes
 * them ({@link SipRequestFactory}, {@link WebrtcSdp}): out-of-dialog REGISTER, INVITE with a WebRTC offer, MESSAGE,
 * OPTIONS, SUBSCRIBE, NOTIFY, REFER and CANCEL (RFC 3261, RFC 6665, RFC 3515), and in-dialog ACK, BYE, INFO, PRACK,
 * UPDATE, REFER and re-INVITE (RFC 3261 §12.2.1.1, RFC 6086, RFC 3262, RFC 3311) in a given dialog.
 */
public final class SeedMessages {
    /** The methods seeds are written for. */
    public static final List<String> METHODS = List.of("REGISTER", "INVITE", "MESSAGE", "OPTIONS", "SUBSCRIBE",
            "NOTIFY", "REFER", "INFO", "PRACK", "UPDATE", "BYE", "ACK", "CANCEL");

    /** What an in-dialog request needs of its dialog (RFC 3261 §12.2.1.1). */
    public record Dialog(String remoteTarget, String from, String to, String callId, long cseq) {
    }

    private final SipRequestFactory factory;

    public SeedMessages(SipRequestFactory factory) {
        this.factory = factory;
    }

    /**
     * The valid request of {@code method}: out of dialog to {@code target} with {@code callId}, or within
     * {@code dialog} when it is not null and the method has an in-dialog form.
     */
    public String request(String method, String target, String callId, long cseq, Dialog dialog) {
        String tag = "fz" + Long.toHexString(cseq);
        String contact = "Contact: <" + factory.contactUri() + ">";
        if (dialog != null && !List.of("REGISTER", "MESSAGE", "OPTIONS", "SUBSCRIBE", "CANCEL").contains(method)) {
            return inDialog(method, dialog, contact);
        }
        return switch (method) {
            case "REGISTER" -> factory.register(cseq, tag, 60, null)
                    .replace("Call-ID: " + factory.registerCallId(), "Call-ID: " + callId);
            case "INVITE" -> factory.outOfDialog("INVITE", target, callId, cseq, tag, List.of(contact,
                    "Supported: 100rel, timer"), "application/sdp", WebrtcSdp.opusOffer());
            case "MESSAGE" -> factory.message(target, callId, cseq, tag, "fuzz " + callId, null);
            case "OPTIONS" -> factory.options(target, callId, cseq, tag, null);
            case "SUBSCRIBE" -> factory.outOfDialog("SUBSCRIBE", target, callId, cseq, tag, List.of(contact,
                    "Event: presence", "Expires: 60", "Accept: application/pidf+xml"), null, null);
            case "NOTIFY" -> factory.outOfDialog("NOTIFY", target, callId, cseq, tag, List.of(contact,
                    "Event: refer", "Subscription-State: active;expires=60"), "message/sipfrag",
                    "SIP/2.0 200 OK\r\n");
            case "REFER" -> factory.outOfDialog("REFER", target, callId, cseq, tag, List.of(contact,
                    "Refer-To: <sip:carol@ims.example.test>", "Referred-By: <" + factory.identity().publicId() + ">"),
                    null, null);
            case "CANCEL" -> factory.outOfDialog("CANCEL", target, callId, cseq, tag, List.of(), null, null);
            // no dialog given: the in-dialog methods as a stray request (a dialog the gateway does not know)
            default -> inDialog(method, new Dialog(target, "<" + factory.identity().publicId() + ">;tag=" + tag,
                    "<" + target + ">;tag=fzremote", callId, cseq), contact);
        };
    }

    private String inDialog(String method, Dialog dialog, String contact) {
        long number = "ACK".equals(method) ? dialog.cseq() : dialog.cseq() + 1;
        String extra = "";
        String contentType = null;
        String body = "";
        switch (method) {
            case "INVITE", "UPDATE" -> {
                extra = contact + "\r\n";
                contentType = "application/sdp";
                body = WebrtcSdp.opusOffer();
            }
            case "INFO" -> {
                contentType = "application/dtmf-relay";
                body = "Signal=5\r\nDuration=160\r\n";
            }
            case "PRACK" -> extra = "RAck: 1 " + dialog.cseq() + " INVITE\r\n";
            case "REFER" -> extra = contact + "\r\nRefer-To: <sip:carol@ims.example.test>\r\n";
            case "NOTIFY" -> {
                extra = contact + "\r\nEvent: refer\r\nSubscription-State: active;expires=60\r\n";
                contentType = "message/sipfrag";
                body = "SIP/2.0 100 Trying\r\n";
            }
            default -> { }
        }
        return method + " " + dialog.remoteTarget() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/WSS " + factory.viaHost() + ";branch=z9hG4bK" + Long.toHexString(number)
                + dialog.callId().hashCode() + "\r\n"
                + "Max-Forwards: 70\r\n"
                + "To: " + dialog.to() + "\r\n"
                + "From: " + dialog.from() + "\r\n"
                + "Call-ID: " + dialog.callId() + "\r\n"
                + "CSeq: " + number + " " + method + "\r\n"
                + extra
                + (contentType != null ? "Content-Type: " + contentType + "\r\n" : "")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }
}
