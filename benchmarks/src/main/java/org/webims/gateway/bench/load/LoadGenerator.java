package org.webims.gateway.bench.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;

/**
 * An open-loop SIP-over-WebSocket load generator: thousands of {@link SipClient}s in one process on a few threads
 * (java.net.http WebSockets sharing {@code ioThreads} executor threads and one selector thread per HTTP client, one
 * timer thread for keepalives). Operations start at a fixed rate whatever the server does, each on a client that
 * has nothing else in progress; latency counts from when an operation was due, so falling behind is measured.
 *
 * <pre>{@code
 * try (LoadGenerator gen = new LoadGenerator(LoadGenerator.Settings.of(URI.create("ws://127.0.0.1:8280/sip"),
 *         "sip:uas@127.0.0.1:5290"))) {
 *     StepResult connected = gen.connectAndRegister(100, 50);
 *     StepResult registers = gen.registerStep(200, Duration.ofSeconds(10));
 *     StepResult calls = gen.callStep(20, Duration.ofSeconds(10), Duration.ofSeconds(1));
 * }
 * }</pre>
 */
public final class LoadGenerator implements AutoCloseable {

    /**
     * @param uri            the server's SIP-over-WebSocket URI
     * @param origin         the Origin header to send, or null (no Origin, like a non-browser client)
     * @param domain         home domain: registrar {@code sip:domain}, digest realm, identities {@code user@domain}
     * @param userPrefix     clients are {@code <prefix><n>} from {@code firstUser} up ({@code bench1}, ...)
     * @param password       the digest password of every user
     * @param callTarget     Request-URI of the calls ({@code sip:uas@127.0.0.1:5290})
     * @param timeout        longest wait for a final response (or a WebSocket handshake)
     * @param ioThreads      executor threads shared by every WebSocket
     * @param httpClients    HTTP clients (one selector thread each) the WebSockets are spread over
     * @param keepalive      keepalive period of each registered client
     * @param keepaliveMode  WebSocket ping, RFC 5626 CRLF, or none
     * @param registerExpires Expires of every REGISTER (s)
     */
    public record Settings(URI uri, String origin, String domain, String userPrefix, int firstUser, String password,
            String callTarget, Duration timeout, int ioThreads, int httpClients, Duration keepalive,
            SipClient.KeepaliveMode keepaliveMode, int registerExpires) {

        public Settings {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(domain, "domain");
            Objects.requireNonNull(callTarget, "callTarget");
        }

        /** The demo core's bench subscribers ({@code bench<n>@ims.example.test}, {@code bench-secret}). */
        public static Settings of(URI uri, String callTarget) {
            return new Settings(uri, null, "ims.example.test", "bench", 1, "bench-secret", callTarget,
                    Duration.ofSeconds(10), 4, 2, Duration.ofSeconds(25), SipClient.KeepaliveMode.PING, 3600);
        }

        public Settings withFirstUser(int first) {
            return new Settings(uri, origin, domain, userPrefix, first, password, callTarget, timeout, ioThreads,
                    httpClients, keepalive, keepaliveMode, registerExpires);
        }

        public Settings withKeepalive(Duration period, SipClient.KeepaliveMode mode) {
            return new Settings(uri, origin, domain, userPrefix, firstUser, password, callTarget, timeout, ioThreads,
                    httpClients, period, mode, registerExpires);
        }

        public Settings withThreads(int io, int clients) {
            return new Settings(uri, origin, domain, userPrefix, firstUser, password, callTarget, timeout, io,
                    clients, keepalive, keepaliveMode, registerExpires);
        }
    }

    /** A call held open by {@link #establishCalls}. */
    private record HeldCall(SipClient client, Dialog dialog) {}

    private final Settings settings;
    private final ExecutorService io;
    private final ScheduledExecutorService timer;
    private final AtomicLong retriedRegistrations = new AtomicLong();
    private final List<HttpClient> http = new ArrayList<>();
    private final List<SipClient> clients = new ArrayList<>(); // guarded by itself
    private final Queue<SipClient> idle = new ConcurrentLinkedQueue<>();
    private final Queue<HeldCall> held = new ConcurrentLinkedQueue<>();
    private final AtomicInteger nextUser;

