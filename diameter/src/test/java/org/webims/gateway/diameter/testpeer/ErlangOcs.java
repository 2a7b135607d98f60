package org.webims.gateway.diameter.testpeer;

import java.io.IOException;

/**
 * The tests' OCS: {@code erlang/credit_peer.escript} (with its Ro dictionary {@code ro_3gpp.dia}) on Erlang/OTP's
 * diameter application: RFC 4006 credit control with unit reservation and direct debiting over balances in seconds.
 * Its controls ({@link #balance}, {@link #mode}, {@link #grant}, {@link #failureHandling}) are a file it reads on each
 * request; each CCR is one line of its records ({@link AccountingLine}: session, type, number, t, user, requested,
 * used, action, result, granted, final).
 */
public final class ErlangOcs extends ControlledPeer {
    /**
     * How it answers: every request, none (it takes them and keeps silent), 3004 DIAMETER_TOO_BUSY, or each request
     * once the mode is changed again (SLOW: held meanwhile, watchdogs answered; an OCS as slow as the test makes it).
     */
    public enum Mode { ANSWERING, SILENT, BUSY, SLOW }

    private ErlangOcs(int port) throws IOException {
        super("credit_peer.escript", port, "ocs");
    }

    /** On that port of 127.0.0.1, answering, granting 30 s at a time, nobody with a balance yet. */
    public static ErlangOcs start(int port) throws Exception {
        ErlangOcs ocs = new ErlangOcs(port);
        ocs.mode(Mode.ANSWERING).grant(30);
        ocs.restart();
        return ocs;
    }

    /** A balance in seconds (from now; 0: the credit limit is reached), by Subscription-Id-Data: the SIP URI, or the
     *  E.164 digits of a tel URI. */
    public ErlangOcs balance(String impu, long seconds) throws IOException {
        set("balance " + impu, Long.toString(seconds) + " " + System.nanoTime());
        return this;
    }

    public ErlangOcs mode(Mode mode) throws IOException {
        set("mode", mode.name().toLowerCase());
        return this;
    }

    /** The most seconds one reservation grants. */
    public ErlangOcs grant(long seconds) throws IOException {
        set("grant", Long.toString(seconds));
        return this;
    }

    /** The Credit-Control-Failure-Handling it puts in each CCA (RFC 4006 §8.14): 0, 1, 2, or -1 for none. */
    public ErlangOcs failureHandling(int value) throws IOException {
        set("ccfh", Integer.toString(value));
        return this;
    }

    /**
     * Where a refusal's Result-Code goes: {@code true} only inside the Multiple-Services-Credit-Control, with 2001 in
     * the message (the OCS keeps the session open: RFC 4006 §5.1.2); {@code false} in both (the default).
     */
    public ErlangOcs refusesInsideMscc(boolean insideOnly) throws IOException {
        set("refusal", insideOnly ? "mscc" : "top");
        return this;
    }
}
