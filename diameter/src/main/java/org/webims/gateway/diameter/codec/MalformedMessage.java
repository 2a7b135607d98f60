package org.webims.gateway.diameter.codec;

/**
 * Bytes that are not a well-formed Diameter message: the Result-Code an answer would carry (RFC 6733 §7.1.3,
 * §7.1.5) and the offending AVP when there is one (for Failed-AVP, §7.5).
 */
public final class MalformedMessage extends Exception {
    private static final long serialVersionUID = 1L;
    private final int resultCode;
    private final transient Avp failedAvp;

    public MalformedMessage(int resultCode, Avp failedAvp, String why) {
        super(why, null, false, false);
        this.resultCode = resultCode;
        this.failedAvp = failedAvp;
    }

    public int resultCode() {
        return resultCode;
    }

    /** The AVP at fault, or null. */
    public Avp failedAvp() {
        return failedAvp;
    }
}
