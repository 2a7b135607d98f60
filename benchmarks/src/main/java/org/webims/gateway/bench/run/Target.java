package org.webims.gateway.bench.run;

import java.io.IOException;
import java.net.URI;
import java.util.List;

/** A system under test: an RFC 7118 edge in front of the demo IMS core, started and stopped by the run. */
interface Target extends AutoCloseable {

    /** Short key used in file names and tables ("gateway", "kamailio"). */
    String key();

    /** What it is, for the report. */
    String description();

    /** Where WebSocket clients connect. */
    URI wsUri();

    /** Whether it anchors media in rtpengine (offer, answer, delete per call). */
    boolean anchorsMedia();

    void start() throws IOException;

    /** Its processes, for CPU time and proportional set size. */
    List<ProcessHandle> processes();

    /**
     * CPU seconds its JIT compiler threads have used so far (0 for native code): a young JVM keeps compiling for
     * minutes, a cost that fades in a long-running server, so CPU per operation is reported without it.
     */
    default double jitCpuSeconds() {
        return 0;
    }

    /**
     * The memory its own data takes, in bytes: the heap in use after a full GC for a JVM, the shared memory in use
     * for Kamailio (where it keeps transactions, connections and dialogs).
     */
    long liveBytes();

    /** What {@link #liveBytes()} is, for the report. */
    String liveLabel();

    /**
     * Its own memory by owner, in bytes: by class for a JVM (a class histogram after a full GC), by allocation
     * site for Kamailio ({@code kamcmd mod.stats all shm}). Two readings subtracted say what each added client or
     * call costs, and in what.
     */
    java.util.Map<String, Long> memoryByOwner();

    @Override
    void close();
}
