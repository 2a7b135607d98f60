package org.webims.gateway.ports.policy;

/**
 * A layer of policy (TS 22.228 §11.2): the operator's default, the user's subscription, the provider of the client,
 * the access network, and what the client itself can do. Layers combine by intersection: the most restrictive wins.
 */
public enum Layer {
    DEFAULT("operator"),
    SUBSCRIBER("subscriber"),
    PROVIDER("provider"),
    NETWORK("access network"),
    CLIENT("client");

    private final String label;

    Layer(String label) {
        this.label = label;
    }

    /** How a Warning or a log line names the layer, e.g. {@code provider}. */
    public String label() {
        return label;
    }
}
