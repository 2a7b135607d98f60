package org.webims.gateway.ejb.policy;

import java.util.Locale;
import org.webims.gateway.ports.policy.Impus;
import org.webims.gateway.ports.policy.Layer;

/**
 * Which entry of which layer: the operator default (one, key {@code default}), a subscriber by IMPU, a provider by id,
 * an access network by name; IMPUs as {@link Impus#normalise} writes them.
 */
public record PolicyKey(Layer layer, String key) {
    public static final PolicyKey DEFAULT = new PolicyKey(Layer.DEFAULT, "default");

    public PolicyKey {
        if (layer == Layer.CLIENT) {
            throw new IllegalArgumentException("the client layer is not stored");
        }
        key = layer == Layer.SUBSCRIBER ? Impus.normalise(key) : key;
    }

    /** The record id: {@code subscriber:sip:alice@ims.example}. */
    public String id() {
        return layer.name().toLowerCase(Locale.ROOT) + ":" + key;
    }
}
