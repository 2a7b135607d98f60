package org.webims.gateway.ports.call;

import java.util.List;

/** One media stream of one side of a call: its kind ({@code audio}, {@code video}, ...), codecs, and whether it is
 *  active (a port other than 0, RFC 3264 §8.2). */
public record MediaStream(String kind, List<String> codecs, boolean active) {
    public MediaStream {
        codecs = List.copyOf(codecs);
    }
}
