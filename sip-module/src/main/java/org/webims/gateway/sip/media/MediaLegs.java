package org.webims.gateway.sip.media;

/**
 * The identity of one media session on the gateway, in rtpengine's terms a call and its two participants
 * (monologues): {@code fromTag} is the party whose offer created or updates the session, {@code toTag} the other
 * one. These are our B2BUA's own call id and per-leg tags, not the SIP Call-ID or tags of either dialog.
 *
 * @param toTag null until the other party is known; {@link MediaGateway#answer} needs it
 */
public record MediaLegs(String callId, String fromTag, String toTag) {

    public MediaLegs {
        requireToken(callId, "callId");
        requireToken(fromTag, "fromTag");
        if (toTag != null) {
            requireToken(toTag, "toTag");
        }
    }

    /** A session whose answering party is not known yet. */
    public static MediaLegs offered(String callId, String fromTag) {
        return new MediaLegs(callId, fromTag, null);
    }

    public MediaLegs withToTag(String tag) {
        return new MediaLegs(callId, fromTag, tag);
    }

    /** The same session seen from the other party, for an offer coming from it (a re-INVITE from the callee). */
    public MediaLegs reversed() {
        if (toTag == null) {
            throw new IllegalStateException("no to-tag to reverse in " + this);
        }
        return new MediaLegs(callId, toTag, fromTag);
    }

    private static void requireToken(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
