package org.webims.gateway.ports.policy;

/** A barred destination: a normalised prefix ({@code +1900}, {@code 00}, ...) and the layer that barred it. */
public record BarredPrefix(String prefix, Source source) {
}
