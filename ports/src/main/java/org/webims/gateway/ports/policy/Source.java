package org.webims.gateway.ports.policy;

import java.util.Objects;

/** The layer, and which entry of it, that set a part of an effective policy: e.g. provider {@code demo-shop}. */
public record Source(Layer layer, String name) {
    public Source {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(name, "name");
    }

    public static final Source OPERATOR_DEFAULT = new Source(Layer.DEFAULT, "default");

    /** As a Warning names it: {@code provider demo-shop}, {@code operator default}. */
    public String describe() {
        return layer.label() + " " + name;
    }
}
