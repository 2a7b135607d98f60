package org.webims.gateway.sip.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MediaLegsTest {

    @Test
    void theAnsweringTagIsOptionalUntilKnown() {
        MediaLegs offered = MediaLegs.offered("call-1", "webrtc");
        assertNull(offered.toTag());
        assertEquals(new MediaLegs("call-1", "webrtc", "ims"), offered.withToTag("ims"));
    }

    @Test
    void reversedIsTheSessionSeenFromTheOtherParty() {
        assertEquals(new MediaLegs("call-1", "ims", "webrtc"), new MediaLegs("call-1", "webrtc", "ims").reversed());
        assertThrows(IllegalStateException.class, () -> MediaLegs.offered("call-1", "webrtc").reversed());
    }

    @Test
    void identitiesMustNotBeBlank() {
        assertThrows(IllegalArgumentException.class, () -> new MediaLegs(" ", "a", null));
        assertThrows(IllegalArgumentException.class, () -> new MediaLegs("c", null, null));
        assertThrows(IllegalArgumentException.class, () -> new MediaLegs("c", "a", ""));
    }

    @Test
    void sidesAreOpposites() {
        assertEquals(Side.IMS, Side.WEBRTC.opposite());
        assertEquals(Side.WEBRTC, Side.IMS.opposite());
    }
}
