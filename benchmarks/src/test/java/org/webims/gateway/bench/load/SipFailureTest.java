package org.webims.gateway.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SipFailureTest {

    private static SipMessage response(String status, String extra) {
        return SipMessage.parse("SIP/2.0 " + status + "\r\nVia: SIP/2.0/WSS a.invalid;branch=z9hG4bKx\r\n"
                + "Call-ID: c\r\nCSeq: 1 INVITE\r\n" + extra + "Content-Length: 0\r\n\r\n");
    }

    @Test
    void aRefusalWithRetryAfterSaysSo() {
        assertEquals("status 503 \"media gateway saturated\" with Retry-After", SipFailure.ofStatus("status ",
                response("503 Service Unavailable", "Warning: 399 gw \"media gateway saturated\"\r\n"
                        + "Retry-After: 5\r\n")).reason());
    }

    @Test
    void aBare503AndOtherStatusesDoNot() {
        assertEquals("status 503", SipFailure.ofStatus("status ", response("503 Service Unavailable", "")).reason());
        assertEquals("status 486", SipFailure.ofStatus("status ", response("486 Busy Here", "Retry-After: 5\r\n"))
                .reason(), "Retry-After only marks refusals for overload");
    }
}
