package org.webims.gateway.sip.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.sip.logging.CapturedRecords;

class SocketBufferCheckTest {
    private final CapturedRecords capture = new CapturedRecords();
    private final List<LogRecord> records = capture.records();
    private Logger log;

    @BeforeEach
    void capture() {
        log = Logger.getLogger("SocketBufferCheckTest." + System.nanoTime());
        log.setUseParentHandlers(false);
        log.addHandler(capture);
    }

    @Test
    void aSocketGrantedLessThanAskedIsReportedWithTheSysctlToRaise() throws Exception {
        int asked = Integer.MAX_VALUE / 2; // past any rmem_max: the kernel caps it silently
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, asked);
            int granted = channel.getOption(StandardSocketOptions.SO_RCVBUF);
            SocketBufferCheck.receiveBuffer(log, "test socket", asked, granted);
        }
        assertEquals(1, records.size());
        assertEquals(Level.WARNING, records.get(0).getLevel());
        String line = java.text.MessageFormat.format(records.get(0).getMessage(), records.get(0).getParameters());
        assertTrue(line.contains("test socket") && line.contains("net.core.rmem_max"), line);
    }

    @Test
    void aSocketGrantedWhatItAskedIsNotReported() {
        SocketBufferCheck.receiveBuffer(log, "test socket", 4096, 4096);
        assertTrue(records.isEmpty());
    }
}
