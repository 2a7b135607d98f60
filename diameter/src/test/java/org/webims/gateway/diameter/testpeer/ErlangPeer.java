package org.webims.gateway.diameter.testpeer;

/** One of the tests' Erlang/OTP diameter peers, as the tests handle its process: port, liveness, crash, freeze, stop. */
abstract class ErlangPeer implements AutoCloseable {
    final ErlangProcess process;

    ErlangPeer(ErlangProcess process) {
        this.process = process;
    }

    public int port() {
        return process.port();
    }

    /** Whether the process runs. */
    public boolean alive() {
        return process.alive();
    }

    /** Stops it as a crash would: SIGKILL, no DPR. */
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
