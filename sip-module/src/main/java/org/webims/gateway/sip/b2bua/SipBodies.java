package org.webims.gateway.sip.b2bua;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.HeaderFactory;
import javax.sip.message.Message;

/** Reading and writing message bodies, SDP in particular (RFC 3264 offers and answers ride in them). */
final class SipBodies {
    private SipBodies() {}

    /**
     * The SDP of a message: its body when that is {@code application/sdp}, or the {@code application/sdp} part of a
     * {@code multipart/mixed} body (RFC 5621; e.g. SDP beside ISUP from a core interworking with SIP-I), so that
     * no SDP ever passes the media gateway by riding in a multipart body. Null when there is none.
     */
    static String sdp(Message message) {
        ContentTypeHeader type = (ContentTypeHeader) message.getHeader(ContentTypeHeader.NAME);
        byte[] raw = message.getRawContent();
        if (type == null || raw == null || raw.length == 0) {
            return null;
        }
        if (isSdp(type.getContentType() + "/" + type.getContentSubType())) {
            return new String(raw, StandardCharsets.UTF_8);
        }
        String boundary = type.getParameter("boundary");
        if ("multipart".equalsIgnoreCase(type.getContentType()) && boundary != null) {
            return sdpPart(new String(raw, StandardCharsets.UTF_8), unquote(boundary));
        }
        return null;
    }

    private static boolean isSdp(String mediaType) {
        return mediaType.strip().toLowerCase(java.util.Locale.ROOT).startsWith("application/sdp");
    }

    /** RFC 2046 §5.1.1: the parts between {@code --boundary} lines, each headers, an empty line, then content. */
    static String sdpPart(String body, String boundary) {
        String delimiter = "--" + boundary;
        String[] parts = body.split("(?:\\r\\n|^)" + java.util.regex.Pattern.quote(delimiter));
        for (String part : parts) {
            if (part.startsWith("--")) {
                break; // the close delimiter
            }
            int headersEnd = part.indexOf("\r\n\r\n");
            if (headersEnd < 0) {
                continue;
            }
            for (String header : part.substring(0, headersEnd).split("\r\n")) {
                int colon = header.indexOf(':');
                if (colon > 0 && header.substring(0, colon).strip().equalsIgnoreCase("Content-Type")
                        && isSdp(header.substring(colon + 1))) {
                    return part.substring(headersEnd + 4);
                }
            }
        }
        return null;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    static void setSdp(Message message, HeaderFactory headers, String sdp) throws ParseException {
        message.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
    }

    /**
     * Copies a non-SDP body as it is (INFO dtmf-relay, MESSAGE text, NOTIFY sipfrag, a 380's XML...) with the headers
     * that describe it. A multipart body that mentions SDP anywhere (nested, or with delimiters we could not read)
     * is not copied: no SDP may reach the other leg without passing the media gateway.
     */
    static void copyBody(Message from, Message to) throws ParseException {
        ContentTypeHeader type = (ContentTypeHeader) from.getHeader(ContentTypeHeader.NAME);
        byte[] raw = from.getRawContent();
        if (type == null || raw == null || raw.length == 0) {
            return;
        }
        if ("multipart".equalsIgnoreCase(type.getContentType())
                && new String(raw, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT)
                        .contains("application/sdp")) {
            return;
        }
        to.setContent(raw, (ContentTypeHeader) type.clone());
        for (String name : BODY_HEADERS) {
            javax.sip.header.Header header = from.getHeader(name);
            if (header != null) {
                to.setHeader((javax.sip.header.Header) header.clone());
            }
        }
    }

    /** RFC 3261 §20: what says how to read a body besides its Content-Type. */
    private static final java.util.List<String> BODY_HEADERS = java.util.List.of("Content-Encoding",
            "Content-Language", "Content-Disposition");
}
