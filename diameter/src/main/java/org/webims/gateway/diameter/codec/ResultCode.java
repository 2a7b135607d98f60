package org.webims.gateway.diameter.codec;

/** The Result-Code values (RFC 6733 §7.1) the codec and the peer answer with or act on. */
public final class ResultCode {
    public static final int SUCCESS = 2001;
    public static final int LIMITED_SUCCESS = 2002;
    /** §7.1.3: the peer is busy; another peer may be tried. */
    public static final int COMMAND_UNSUPPORTED = 3001;
    public static final int TOO_BUSY = 3004;
    public static final int UNABLE_TO_DELIVER = 3002;
    public static final int INVALID_HDR_BITS = 3008;
    public static final int INVALID_AVP_BITS = 3009;
    public static final int AVP_UNSUPPORTED = 5001;
    /** §7.1.5: a request of a session the receiver does not know. */
    public static final int UNKNOWN_SESSION_ID = 5002;
    public static final int INVALID_AVP_VALUE = 5004;
    public static final int MISSING_AVP = 5005;
    public static final int UNSUPPORTED_VERSION = 5011;
    public static final int UNABLE_TO_COMPLY = 5012;
    public static final int INVALID_AVP_LENGTH = 5014;
    public static final int INVALID_MESSAGE_LENGTH = 5015;
    /** RFC 4006 §9: credit control. */
    public static final int END_USER_SERVICE_DENIED = 4010;
    public static final int CREDIT_LIMIT_REACHED = 4012;
    public static final int USER_UNKNOWN = 5030;

    private ResultCode() {
    }
}
