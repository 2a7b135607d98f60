package org.webims.gateway.web.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ConnectionsPerAddressTest {
    private static final InetAddress A = address("192.0.2.1");
    private static final InetAddress B = address("192.0.2.2");

    @Test
    void anAddressGetsItsShareAndNoMore() {
        ConnectionsPerAddress table = new ConnectionsPerAddress(2, 10);
        assertTrue(table.admit(A).admitted());
        assertTrue(table.admit(A).admitted());
        ConnectionsPerAddress.Admission third = table.admit(A);
        assertFalse(third.admitted());
        assertEquals(Optional.of(ConnectionsPerAddress.Refusal.ADDRESS_FULL), third.refusal());
        assertTrue(table.admit(B).admitted(), "another address is not affected");
        assertEquals(2, table.count(A));
    }

    @Test
    void aReleasedPlaceCanBeTakenAgainAndAnEmptyAddressLeavesTheTable() {
        ConnectionsPerAddress table = new ConnectionsPerAddress(1, 10);
        ConnectionsPerAddress.Lease lease = table.admit(A).lease().orElseThrow();
        assertFalse(table.admit(A).admitted());
        lease.release();
        assertEquals(0, table.addresses());
        assertTrue(table.admit(A).admitted());
    }

    @Test
    void releasingTwiceGivesBackOnePlace() {
        ConnectionsPerAddress table = new ConnectionsPerAddress(5, 10);
        ConnectionsPerAddress.Lease first = table.admit(A).lease().orElseThrow();
        table.admit(A);
        first.release();
        first.release();
        assertEquals(1, table.count(A));
    }

    @Test
    void theTableOfAddressesIsBounded() {
        ConnectionsPerAddress table = new ConnectionsPerAddress(5, 1);
        ConnectionsPerAddress.Lease lease = table.admit(A).lease().orElseThrow();
        assertEquals(Optional.of(ConnectionsPerAddress.Refusal.TABLE_FULL), table.admit(B).refusal());
        assertTrue(table.admit(A).admitted(), "an address already present is still served");
        lease.release();
        assertEquals(1, table.addresses());
    }

    @Test
    void concurrentHandshakesNeverExceedTheCap() throws Exception {
        ConnectionsPerAddress table = new ConnectionsPerAddress(50, 10);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                results.add(pool.submit(() -> table.admit(A).admitted()));
            }
            int admitted = 0;
            for (Future<Boolean> result : results) {
                admitted += result.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertEquals(50, admitted);
            assertEquals(50, table.count(A));
        } finally {
            pool.shutdownNow();
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
