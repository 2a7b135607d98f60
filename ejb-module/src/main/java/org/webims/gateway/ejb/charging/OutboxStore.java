package org.webims.gateway.ejb.charging;

import java.time.Instant;
import java.util.List;

/** Where the outbox keeps its records (the database: {@link ChargingRecords}); every call is one transaction. */
public interface OutboxStore {
    /** A record not stored yet: the record and its encoded request. */
    record NewRecord(AccountingRecord record, byte[] message) {
    }

    /**
     * A stored record not yet acknowledged. {@code retransmission}: it may have reached a CDF already (an earlier
     * attempt, or it was pending when the gateway last stopped), so it goes with the T flag (RFC 6733 §3).
     */
    record Stored(long id, String sessionId, int number, byte[] message, boolean retransmission) {
    }

    /** Stores the records in one transaction; returns them as stored, in the same order. */
    List<Stored> insert(List<NewRecord> records);

    /** The CDF acknowledged them (a 2001 ACA). */
    void delivered(List<Long> ids, Instant at);

    /** A failed attempt: the record stays pending and is sent again. */
    record Attempt(long id, String why) {
    }

    /** Attempts failed (a CDF gone fails every record in flight at once: one transaction, not one each). */
    void failed(List<Attempt> attempts, Instant at);

    /** The CDF refused the record for good (a permanent failure): kept, marked, never sent again. */
    void rejected(long id, String why, Instant at);

    /**
     * The oldest pending records of this {@code originHost} (their Session-Ids start with it: a node of a cluster
     * delivers its own only) stored after {@code afterId}, at most {@code limit}, in the order they were stored; those
     * stored before {@code startedAt} (by an earlier run, which may have sent them) or attempted already are
     * retransmissions.
     */
    List<Stored> pending(String originHost, long afterId, int limit, Instant startedAt);

    /** Removes delivered records older than that; returns how many. */
    int purgeDelivered(Instant before);
}
