package org.webims.gateway.sip.b2bua;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Message;

/** Reading and writing message bodies, SDP in particular (RFC 3264 offers and answers ride in them). */
final class SipBodies {
    private SipBodies() {}

    static String sdp(Message message) {
        ContentTypeHeader type = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
        byte[] raw = message.getRawContent();
        if (type == null || raw == null || raw.length == 0) {
            return null;
        }
        boolean isSdp = "application".equalsIgnoreCase(type.getContentType())
                && "sdp".equalsIgnoreCase(type.getContentSubType());
        return isSdp ? new String(raw, StandardCharsets.UTF_8) : null;
    }

    static void setSdp(Message message, HeaderFactory headers, String sdp) throws ParseException {
        message.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
    }

    /** Copies a non-SDP body as it is (INFO dtmf-relay, MESSAGE text, NOTIFY sipfrag...). */
    static void copyBody(Message from, Message to) throws ParseException {
        ContentTypeHeader type = (ContentTypeHeader) from.getHeader(ContentTypeHeader.NAME);
        byte[] raw = from.getRawContent();
        if (type != null && raw != null && raw.length > 0) {
            to.setContent(raw, (ContentTypeHeader) type.clone());
        }
    }
}
