package org.webims.gateway.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.logging.CapturedRecords;

class JulStackLoggerTest {
    private final Logger stackLog = Logger.getLogger("gov.nist.javax.sip");
    private final CapturedRecords capture = new CapturedRecords();
    private final List<LogRecord> records = capture.records();
    private Level levelBefore;

    @BeforeEach
    void listen() {
        levelBefore = stackLog.getLevel();
        stackLog.setLevel(Level.ALL);
        stackLog.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        stackLog.removeHandler(capture);
        stackLog.setLevel(levelBefore);
    }

    @Test
    void aFinishedTransactionsRequestParsedAgainIsNoWarning() {
        new JulStackLogger().logWarning("reparsing original request[B@1b2c3d since it was eagerly cleaned up, but"
                + " beware this is not efficient with the aggressive flag set !");
        assertEquals(1, records.size());
        assertEquals(Level.FINE, records.get(0).getLevel());
    }

    @Test
    void warningsDifferingOnlyInTheirVariablePartShareOneRateLimit() {
        JulStackLogger logger = new JulStackLogger();
        for (int i = 0; i < 50; i++) {
            logger.logWarning("Dropping message from 127.0.0." + i + ": bad header");
        }
        long written = records.stream().filter(r -> r.getMessage().startsWith("Dropping message from")).count();
        assertEquals(10, written, "the first ten of one cause a minute, then a count, not one line per address");
    }
}
