package org.webims.gateway.sip.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the packet counters out of an rtpengine {@code query} reply (docs/ng_control_protocol.md, "query"
 * message): {@code tags} maps each participant's tag to its {@code label} and {@code medias}, each media to its
 * {@code streams} (RTP and RTCP), each stream to {@code stats: {packets, bytes, errors}} counted on receipt. Absent
 * or oddly typed entries count as zero rather than failing the query.
 */
final class NgStatsMapper {

    private NgStatsMapper() {}

    static MediaStats fromQuery(Map<String, Object> reply) {
        List<MediaStats.LegStats> legs = new ArrayList<>();
        for (Map.Entry<String, Object> tag : map(reply.get("tags")).entrySet()) {
            Map<String, Object> participant = map(tag.getValue());
            long packets = 0;
            long bytes = 0;
            long errors = 0;
            for (Object media : list(participant.get("medias"))) {
                for (Object stream : list(map(media).get("streams"))) {
                    Map<String, Object> stats = map(map(stream).get("stats"));
                    packets += number(stats.get("packets"));
                    bytes += number(stats.get("bytes"));
                    errors += number(stats.get("errors"));
                }
            }
            legs.add(new MediaStats.LegStats(tag.getKey(), NgFlags.side(participant.get("label")), packets, bytes,
                    errors));
        }
        return new MediaStats(legs);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    private static long number(Object value) {
        return value instanceof Long n ? n : 0;
    }
}
