package org.webims.gateway.sip.media;

import java.util.List;
import java.util.Optional;

/**
 * Packet counters of one media session, per participant: what the gateway received from each leg's endpoint,
 * summed over its RTP and RTCP streams.
 */
public record MediaStats(List<LegStats> legs) {

    /**
     * @param tag  the participant's tag (see {@link MediaLegs})
     * @param side the side it was offered or answered from, when the gateway recorded one
     */
    public record LegStats(String tag, Optional<Side> side, long packets, long bytes, long errors) {}

    public MediaStats {
        legs = List.copyOf(legs);
    }

    public Optional<LegStats> leg(String tag) {
        return legs.stream().filter(l -> l.tag().equals(tag)).findFirst();
    }

    public Optional<LegStats> leg(Side side) {
        return legs.stream().filter(l -> l.side().equals(Optional.of(side))).findFirst();
    }
}
