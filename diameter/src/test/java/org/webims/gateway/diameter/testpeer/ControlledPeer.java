package org.webims.gateway.diameter.testpeer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An Erlang test peer steered by a control file of {@code key value} lines that the escript reads as it goes (the OCS
 * on each request, the PCRF also every 100 ms); each line it writes to its records is one {@link AccountingLine}.
 */
abstract class ControlledPeer extends ErlangPeer {
    private final Path control;
    private final Map<String, String> settings = new LinkedHashMap<>();

    ControlledPeer(String script, int port, String name) throws IOException {
        super(new ErlangProcess(script, port));
        this.control = Files.createTempFile(Files.createDirectories(Path.of("target", "erlang-peer")),
                name + "-" + port + "-", ".control");
    }

    /** Sets one control line and writes the file again, atomically (the peer never reads half of it). */
    final synchronized void set(String key, String value) throws IOException {
        settings.put(key, value);
        StringBuilder text = new StringBuilder();
        settings.forEach((k, v) -> text.append(k).append(' ').append(v).append('\n'));
        Path next = control.resolveSibling(control.getFileName() + ".next");
        Files.writeString(next, text, StandardCharsets.UTF_8);
        Files.move(next, control, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Starts it (again) on its port, reading the control file from the start. */
    public void restart() throws Exception {
        process.start(control.toAbsolutePath().toString());
    }

    /** What it took (and, for the PCRF, the answers to what it sent), in order. */
    public List<AccountingLine> requests() throws IOException {
        return process.records().stream().map(AccountingLine::parse).toList();
    }

    /**
     * Waits until at least {@code count} of the requests after the first {@code skip} match, and returns those that
     * do; fails naming what it saw after {@code wait}.
     */
    public List<AccountingLine> awaitRequests(int skip, java.util.function.Predicate<AccountingLine> which, int count,
            java.time.Duration wait) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        List<AccountingLine> found = List.of();
        while (System.nanoTime() < deadline) {
            found = requests().stream().skip(skip).filter(which).toList();
            if (found.size() >= count) {
                return found;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the peer on " + port() + " took " + found.size() + " of " + count + " requests: "
                + found);
    }
}
