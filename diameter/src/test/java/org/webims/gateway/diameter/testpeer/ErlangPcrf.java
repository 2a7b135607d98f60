package org.webims.gateway.diameter.testpeer;

import java.io.IOException;

/**
 * The tests' PCRF: {@code erlang/policy_peer.escript} (with its Rx dictionary {@code rx_3gpp.dia}) on Erlang/OTP's
 * diameter application: TS 29.214 Rx, each AAR and STR decoded and answered, sessions kept, and on the test's word an
 * ASR ({@link #abortSessions}) or a RAR reporting the bearer lost ({@link #reportLossOfBearer}) for every session it
 * holds. Each request, and each answer to its own requests, is one line of its records ({@link AccountingLine}:
 * command, session, t, type, icid, app, user, framed, actions, components, m1, f1, u1, ..., result; errors when its
 * dictionary found fault with the request, which is then answered with that error and changes no session).
 */
public final class ErlangPcrf extends ControlledPeer {
    /** How it answers: every request, none (it takes them and keeps silent), or AARs with 5063 (not authorised). */
    public enum Mode { ANSWERING, SILENT, REFUSE }

    private ErlangPcrf(int port) throws IOException {
        super("policy_peer.escript", port, "pcrf");
    }

    /** On that port of 127.0.0.1, answering. */
    public static ErlangPcrf start(int port) throws Exception {
        ErlangPcrf pcrf = new ErlangPcrf(port);
        pcrf.mode(Mode.ANSWERING);
        pcrf.restart();
        return pcrf;
    }

    public ErlangPcrf mode(Mode mode) throws IOException {
        set("mode", mode.name().toLowerCase());
        return this;
    }

    /** TS 29.214 §4.4.4: an Abort-Session-Request (BEARER_RELEASED) for every session it holds now. */
    public ErlangPcrf abortSessions() throws IOException {
        set("abort", Long.toString(System.nanoTime()));
        return this;
    }

    /** TS 29.214 §4.4.6.5: a Re-Auth-Request with INDICATION_OF_LOSS_OF_BEARER for every session it holds now. */
    public ErlangPcrf reportLossOfBearer() throws IOException {
        set("lose", Long.toString(System.nanoTime()));
        return this;
    }
}
