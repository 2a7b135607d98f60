package org.webims.gateway.sip.edge;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.liveness.CoreKeepalive;
import org.webims.gateway.sip.signalling.SipContext;

class CoreWatchTest {

    private static SipContext sip() throws Exception {
        return new SipContext(null, new gov.nist.javax.sip.message.MessageFactoryImpl(),
                new gov.nist.javax.sip.header.HeaderFactoryImpl(), new gov.nist.javax.sip.address.AddressFactoryImpl(),
                org.webims.gateway.sip.harness.TestSipSettings.of("ims.test", "sip:127.0.0.1:5070", 5060),
                org.webims.gateway.sip.flow.FlowTokens.withRandomKey());
    }

    @Test
    void aTickThatFindsTheWorkersQueueFullSkipsItsProbeAndTheWatchGoesOn() throws Exception {
        AtomicInteger offered = new AtomicInteger();
        Executor full = task -> {
            offered.incrementAndGet();
            throw new RejectedExecutionException("sip-worker queue full (10000 tasks)");
        };
        CoreWatch watch = new CoreWatch(sip(), new CoreKeepalive(Duration.ofSeconds(10), 3), full, Clock.systemUTC(),
                () -> { });
        // a periodic task that throws is never run again (ScheduledExecutorService): each tick must return normally
        assertDoesNotThrow(watch::run);
        assertDoesNotThrow(watch::run);
        assertEquals(2, offered.get(), "each tick offered its probe");
    }

    @Test
    void theClientsAreAskedToRegisterAgainAtALaterTickWhenTheWorkersWereFullAsTheCoreCameBack() throws Exception {
        boolean[] full = {false};
        AtomicInteger askedAgain = new AtomicInteger();
        Executor executor = task -> {
            if (full[0]) {
                throw new RejectedExecutionException("sip-worker queue full (10000 tasks)");
            }
            task.run(); // a probe fails here at once: there is no stack to send it
        };
        CoreWatch watch = new CoreWatch(sip(), new CoreKeepalive(Duration.ofSeconds(10), 1), executor,
                Clock.systemUTC(), new CountingComeBack(askedAgain));
        watch.run(); // a probe that could not be sent: down
        assertEquals(org.webims.gateway.sip.liveness.CoreLiveness.State.DOWN, watch.status().state());
        full[0] = true;
        watch.answered(transactionTowardCore()); // up again, while the workers are full
        assertEquals(0, askedAgain.get());
        full[0] = false;
        watch.run();
        assertEquals(1, askedAgain.get(), "owed, and handed over at the next tick");
        watch.run();
        assertEquals(1, askedAgain.get(), "once");
    }

    @Test
    void aTransactionThatAlreadyLetGoOfItsRequestIsNoEvidenceEitherWay() throws Exception {
        CoreWatch watch = new CoreWatch(sip(), new CoreKeepalive(Duration.ofSeconds(10), 1), Runnable::run,
                Clock.systemUTC(), () -> { });
        var before = watch.status();
        // an answered transaction toward the core keeps no request (RequestRetention): a Timer F racing its answer
        javax.sip.ClientTransaction answered = (javax.sip.ClientTransaction) java.lang.reflect.Proxy.newProxyInstance(
                CoreWatchTest.class.getClassLoader(), new Class<?>[] {javax.sip.ClientTransaction.class},
                (proxy, method, args) -> null);
        assertDoesNotThrow(() -> watch.timedOut(answered));
        assertDoesNotThrow(() -> watch.answered(answered));
        assertEquals(before.state(), watch.status().state());
    }

    /** A transaction the edge routed to the core's next hop (FlowRouter marks the request with its hop). */
    private static javax.sip.ClientTransaction transactionTowardCore() {
        var request = new gov.nist.javax.sip.message.SIPRequest();
        request.setApplicationData(new gov.nist.javax.sip.stack.HopImpl("127.0.0.1", 5070, "udp"));
        return (javax.sip.ClientTransaction) java.lang.reflect.Proxy.newProxyInstance(
                CoreWatchTest.class.getClassLoader(), new Class<?>[] {javax.sip.ClientTransaction.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getRequest" -> request;
                    default -> null;
                });
    }

    private record CountingComeBack(AtomicInteger count) implements Runnable {
        @Override
        public void run() {
            count.incrementAndGet();
        }
    }
}
