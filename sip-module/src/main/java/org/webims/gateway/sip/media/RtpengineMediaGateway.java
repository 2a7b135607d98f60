package org.webims.gateway.sip.media;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.webims.gateway.sip.call.SdpSummary;

/**
 * {@link MediaGateway} on rtpengine, driven by its ng control protocol (docs/ng_control_protocol.md: offer, answer,
 * delete, ping, query, list, play media). Translates each operation into one ng command carrying the session
 * identity ({@code call-id}, {@code from-tag}, {@code to-tag}), the SDP, the direction's options from
 * {@link NgFlags} and the {@link CodecPolicy}, and labels each participant with its {@link Side} so that
 * {@link #play} can address a side. Stateless: one instance serves every call.
 */
public final class RtpengineMediaGateway implements MediaGateway {
    /** How many call ids {@link #list()} asks for; the reply must fit in one datagram. */
    static final int LIST_LIMIT = 512;

    private final NgCommands ng;
    private final CodecPolicy codecs;

    public RtpengineMediaGateway(NgCommands ng, CodecPolicy codecs) {
        this.ng = Objects.requireNonNull(ng, "ng");
        this.codecs = Objects.requireNonNull(codecs, "codecs");
    }

    @Override
    public CompletableFuture<String> offer(MediaLegs legs, String sdp, Side toward) {
        return offer(legs, sdp, toward, NgFlags.offerToward(toward, codecs), NgCommands.Urgency.NEW_SESSION);
    }

    @Override
    public CompletableFuture<String> offerInCall(MediaLegs legs, String sdp, Side toward) {
        return offer(legs, sdp, toward, NgFlags.offerToward(toward, codecs), NgCommands.Urgency.ONGOING);
    }

    @Override
    public boolean saturated() {
        return ng.saturated();
    }

    @Override
    public CompletableFuture<String> reoffer(MediaLegs legs, String sdp, Side toward, List<String> inUse) {
        List<String> offered = SdpSummary.parse(sdp).audioCodecs();
        return offer(legs, sdp, toward, NgFlags.offerToward(toward,
                codecs.retranscodeToward(toward, inUse, offered), codecs.maskToward(toward)),
                NgCommands.Urgency.ONGOING);
    }

    private CompletableFuture<String> offer(MediaLegs legs, String sdp, Side toward, Map<String, Object> options,
            NgCommands.Urgency urgency) {
        Map<String, Object> request = session("offer", legs);
        if (legs.toTag() != null) {
            request.put("to-tag", legs.toTag());
        }
        request.put("sdp", Objects.requireNonNull(sdp, "sdp"));
        request.put("label", NgFlags.label(toward.opposite()));
        request.putAll(options);
        return ng.command(request, urgency).thenApply(reply -> sdp(reply, "offer"));
    }

    @Override
    public CompletableFuture<String> answer(MediaLegs legs, String sdp, Side toward) {
        if (legs.toTag() == null) {
            return CompletableFuture.failedFuture(new MediaGatewayException("an answer needs the answerer's tag: "
                    + legs));
        }
        Map<String, Object> request = session("answer", legs);
        request.put("to-tag", legs.toTag());
        request.put("sdp", Objects.requireNonNull(sdp, "sdp"));
        request.put("label", NgFlags.label(toward.opposite()));
        request.putAll(NgFlags.answerToward(toward));
        return ng.command(request).thenApply(reply -> sdp(reply, "answer"));
    }

    @Override
    public CompletableFuture<Void> delete(MediaLegs legs) {
        // From-tag alone: the whole session goes, both participants. An unknown call is only a warning.
        return ng.command(session("delete", legs)).thenApply(reply -> null);
    }

    @Override
    public CompletableFuture<Void> ping() {
        return ng.command(command("ping")).thenApply(reply -> null);
    }

    @Override
    public CompletableFuture<MediaStats> query(MediaLegs legs) {
        Map<String, Object> request = command("query");
        request.put("call-id", legs.callId());
        return ng.command(request).thenApply(NgStatsMapper::fromQuery);
    }

    @Override
    public CompletableFuture<List<String>> list() {
        Map<String, Object> request = command("list");
        request.put("limit", (long) LIST_LIMIT);
        return ng.command(request).thenApply(reply -> {
            List<String> ids = new ArrayList<>();
            if (reply.get("calls") instanceof List<?> calls) {
                for (Object id : calls) {
                    ids.add(String.valueOf(id));
                }
            }
            return List.copyOf(ids);
        });
    }

    @Override
    public CompletableFuture<Optional<Duration>> play(MediaLegs legs, Side toward, Path file) {
        return play(legs, toward, file, 1);
    }

    @Override
    public CompletableFuture<Optional<Duration>> play(MediaLegs legs, Side toward, Path file, int times) {
        Map<String, Object> request = command("play media");
        request.put("call-id", legs.callId());
        request.put("label", NgFlags.label(toward));
        request.put("file", file.toAbsolutePath().toString());
        if (times > 1) {
            request.put("repeat-times", (long) times);
        }
        return ng.command(request).thenApply(reply -> reply.get("duration") instanceof Long ms
                ? Optional.of(Duration.ofMillis(ms)) : Optional.empty());
    }

    @Override
    public CompletableFuture<Void> stopPlaying(MediaLegs legs, Side toward) {
        Map<String, Object> request = command("stop media");
        request.put("call-id", legs.callId());
        request.put("label", NgFlags.label(toward));
        return ng.command(request).thenApply(reply -> null);
    }

    private static Map<String, Object> command(String name) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("command", name);
        return request;
    }

    private static Map<String, Object> session(String name, MediaLegs legs) {
        Map<String, Object> request = command(name);
        request.put("call-id", legs.callId());
        request.put("from-tag", legs.fromTag());
        return request;
    }

    private static String sdp(Map<String, Object> reply, String command) {
        if (reply.get("sdp") instanceof String sdp && !sdp.isEmpty()) {
            return sdp;
        }
        throw new MediaGatewayException("rtpengine's reply to '" + command + "' carries no SDP");
    }
}
