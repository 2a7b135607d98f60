package org.webims.gateway.it.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The stop step of {@code bin/gateway run} ({@code stop_pid}, sourced from the script) never hangs: Ctrl-C reaches
 * the whole process group, so some peers end by themselves before the script's cleanup gets to them, and a process
 * whose main thread has ended while another thread still runs is a zombie that {@code wait} blocks on until that
 * thread ends. The CI run of 946cd1f saw the run still up 60 s after SIGINT with nothing logged after Keycloak's
 * stop: the steps that followed (the support line, the Diameter peers, Kamailio, rtpengine) said nothing about a
 * process that had already ended, so which one hung is not known; each now says so.
 *
 * <p>Python (a dependency of Kamailio's package) makes such a process: its main thread calls {@code pthread_exit}
 * while a second thread sleeps.
 */
@Tag(RunCommandSmokeTest.TAG)
class StopStepTest {
    private static final Duration BOUND = Duration.ofSeconds(30);
    /**
     * A process whose main thread ends while a second one sleeps for an hour: a zombie leader with a live thread; it
     * ignores SIGTERM, so only SIGKILL ends it.
     */
    private static final String LINGERING = "import ctypes, signal, threading, time\n"
            + "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            + "threading.Thread(target=lambda: time.sleep(3600)).start()\n"
            + "ctypes.CDLL(None).pthread_exit(None)\n";
    /** The same without ignoring SIGTERM: its live thread gets the TERM sent to the zombie leader; the process ends. */
    private static final String LINGERING_TERMINABLE = "import ctypes, threading, time\n"
            + "threading.Thread(target=lambda: time.sleep(3600)).start()\n"
            + "ctypes.CDLL(None).pthread_exit(None)\n";
    /** Waits until the main thread of $pid has ended while a second thread lives on (fails the steps otherwise). */
    private static final String UNTIL_ZOMBIE_LEADER =
            "for ((i = 0; i < 100; i++)); do grep -q '^State:[[:space:]]*Z' /proc/$pid/status && break;"
            + " sleep 0.05; done\n"
            + "grep -q '^State:[[:space:]]*Z' /proc/$pid/status || { echo 'the main thread has not ended'; exit 3; }\n"
            + "grep -q '^Threads:[[:space:]]*2' /proc/$pid/status || { echo 'no lingering thread'; exit 3; }\n";
    /** A process that ignores SIGTERM. */
    private static final String STUBBORN = "import signal, time\n"
            + "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            + "time.sleep(3600)\n";

    @Test
    void aProcessWhoseMainThreadEndedIsKilledWhenItsOtherThreadsLingerNotWaitedForForever() throws Exception {
        String out = stopStep("python3 -c \"$LINGERING\" & pid=$!\n"
                // until the main thread has ended: the leader is a zombie (alive says no) with a thread left
                + UNTIL_ZOMBIE_LEADER
                + "stop_pid 'the lingering one' $pid 2\n"
                + "[[ -d /proc/$pid ]] && echo 'still there' || echo 'gone'\n");
        assertTrue(out.contains("the lingering one (pid"), out);
        assertTrue(out.contains("is ending (threads: Z S)"), "the lingering thread is named in the log:\n" + out);
        assertTrue(out.contains("the lingering one did not stop in 2s"), out);
        assertTrue(out.contains("the lingering one stopped after"), out);
        assertTrue(out.endsWith("gone\n"), out);
    }

    @Test
    void stopFindsAPeerWhoseMainThreadEndedFromItsPidFile() throws Exception {
        // after a kill -9 of `bin/gateway run`, `bin/gateway stop` ends the peers left from their pid files: one whose
        // main thread has ended while another runs is still there (its command line is read from that thread)
        String out = stopStep("python3 -c \"$LINGERING_TERMINABLE\" support-line & pid=$!\n"
                + UNTIL_ZOMBIE_LEADER
                + "mkdir -p \"$run_dir\" && echo $pid >\"$run_dir/support.pid\"\n"
                + "[[ $(live_pid support) == \"$pid\" ]] && echo 'seen as running' || echo 'seen as gone'\n"
                + "cmd_stop\n"
                + "for ((i = 0; i < 50; i++)); do [[ -d /proc/$pid ]] || break; sleep 0.1; done\n"
                + "[[ -d /proc/$pid ]] && echo 'still there' || echo 'gone'\n");
        assertTrue(out.contains("seen as running"), out);
        assertTrue(out.contains("support (pid"), out);
        assertTrue(out.contains("is ending (threads: Z S)"), out);
        assertTrue(out.endsWith("gone\n"), out);
    }

    @Test
    void aProcessThatIgnoresTermIsKilledAndOneAlreadyGoneIsOnlyNamed() throws Exception {
        String out = stopStep("python3 -c \"$STUBBORN\" & pid=$!\n"
                // until Python ignores SIGTERM (bit 15 of SigIgn)
                + "for ((i = 0; i < 100; i++)); do ign=$(awk '/^SigIgn/ {print $2}' /proc/$pid/status);"
                + " ((0x$ign & 0x4000)) && break; sleep 0.05; done\n"
                + "stop_pid 'the stubborn one' $pid 1\n"
                + "true & gone=$!\n"
                // until it has ended (a zombie of this shell's, or reaped), not a fixed sleep
                + "for ((i = 0; i < 100; i++)); do [[ ! -e /proc/$gone ]]"
                + " || grep -q '^State:[[:space:]]*Z' /proc/$gone/status 2>/dev/null && break; sleep 0.05; done\n"
                + "stop_pid 'the finished one' $gone 1\n"
                + "echo 'end of steps'\n");
        assertTrue(out.contains("stopping the stubborn one (pid"), out);
        assertTrue(out.contains("the stubborn one did not stop in 1s"), out);
        assertTrue(out.contains("the stubborn one stopped after"), out);
        assertTrue(out.contains("the finished one (pid"), out);
        assertTrue(out.contains(") had ended\n"), out);
        assertFalse(out.contains("stopping the finished one"), out);
        assertTrue(out.endsWith("end of steps\n"), out);
    }

    /** Runs {@code steps} in bash after sourcing bin/gateway; its output (stderr too), or fails past {@link #BOUND}. */
    private static String stopStep(String steps) throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("gateway.repo", ".."), "bin", "gateway").toRealPath();
        Path out = Files.createTempFile(Path.of("target"), "stop-step", ".out");
        ProcessBuilder builder = new ProcessBuilder("setsid", "bash", "-c",
                "source \"$1\"\n" + steps, "stop-step", script.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("LINGERING", LINGERING);
        builder.environment().put("LINGERING_TERMINABLE", LINGERING_TERMINABLE);
        // pid files of the steps' own, under target/: never those of a `bin/gateway run` of this checkout
        builder.environment().put("GATEWAY_RUN_DIR", Path.of("target", "stop-step-run").toAbsolutePath().toString());
        builder.environment().put("STUBBORN", STUBBORN);
        Process p = builder.start();
        try {
            boolean ended = p.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            String text = Files.readString(out, StandardCharsets.UTF_8);
            assertTrue(ended, "the stop step still runs after " + BOUND.toSeconds() + " s:\n" + text);
            assertEquals(0, p.exitValue(), text);
            return text;
        } finally {
            // the whole group (setsid made the shell its leader), also when the shell itself has ended early
            new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
            Files.deleteIfExists(out);
        }
    }
}
