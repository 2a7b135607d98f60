package org.webims.gateway.sip.transport;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The result of parsing one WebSocket message as SIP: the message, and what was wrong with it. A message whose
 * headers needed to address a response are intact can be answered with 400 (RFC 3261 §21.4.1); anything else can
 * only be dropped.
 */
record InboundMessage(SIPMessage message, String problem) {

    static InboundMessage parse(byte[] data) {
        List<String> badHeaders = new ArrayList<>();
        SIPMessage message;
        try {
            message = new StringMsgParser().parseSIPMessage(data, true, false,
                    (ex, partial, headerClass, headerText, messageText) -> badHeaders.add(headerName(headerText)));
        } catch (ParseException | RuntimeException e) {
            return new InboundMessage(null, "not a SIP message (" + oneLine(e.getMessage()) + ")");
        }
        if (message == null) {
            return new InboundMessage(null, "empty message");
        }
        String missing = missingAddressingHeader(message);
        if (missing != null) {
            return new InboundMessage(message, "missing or malformed " + missing + " header");
        }
        if (message instanceof SIPRequest request && request.getMaxForwards() == null) {
            return new InboundMessage(message, "missing Max-Forwards header");
        }
        String tooLong = HeaderLimits.overLimit(data);
        if (tooLong != null) {
            return new InboundMessage(message, tooLong + " header over " + HeaderLimits.MAX_LINE + " bytes");
        }
        if (!badHeaders.isEmpty()) {
            return new InboundMessage(message, "malformed " + String.join(", ", badHeaders) + " header");
        }
        if (message instanceof SIPRequest request) {
            String broken = RequestRules.broken(request);
            if (broken != null) {
                return new InboundMessage(message, broken);
            }
        }
        return new InboundMessage(message, null);
    }

    boolean ok() {
        return problem == null;
    }

    /** Whether a response can be built for it: a request whose Via, From, To, Call-ID and CSeq parsed. */
    boolean answerable() {
        return message instanceof SIPRequest && missingAddressingHeader(message) == null;
    }

    private static String missingAddressingHeader(SIPMessage m) {
        if (m.getViaHeaders() == null || m.getViaHeaders().isEmpty()) {
            return "Via";
        }
        if (m.getFrom() == null) {
            return "From";
        }
        if (m.getTo() == null) {
            return "To";
        }
        if (m.getCallId() == null) {
            return "Call-ID";
        }
        if (m.getCSeq() == null) {
            return "CSeq";
        }
        return null;
    }

    private static String headerName(String headerText) {
        if (headerText == null) {
            return "a";
        }
        int colon = headerText.indexOf(':');
        String name = colon > 0 ? headerText.substring(0, colon) : headerText;
        name = name.strip();
        return name.length() > 40 || !name.matches("[A-Za-z0-9\\-]+") ? "a" : name;
    }

    /** A single printable line, safe for a reason phrase or a log line. */
    static String oneLine(String text) {
        if (text == null) {
            return "no detail";
        }
        String line = text.replaceAll("[\\p{Cntrl}]+", " ").strip();
        return line.length() > 80 ? line.substring(0, 80) : line;
    }
}
