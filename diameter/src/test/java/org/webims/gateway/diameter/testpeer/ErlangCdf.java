package org.webims.gateway.diameter.testpeer;

import java.io.IOException;
import java.util.List;

/**
 * The tests' CDF: {@code erlang/charging_peer.escript} (with its Rf dictionary {@code rf_3gpp.dia}) on Erlang/OTP's
 * diameter application, a real RFC 6733 peer on 127.0.0.1, started and stopped by the test (and startable again on the
 * same port, as after a restart). Each ACR is one line of its records ({@link AccountingLine}). Also used by the
 * black-box tests (this module's test jar).
 */
public final class ErlangCdf extends ErlangPeer {
    private volatile boolean silent;

    private ErlangCdf(ErlangProcess process, boolean silent) {
        super(process);
        this.silent = silent;
    }

    /** On a free port of 127.0.0.1. */
    public static ErlangCdf start() throws Exception {
        return start(false);
    }

    /** On a free port of 127.0.0.1; a silent one writes each ACR and never answers it. */
    public static ErlangCdf start(boolean silent) throws Exception {
        return start(ErlangProcess.freePort(), silent);
    }

    /** On that port of 127.0.0.1. */
    public static ErlangCdf start(int port, boolean silent) throws Exception {
        ErlangCdf cdf = new ErlangCdf(new ErlangProcess("charging_peer.escript", port), silent);
        cdf.restart();
        return cdf;
    }

    /** Starts it again on its port, answering or silent, and waits until it listens. */
    public void restart(boolean silently) throws Exception {
        this.silent = silently;
        restart();
    }

    /** Starts it (again) on its port and waits until it listens. */
    public void restart() throws Exception {
        process.start(silent ? "silent" : "answering");
    }

    /** The accounting records it took, one line each. */
    public List<String> records() throws IOException {
        return process.records();
    }

    /** The accounting records it took, decoded. */
    public List<AccountingLine> accountingRecords() throws IOException {
        return records().stream().map(AccountingLine::parse).toList();
    }
}
