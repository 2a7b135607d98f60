package org.webims.gateway.ports.call;

import java.util.Objects;

/**
 * How a call ended: the cause, who caused it, the SIP status where one applies (0 otherwise) and a short text for
 * logs and Warnings.
 */
public record CallEnd(EndCause cause, Party by, int status, String detail) {
    public CallEnd {
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(detail, "detail");
    }

    public static CallEnd bye(Party by) {
        return new CallEnd(EndCause.BYE, by, 0, "BYE from the " + by.label() + " side");
    }

    public static CallEnd cancel(Party by) {
        return new CallEnd(EndCause.CANCEL, by, 487, "cancelled by the " + by.label() + " side");
    }

    public static CallEnd refused(Party by, int status, String detail) {
        return new CallEnd(EndCause.REFUSED, by, status, detail);
    }

    @Override
    public String toString() {
        return cause.name().toLowerCase() + (status > 0 ? " " + status : "") + ": " + detail;
    }
}
