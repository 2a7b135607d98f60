package org.webims.gateway.sip.media;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@link MediaGateway} that anchors nothing ({@code gateway.media.anchoring=false}): every offer and answer goes on
 * unchanged (RFC 3264 end to end), so the browser and the IMS core negotiate media directly. For an IMS core whose
 * own media plane terminates WebRTC (ICE, DTLS-SRTP, TS 24.371 §7), and to measure the signalling alone. Holds no
 * state and talks to nothing; results complete on {@code executor}, as the interface promises, never on the caller.
 */
public final class PassThroughMediaGateway implements MediaGateway {
    private final Executor executor;

    public PassThroughMediaGateway(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    @Override
    public CompletableFuture<String> offer(MediaLegs legs, String sdp, Side toward) {
        Objects.requireNonNull(sdp, "sdp");
        return CompletableFuture.supplyAsync(() -> sdp, executor);
    }

    @Override
    public CompletableFuture<String> answer(MediaLegs legs, String sdp, Side toward) {
        Objects.requireNonNull(sdp, "sdp");
        return CompletableFuture.supplyAsync(() -> sdp, executor);
    }

    @Override
    public CompletableFuture<Void> delete(MediaLegs legs) {
        return CompletableFuture.runAsync(() -> { }, executor);
    }

    @Override
    public CompletableFuture<Void> ping() {
        return CompletableFuture.runAsync(() -> { }, executor);
    }

    /** No packets pass through here: a session without participants. */
    @Override
    public CompletableFuture<MediaStats> query(MediaLegs legs) {
        return CompletableFuture.supplyAsync(() -> new MediaStats(List.of()), executor);
    }

    @Override
    public CompletableFuture<List<String>> list() {
        return CompletableFuture.supplyAsync(List::of, executor);
    }

    /** Nothing to play into: the media does not pass through the gateway. */
    @Override
    public CompletableFuture<Optional<Duration>> play(MediaLegs legs, Side toward, Path file) {
        return CompletableFuture.supplyAsync(() -> {
            throw new MediaGatewayException("media is not anchored (gateway.media.anchoring=false): cannot play "
                    + file.getFileName() + " to " + legs);
        }, executor);
    }
}