    public LoadGenerator(Settings settings) {
        this.settings = settings;
        this.io = Executors.newFixedThreadPool(settings.ioThreads(), daemon("bench-io"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("bench-timer"));
        for (int i = 0; i < Math.max(1, settings.httpClients()); i++) {
            http.add(HttpClient.newBuilder().executor(io).connectTimeout(settings.timeout()).build());
        }
        this.nextUser = new AtomicInteger(settings.firstUser());
    }

    public Settings settings() {
        return settings;
    }

    /** Clients connected and registered so far (and not closed since). */
    public int registeredClients() {
        synchronized (clients) {
            return (int) clients.stream().filter(SipClient::isOpen).count();
        }
    }

    /** Calls held open by {@link #establishCalls}. */
    public int heldCalls() {
        return held.size();
    }

    /**
     * Opens {@code count} new WebSockets at {@code rate} per second, each registering a new user with digest; the
     * latency is the whole of it (handshake, REGISTER, 401, REGISTER, 200). Registered clients then keep alive and
     * are available to later steps.
     */
    public StepResult connectAndRegister(int count, double rate) {
        return openLoop("connect+REGISTER", rate, count, window(count, rate), null, intended -> {
            SipClient client = new SipClient(settings.userPrefix() + nextUser.getAndIncrement(), settings.domain(),
                    settings.password(), settings.timeout());
            HttpClient via = http.get(Math.floorMod(client.user().hashCode(), http.size()));
            return client.connect(via, settings.uri(), settings.origin())
                    .thenCompose(c -> registerHeedingRetryAfter(c, REGISTER_ATTEMPTS))
                    .handle((response, error) -> {
                        if (error == null && response.status() / 100 == 2) {
                            long micros = (System.nanoTime() - intended) / 1000;
                            synchronized (clients) {
                                clients.add(client);
                            }
                            client.startKeepalive(timer, settings.keepalive(), settings.keepaliveMode());
                            idle.add(client);
                            return micros;
                        }
                        client.close();
                        throw error != null ? new SipFailure(SipFailure.reasonOf(error))
                                : SipFailure.ofStatus("status ", response);
                    });
        });
    }

    /** Attempts of a new connection's registration: a 503 with Retry-After is tried again as a client does. */
    static final int REGISTER_ATTEMPTS = 3;

    /**
     * A new connection's registration as a browser's SIP stack makes it: a 503 with Retry-After (the server is
     * overloaded for now, RFC 3261 §21.5.4) is tried again after that many seconds, up to {@code attempts} in all;
     * the latency of connecting includes the wait. The measured REGISTER steps never retry: there a 503 is a refusal
     * to count.
     */
    private CompletableFuture<SipMessage> registerHeedingRetryAfter(SipClient client, int attempts) {
        return client.register(settings.registerExpires()).thenCompose(response -> {
            String retryAfter = response.header("Retry-After");
            if (response.status() != 503 || retryAfter == null || attempts <= 1) {
                return CompletableFuture.completedFuture(response);
            }
            long seconds;
            try {
                seconds = Math.min(30, Long.parseLong(retryAfter.trim().split("[ ;(]")[0]));
            } catch (NumberFormatException e) {
                return CompletableFuture.completedFuture(response);
            }
            retriedRegistrations.incrementAndGet();
            Executor later = CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS, timer);
            return CompletableFuture.supplyAsync(() -> client, later)
                    .thenCompose(c -> registerHeedingRetryAfter(c, attempts - 1));
        });
    }

    /** New connections' registrations tried again after a 503 with Retry-After, since this generator started. */
    public long retriedRegistrations() {
        return retriedRegistrations.get();
    }

    /**
     * Re-registrations at {@code rate} for {@code duration} over the registered clients (REGISTER, 401, REGISTER
     * with credentials, 200): a registration succeeds on a 2xx.
     */
    public StepResult registerStep(double rate, Duration duration) {
        return openLoop("REGISTER", rate, Long.MAX_VALUE, duration, null, intended -> {
            SipClient client = idle.poll();
            if (client == null) {
                return CompletableFuture.failedFuture(new SipFailure(StepResult.NO_IDLE_CLIENT));
            }
            return client.register(settings.registerExpires()).handle((response, error) -> {
                release(client);
                if (error != null) {
                    throw new SipFailure(SipFailure.reasonOf(error));
                }
                if (response.status() / 100 != 2) {
                    throw SipFailure.ofStatus("status ", response);
                }
                return (System.nanoTime() - intended) / 1000;
            });
        });
    }

