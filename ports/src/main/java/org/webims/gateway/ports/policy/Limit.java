package org.webims.gateway.ports.policy;

/** A numeric limit of an effective policy and the layer that set it (the lowest of all layers that set one). */
public record Limit(int value, Source source) {
    public Limit {
        if (value < 0) {
            throw new IllegalArgumentException("a limit is never negative: " + value);
        }
    }

    /** The lower of two limits, either of which may be absent (null). */
    public static Limit lower(Limit a, Limit b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return b.value < a.value ? b : a;
    }
}
