package org.webims.gateway.ejb.charging;

import org.webims.gateway.ports.call.CallEnd;

/**
 * TS 32.299 §7.2.35 Cause-Code: 0 and below for success (0 normal end of session, -1 successful transaction), above
 * zero for failures (1 unspecified error, 2 unsuccessful session setup, 3 internal error, and the SIP status of a
 * 4xx, 5xx or 6xx final response).
 */
public final class CauseCode {
    public static final int NORMAL_END = 0;
    public static final int SUCCESSFUL_TRANSACTION = -1;
    public static final int UNSPECIFIED_ERROR = 1;
    public static final int UNSUCCESSFUL_SESSION_SETUP = 2;
    public static final int INTERNAL_ERROR = 3;

    private CauseCode() {}

    /** Why a call ended, answered ({@code wasAnswered}, a STOP) or not (an EVENT of a failed attempt). */
    public static int of(CallEnd end, boolean wasAnswered) {
        return switch (end.cause()) {
            case BYE, POLICY_LIMIT, CREDIT_LIMIT -> wasAnswered ? NORMAL_END : UNSUCCESSFUL_SESSION_SETUP;
            case CANCEL, REFUSED, TIMEOUT -> failure(end.status(), UNSUCCESSFUL_SESSION_SETUP);
            case FLOW_CLOSED, REFRESH_FAILED, BEARER_LOST -> wasAnswered ? UNSPECIFIED_ERROR : UNSUCCESSFUL_SESSION_SETUP;
            case MEDIA_FAILURE, GATEWAY_ERROR -> INTERNAL_ERROR;
        };
    }

    /** A MESSAGE's final status: -1 when delivered, its status when refused. */
    public static int ofTransaction(int status) {
        return status / 100 == 2 ? SUCCESSFUL_TRANSACTION : failure(status, UNSPECIFIED_ERROR);
    }

    private static int failure(int status, int otherwise) {
        return status >= 400 && status < 700 ? status : otherwise;
    }
}
