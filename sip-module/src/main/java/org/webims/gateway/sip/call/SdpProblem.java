package org.webims.gateway.sip.call;

/**
 * Why an SDP offer cannot be served: the Warning it is refused with (RFC 3261 §20.43: warn-code and text; e.g. 305
 * "Incompatible media format", 399 with the cause), in a 488 Not Acceptable Here (RFC 3261 §21.4.26).
 *
 * @param warnCode RFC 3261 §20.43 code: 301 address format, 302 transport protocol, 305 media format, 399 other
 * @param text     what is wrong, for the user and the log; never quotes the offer
 */
public record SdpProblem(int warnCode, String text) {
    static final int ADDRESS = 301;
    static final int TRANSPORT = 302;
    static final int MEDIA_FORMAT = 305;
    static final int OTHER = 399;
}
