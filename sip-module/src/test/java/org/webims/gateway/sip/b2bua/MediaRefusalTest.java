package org.webims.gateway.sip.b2bua;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.call.SdpProblem;
import org.webims.gateway.sip.media.MediaGatewayException;
import org.webims.gateway.sip.media.MediaGatewayException.Failure;

class MediaRefusalTest {

    @Test
    void theOffersFaultIs488AndTheGatewaysIs503WithRetryAfter() {
        assertEquals(new MediaRefusal(488, 305, "too many formats", 0),
                MediaRefusal.of(new OfferGate.RefusedSdp(new SdpProblem(305, "too many formats"))));
        assertEquals(488, MediaRefusal.of(new MediaGatewayException("x", Failure.BAD_SDP)).status());
        MediaRefusal ports = MediaRefusal.of(new CompletionException(new MediaGatewayException("x",
                Failure.OUT_OF_PORTS)));
        assertEquals(503, ports.status());
        assertEquals("media gateway out of ports", ports.warning());
        assertEquals(MediaRefusal.RETRY_AFTER_SECONDS, ports.retryAfterSeconds());
        assertEquals(MediaRefusal.UNAVAILABLE, MediaRefusal.of(new MediaGatewayException("did not answer")));
        assertEquals(MediaRefusal.UNAVAILABLE, MediaRefusal.of(new MediaGatewayException("x", Failure.REFUSED)));
        assertEquals(MediaRefusal.INTERNAL, MediaRefusal.of(new IllegalStateException("bug")));
    }
}
