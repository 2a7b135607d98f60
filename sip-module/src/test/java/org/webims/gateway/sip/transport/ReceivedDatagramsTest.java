package org.webims.gateway.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.runtime.WorkQueueDelay;

class ReceivedDatagramsTest {

    private static DatagramPacket datagram() {
        return new DatagramPacket(new byte[] {1}, 1, new InetSocketAddress("127.0.0.1", 5060));
    }

    @Test
    void theQueueIsBoundedAndAFullOneDropsTheDatagram() {
        var queue = new DatagramReceiver.ReceivedDatagrams(2);
        long[] now = {0};
        queue.delay = new WorkQueueDelay(Duration.ofMillis(10), Duration.ofMillis(50), () -> now[0]);
        assertTrue(queue.queue(datagram()));
        assertTrue(queue.queue(datagram()));
        assertFalse(queue.queue(datagram()), "full: dropped, as the kernel drops one when the socket buffer is full");
        assertEquals(2, queue.size());
        assertEquals(2, queue.delay.waiting(), "the dropped datagram does not count as waiting");
    }

    @Test
    void eachDatagramsWaitForAWorkerIsMeasured() throws Exception {
        var queue = new DatagramReceiver.ReceivedDatagrams(100);
        long[] now = {0};
        WorkQueueDelay delay = new WorkQueueDelay(Duration.ofMillis(10), Duration.ofMillis(50), () -> now[0]);
        queue.delay = delay;
        for (int i = 0; i < 40; i++) {
            queue.queue(datagram());
        }
        // the stack's workers take them late, one every 10 ms from 100 ms on: a standing queue
        for (int i = 0; i < 20; i++) {
            now[0] = Duration.ofMillis(100 + 10L * i).toNanos();
            if (i % 2 == 0) {
                queue.take();
            } else {
                queue.poll(1, TimeUnit.MILLISECONDS); // the stack polls when its thread auditor is on
            }
        }
        assertTrue(delay.behind(), "the door learns that the core's answers wait");
        assertEquals(20, delay.waiting());
    }

    @Test
    void everyWayOutOfTheQueueIsAccountedSoThatItsCountNeverDrifts() {
        var queue = new DatagramReceiver.ReceivedDatagrams(10);
        long[] now = {0};
        WorkQueueDelay delay = new WorkQueueDelay(Duration.ofMillis(10), Duration.ofMillis(50), () -> now[0]);
        queue.delay = delay;
        for (int i = 0; i < 4; i++) {
            queue.queue(datagram());
        }
        now[0] = Duration.ofMillis(100).toNanos();
        assertTrue(delay.behind(), "the test's premise: work waiting over an interval with nothing starting");
        assertTrue(queue.poll() != null);
        assertFalse(delay.behind(), "the polled datagram started (had it been withdrawn, nothing would have)");
        now[0] = Duration.ofMillis(200).toNanos();
        assertTrue(delay.behind(), "the test's premise again");
        var drained = new java.util.ArrayList<Object>();
        assertEquals(1, queue.drainTo(drained, 1));
        assertEquals(1, drained.size());
        assertFalse(delay.behind(), "the drained datagram started too");
        assertEquals(2, delay.waiting());
        queue.clear();
        assertEquals(0, delay.waiting(), "a count left over would read as a stalled queue one interval later");
        now[0] = Duration.ofSeconds(1).toNanos();
        assertFalse(delay.behind(), "nothing waits: not behind, however long since the last start");
    }

    @Test
    void whatIsDrainedLeavesTheCountEvenWhenTheTargetRefusesItAndTheQueueCannotDrainIntoItself() {
        var queue = new DatagramReceiver.ReceivedDatagrams(10);
        WorkQueueDelay delay = new WorkQueueDelay(Duration.ofMillis(10), Duration.ofMillis(50), () -> 0);
        queue.delay = delay;
        for (int i = 0; i < 3; i++) {
            queue.queue(datagram());
        }
        assertThrows(IllegalArgumentException.class, () -> queue.drainTo(queue, 3));
        assertEquals(3, delay.waiting(), "nothing left the queue");
        var refusing = new java.util.ArrayList<Object>() {
            @Override
            public boolean add(Object o) {
                throw new IllegalStateException("full");
            }

            @Override
            public boolean addAll(java.util.Collection<?> c) {
                throw new IllegalStateException("full");
            }
        };
        assertThrows(IllegalStateException.class, () -> queue.drainTo(refusing, 3));
        assertEquals(0, queue.size());
        assertEquals(0, delay.waiting(), "the three are out of the queue: none may count as waiting for ever");
    }
}
