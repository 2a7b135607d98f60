package org.webims.gateway.diameter.testpeer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tests' OCS: {@code erlang/credit_peer.escript} (with its Ro dictionary {@code ro_3gpp.dia}) on Erlang/OTP's
 * diameter application: RFC 4006 credit control with unit reservation and direct debiting over balances in seconds.
 * Its controls ({@link #balance}, {@link #mode}, {@link #grant}, {@link #failureHandling}) are a file it reads on each
 * request; each CCR is one line of its records ({@link AccountingLine}: session, type, number, t, user, requested,
 * used, action, result, granted, final).
 */
public final class ErlangOcs implements AutoCloseable {
    /** How it answers: every request, none (it takes them and keeps silent), or 3004 DIAMETER_TOO_BUSY. */
    public enum Mode { ANSWERING, SILENT, BUSY }

    private final ErlangProcess process;
    private final Path control;
    private final Map<String, String> settings = new LinkedHashMap<>();

    private ErlangOcs(ErlangProcess process, Path control) {
        this.process = process;
        this.control = control;
    }

    /** On that port of 127.0.0.1, answering, granting 30 s at a time, nobody with a balance yet. */
    public static ErlangOcs start(int port) throws Exception {
        Path control = Files.createTempFile(Files.createDirectories(Path.of("target", "erlang-peer")),
                "ocs-" + port + "-", ".control");
        ErlangOcs ocs = new ErlangOcs(new ErlangProcess("credit_peer.escript", port), control);
        ocs.mode(Mode.ANSWERING).grant(30);
        ocs.restart();
        return ocs;
    }

    /** Starts it (again) on its port; balances start again from the control file. */
    public void restart() throws Exception {
        process.start(control.toAbsolutePath().toString());
    }

    /** A balance in seconds (from now; 0: the credit limit is reached), by Subscription-Id-Data: the SIP URI, or the
     *  E.164 digits of a tel URI. */
    public synchronized ErlangOcs balance(String impu, long seconds) throws IOException {
        settings.put("balance " + impu, Long.toString(seconds) + " " + System.nanoTime());
        return write();
    }

    public synchronized ErlangOcs mode(Mode mode) throws IOException {
        settings.put("mode", mode.name().toLowerCase());
        return write();
    }

    /** The most seconds one reservation grants. */
    public synchronized ErlangOcs grant(long seconds) throws IOException {
        settings.put("grant", Long.toString(seconds));
        return write();
    }

    /** The Credit-Control-Failure-Handling it puts in each CCA (RFC 4006 §8.14): 0, 1, 2, or -1 for none. */
    public synchronized ErlangOcs failureHandling(int value) throws IOException {
        settings.put("ccfh", Integer.toString(value));
        return write();
    }

    /**
     * Where a refusal's Result-Code goes: {@code true} only inside the Multiple-Services-Credit-Control, with 2001 in
     * the message (the OCS keeps the session open: RFC 4006 §5.1.2); {@code false} in both (the default).
     */
    public synchronized ErlangOcs refusesInsideMscc(boolean insideOnly) throws IOException {
        settings.put("refusal", insideOnly ? "mscc" : "top");
        return write();
    }

    private ErlangOcs write() throws IOException {
        StringBuilder text = new StringBuilder();
        settings.forEach((k, v) -> text.append(k).append(' ').append(v).append('\n'));
        Path next = control.resolveSibling(control.getFileName() + ".next");
        Files.writeString(next, text, StandardCharsets.UTF_8);
        Files.move(next, control, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return this;
    }

    public int port() {
        return process.port();
    }

    /** The credit-control requests it took, decoded. */
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

    /** Freezes it: the connection stays open and nothing is answered, not even watchdogs (RFC 3539 §3.4). */
    public void pause() throws Exception {
        process.pause();
    }

    public void resume() throws Exception {
        process.resume();
    }

    @Override
    public void close() throws Exception {
        process.close();
    }
}
