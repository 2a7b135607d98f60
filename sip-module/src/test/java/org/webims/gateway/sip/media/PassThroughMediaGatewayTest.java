package org.webims.gateway.sip.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PassThroughMediaGatewayTest {
    private static final String BROWSER_OFFER = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\na=group:BUNDLE 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=ice-ufrag:abcd\r\n"
            + "a=fingerprint:sha-256 AB:CD\r\na=setup:actpass\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\n";
    private static final String PHONE_ANSWER = "v=0\r\no=phone 1 1 IN IP4 127.0.0.1\r\ns=-\r\n"
            + "c=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "media-test"));
    private final PassThroughMediaGateway gateway = new PassThroughMediaGateway(executor);
    private final MediaLegs legs = new MediaLegs("call-1", "webrtc", "ims");

    @AfterEach
    void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void offersAndAnswersGoOnByteForByteInEitherDirection() throws Exception {
        assertEquals(BROWSER_OFFER, gateway.offer(MediaLegs.offered("call-1", "webrtc"), BROWSER_OFFER, Side.IMS)
                .get(5, TimeUnit.SECONDS));
        assertEquals(PHONE_ANSWER, gateway.answer(legs, PHONE_ANSWER, Side.WEBRTC).get(5, TimeUnit.SECONDS));
        assertEquals(PHONE_ANSWER, gateway.offer(legs.reversed(), PHONE_ANSWER, Side.WEBRTC).get(5, TimeUnit.SECONDS));
        assertEquals(BROWSER_OFFER, gateway.answer(legs.reversed(), BROWSER_OFFER, Side.IMS).get(5, TimeUnit.SECONDS));
    }

    @Test
    void resultsCompleteOnTheExecutorNeverOnTheCaller() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        executor.execute(gate::join); // the executor is busy: whatever completes now completes on the caller
        List<CompletableFuture<?>> results = List.of(gateway.offer(legs, BROWSER_OFFER, Side.IMS),
                gateway.answer(legs, PHONE_ANSWER, Side.WEBRTC), gateway.delete(legs), gateway.ping(),
                gateway.query(legs), gateway.list());
        assertTrue(results.stream().noneMatch(CompletableFuture::isDone), "nothing completed on the caller");
        gate.complete(null);
        CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
    }

    @Test
    void itHoldsNoSessionsAndReleasesAnyCall() throws Exception {
        gateway.offer(legs, BROWSER_OFFER, Side.IMS).get(5, TimeUnit.SECONDS);
        assertEquals(List.of(), gateway.list().get(5, TimeUnit.SECONDS));
        assertEquals(List.of(), gateway.query(legs).get(5, TimeUnit.SECONDS).legs());
        gateway.delete(legs).get(5, TimeUnit.SECONDS);
        gateway.ping().get(5, TimeUnit.SECONDS);
    }

    @Test
    void thereIsNothingToPlayInto() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> gateway.play(legs, Side.WEBRTC, Path.of("ringback.wav")).get(5, TimeUnit.SECONDS));
        assertInstanceOf(MediaGatewayException.class, e.getCause());
    }
}