    /**
     * Calls at {@code rate} for {@code duration}: INVITE with a WebRTC offer, 1xx, 200, ACK, {@code hold}, BYE, 200.
     * A call succeeds when both the INVITE and the BYE get a 2xx; its latency is the setup (INVITE to 200), the
     * secondary latency the teardown (BYE to 200).
     */
    public StepResult callStep(double rate, Duration duration, Duration hold) {
        LatencyHistogram teardown = new LatencyHistogram();
        return openLoop("call", rate, Long.MAX_VALUE, duration, teardown, intended -> {
            SipClient client = idle.poll();
            if (client == null) {
                return CompletableFuture.failedFuture(new SipFailure(StepResult.NO_IDLE_CLIENT));
            }
            AtomicLong setupMicros = new AtomicLong();
            return client.invite(settings.callTarget(), WebrtcOffer.create(), null)
                    .thenCompose(dialog -> {
                        setupMicros.set((System.nanoTime() - intended) / 1000);
                        return CompletableFuture.supplyAsync(() -> dialog,
                                CompletableFuture.delayedExecutor(hold.toMillis(), TimeUnit.MILLISECONDS, io));
                    })
                    .thenCompose(dialog -> {
                        long byeStart = System.nanoTime();
                        return client.bye(dialog).thenApply(bye -> {
                            if (bye.status() / 100 != 2) {
                                throw SipFailure.ofStatus("BYE status ", bye);
                            }
                            teardown.recordSince(byeStart);
                            return setupMicros.get();
                        });
                    })
                    .whenComplete((v, e) -> release(client));
        });
    }

    /** Sets up {@code count} calls at {@code rate} and keeps them up until {@link #releaseCalls}. */
    public StepResult establishCalls(int count, double rate) {
        return openLoop("established call", rate, count, window(count, rate), null, intended -> {
            SipClient client = idle.poll();
            if (client == null) {
                return CompletableFuture.failedFuture(new SipFailure(StepResult.NO_IDLE_CLIENT));
            }
            return client.invite(settings.callTarget(), WebrtcOffer.create(), null).handle((dialog, error) -> {
                if (error != null) {
                    release(client);
                    throw new SipFailure(SipFailure.reasonOf(error));
                }
                held.add(new HeldCall(client, dialog));
                return (System.nanoTime() - intended) / 1000;
            });
        });
    }

    /** Ends every held call with BYE at {@code rate}; latency BYE to 200. */
    public StepResult releaseCalls(double rate) {
        int count = held.size();
        return openLoop("BYE", rate, count, window(count, rate), null, intended -> {
            HeldCall call = held.poll();
            if (call == null) {
                return CompletableFuture.failedFuture(new SipFailure("no held call"));
            }
            return call.client().bye(call.dialog()).handle((bye, error) -> {
                release(call.client());
                if (error != null) {
                    throw new SipFailure(SipFailure.reasonOf(error));
                }
                if (bye.status() / 100 != 2) {
                    throw SipFailure.ofStatus("status ", bye);
                }
                return (System.nanoTime() - intended) / 1000;
            });
        });
    }

    /** Closes every WebSocket (close frame, then abort after at most 5 s). */
    public void closeAll() {
        List<SipClient> all;
        synchronized (clients) {
            all = new ArrayList<>(clients);
            clients.clear();
        }
        idle.clear();
        held.clear();
        all.forEach(SipClient::close);
    }

    @Override
    public void close() {
        closeAll();
        timer.shutdownNow();
        io.shutdown();
        try {
            io.awaitTermination(6, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        io.shutdownNow();
    }

    private void release(SipClient client) {
        if (client.isOpen()) {
            idle.add(client);
        }
    }

    private Duration window(long count, double rate) {
        return Duration.ofNanos((long) Math.ceil(count * 1e9 / rate) + 1);
    }

    /**
     * Starts {@code op} at {@code rate} per second until {@code maxOps} or {@code duration}, then waits for the
     * outstanding ones (at most the timeout twice plus the longest hold, as an operation may have two
     * transactions). Each op gets its due time ({@link System#nanoTime()}) and completes with its latency (µs).
     */
    private StepResult openLoop(String name, double rate, long maxOps, Duration duration, LatencyHistogram secondary,
            LongFunction<CompletableFuture<Long>> op) {
        List<CompletableFuture<Long>> started = new ArrayList<>();
        long period = Math.max(1, (long) (1e9 / rate));
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        StepTally tally = new StepTally();
        long attempts = 0;
        for (long i = 0; i < maxOps; i++) {
            long due = start + i * period;
            if (due - end >= 0) {
                break;
            }
            for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            attempts++;
            CompletableFuture<Long> f;
            try {
                f = op.apply(due);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            // the future of the bookkeeping itself is waited for, so every count is in before the result is made
            started.add(f.whenComplete((micros, error) -> {
                if (error == null) {
                    tally.succeeded(micros, due + micros * 1000 - start);
                } else {
                    tally.failed(SipFailure.reasonOf(error));
                }
            }));
        }
        long drainMs = settings.timeout().toMillis() * 2 + 3_000;
        try {
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new))
                    .get(drainMs, TimeUnit.MILLISECONDS);
        } catch (Exception stillRunningOrFailed) {
            // failures are counted per operation; those still running count as unfinished
        }
        return tally.close(name, rate, attempts, attempts * (double) period / 1e9,
                secondary == null ? new LatencyHistogram() : secondary);
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
