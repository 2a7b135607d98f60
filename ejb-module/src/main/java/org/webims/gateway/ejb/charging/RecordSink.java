package org.webims.gateway.ejb.charging;

import java.util.Optional;

/** Where offline charging hands its records: kept (in the database) and delivered to the CDF in order per session. */
public interface RecordSink {
    /** Takes the record without waiting; false only when the sink's bounded queue is full (never when it is not). */
    boolean offer(AccountingRecord record);

    /** Why the sink cannot take the records of a new call now, or empty. */
    Optional<String> backlogged();
}
