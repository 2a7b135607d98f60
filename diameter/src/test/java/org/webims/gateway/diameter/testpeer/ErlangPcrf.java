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
 * The tests' PCRF: {@code erlang/policy_peer.escript} (with its Rx dictionary {@code rx_3gpp.dia}) on Erlang/OTP's
 * diameter application: TS 29.214 Rx, each AAR and STR decoded and answered, sessions kept, and on the test's word an
 * ASR ({@link #abortSessions}) or a RAR reporting the bearer lost ({@link #reportLossOfBearer}) for every session it
 * holds. Each request, and each answer to its own requests, is one line of its records ({@link AccountingLine}:
 * command, session, type, icid, user, framed, actions, components, m1, f1, u1, ..., result).
 */
public final class ErlangPcrf implements AutoCloseable {
    /** How it answers: every request, none (it takes them and keeps silent), or AARs with 5063 (not authorised). */
    public enum Mode { ANSWERING, SILENT, REFUSE }

    private final ErlangProcess process;
    private final Path control;
    private final Map<String, String> settings = new LinkedHashMap<>();

    private ErlangPcrf(ErlangProcess process, Path control) {
        this.process = process;
        this.control = control;
    }

    /** On that port of 127.0.0.1, answering. */
    public static ErlangPcrf start(int port) throws Exception {
        Path control = Files.createTempFile(Files.createDirectories(Path.of("target", "erlang-peer")),
                "pcrf-" + port + "-", ".control");
        ErlangPcrf pcrf = new ErlangPcrf(new ErlangProcess("policy_peer.escript", port), control);
        pcrf.mode(Mode.ANSWERING);
        pcrf.restart();
        return pcrf;
    }

    /** Starts it (again) on its port; it holds no session after a restart. */
    public void restart() throws Exception {
        process.start(control.toAbsolutePath().toString());
    }

    public synchronized ErlangPcrf mode(Mode mode) throws IOException {
        settings.put("mode", mode.name().toLowerCase());
        return write();
    }

    /** TS 29.214 §4.4.4: an Abort-Session-Request (BEARER_RELEASED) for every session it holds now. */
    public synchronized ErlangPcrf abortSessions() throws IOException {
        settings.put("abort", Long.toString(System.nanoTime()));
        return write();
    }

    /** TS 29.214 §4.4.6.5: a Re-Auth-Request with INDICATION_OF_LOSS_OF_BEARER for every session it holds now. */
    public synchronized ErlangPcrf reportLossOfBearer() throws IOException {
        settings.put("lose", Long.toString(System.nanoTime()));
        return write();
    }

    private ErlangPcrf write() throws IOException {
        StringBuilder text = new StringBuilder();
        settings.forEach((k, v) -> text.append(k).append(' ').append(v).append('\n'));
        Path next = control.resolveSibling(control.getFileName() + ".next");
        Files.writeString(next, text, StandardCharsets.UTF_8);
        Files.move(next, control, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return this;
    }

    public int port() {
        return process.port();
    }

    /** What it took and answered, in order. */
    public List<AccountingLine> requests() throws IOException {
        return process.records().stream().map(AccountingLine::parse).toList();
    }

    public boolean alive() {
        return process.alive();
    }

    /** Stops it as a crash would. */
    public void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void close() throws Exception {
        process.close();
    }
}
