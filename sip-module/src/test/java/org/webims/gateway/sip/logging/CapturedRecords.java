package org.webims.gateway.sip.logging;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/** A log handler for tests: keeps every record it is given, in order. */
public final class CapturedRecords extends Handler {
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }

    /** The records published so far (a live view). */
    public List<LogRecord> records() {
        return records;
    }
}
