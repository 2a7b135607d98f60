package org.webims.gateway.sip.media;

import java.io.IOException;
import java.net.PortUnreachableException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.webims.gateway.sip.transport.SocketBufferCheck;

/**
 * Client of the rtpengine ng control protocol over UDP (rtpengine docs/ng_control_protocol.md): each request is a
 * datagram "cookie, space, bencoded dictionary", and the reply echoes the cookie. One instance serves every call:
 * one {@link DatagramChannel} connected to rtpengine, one daemon thread ({@value #RECEIVER_THREAD} and the address) that matches
 * replies to pending requests by cookie, and a periodic sweep on a timer that retransmits the very same datagram
 * (same cookie, so rtpengine recognises a retransmission and resends its cached reply instead of executing the command
 * twice) until {@link NgSettings#attempts()} transmissions went unanswered. One sweep every few milliseconds, not a
 * timer task per command: scheduling and cancelling hundreds of tasks a second cost more than the commands.
 *
 * <p>Flow control (as Kamailio's rtpengine module keeps one command per worker in flight): at most
 * {@link NgSettings#maxInFlight()} commands are sent and unanswered; the others wait their turn in two bounded queues,
 * what calls in progress need (answers, deletes, re-offers, playback) before offers of new sessions, so a burst of new
 * calls never delays the end of an old one. Beyond {@link NgSettings#maxWaitingNew()} waiting offers a new one fails at
 * once ({@link MediaGatewayException.Failure#OVERLOADED}: the caller refuses the call with 503 and Retry-After) instead
 * of piling up in rtpengine's socket, and {@link #saturated()} tells call admission so before it reserves anything.
 *
 * <p>{@link #command} never waits for rtpengine: the datagram goes out on the caller's thread (a UDP send on a
 * connected socket only copies it to the kernel; no thread hop per command) and a future is returned, completed on
 * the {@code completions} executor; only when that executor refuses (its queue is full) does a completion, and the
 * dependent stages it runs, run on the receiver thread. The future fails with
 * {@link MediaGatewayException} when rtpengine does not answer in time, answers {@code result: error} (the message
 * carries its {@code error-reason}) or answers something unreadable. Cookies start with a random prefix per client,
 * so a restarted gateway never collides with replies rtpengine still caches from its predecessor.
 */
public final class NgClient implements NgCommands, AutoCloseable {
    public static final String RECEIVER_THREAD = "rtpengine-ng-receiver";
    /** The largest UDP payload over IPv4 (RFC 768, RFC 791: 65535 minus 8 + 20 header bytes). */
    static final int MAX_DATAGRAM = 65_507;
    /** A cookie is short; a reply whose first space is further than this has none. */
    private static final int MAX_COOKIE = 64;
    private static final Logger LOG = Logger.getLogger(NgClient.class.getName());

    private final NgSettings settings;
    private final DatagramChannel channel;
    private final ScheduledExecutorService timer;
    private final boolean ownsTimer;
    private final Executor completions;
    private final String cookiePrefix;
    private final AtomicLong sequence = new AtomicLong();
    /** Requests awaiting a reply, by cookie. Whoever removes an entry settles its future: exactly once. */
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /** Guards {@link #inFlight}, the two queues and each {@link Pending#hasTurn}. */
    private final Object turns = new Object();
    private int inFlight;
    private final ArrayDeque<Pending> waitingOngoing = new ArrayDeque<>();
    private final ArrayDeque<Pending> waitingNew = new ArrayDeque<>();
    /**
     * What {@link #saturated()} reads without {@code turns} (it is asked on WebSocket threads for every new call):
     * republished under {@code turns} by {@link #publishTurns()} whenever a turn or a queue changes.
     */
    private volatile boolean allTurnsTaken;
    private volatile boolean newQueueFull;
    /** When the oldest command still waiting began to wait; {@link #NONE_WAITING} when none waits. */
    private volatile long oldestWaitingSince = NONE_WAITING;
    private static final long NONE_WAITING = Long.MIN_VALUE;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> sweep;

    private NgClient(NgSettings settings, DatagramChannel channel, ScheduledExecutorService timer, boolean ownsTimer,
            Executor completions) {
        this.settings = settings;
        this.channel = channel;
        this.timer = timer;
        this.ownsTimer = ownsTimer;
        this.completions = completions;
        this.cookiePrefix = Integer.toHexString(ThreadLocalRandom.current().nextInt()) + "_";
    }

    /**
     * Opens a client with its own timer thread ({@code rtpengine-ng-timer}, daemon), shut down by {@link #close()}.
     *
     * @param completions where futures complete and their dependent stages run (the SIP workers in WildFly)
     */
    public static NgClient open(NgSettings settings, Executor completions) throws IOException {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread t = new Thread(task, "rtpengine-ng-timer");
            t.setDaemon(true);
            return t;
        });
        try {
            return open(settings, timer, completions, true);
        } catch (IOException | RuntimeException e) {
            timer.shutdownNow();
            throw e;
        }
    }

    /**
     * Opens a client on a timer owned by the caller (not shut down by {@link #close()}): a deterministic one in
     * tests, the SIP runtime's timers ({@code CallTimers}) in the application server.
     */
    public static NgClient open(NgSettings settings, ScheduledExecutorService timer, Executor completions)
            throws IOException {
        return open(settings, timer, completions, false);
    }

    private static NgClient open(NgSettings settings, ScheduledExecutorService timer, Executor completions,
            boolean ownsTimer) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            // With the system's default receive buffer (net.core.rmem_default, 208 KiB of kernel accounting: a few
            // dozen replies) the benchmark of 79fdbb5 saw rtpengine's replies dropped here at 275 calls/s and past it
            // ("ng clients" among its UDP drops), each such command then waiting for its retransmission with its turn
            // held. The kernel caps these at net.core.rmem_max / wmem_max (README, production advice); the send
            // buffer as the Mw port's, though the bound on commands in flight keeps it far from full.
            channel.setOption(java.net.StandardSocketOptions.SO_RCVBUF, SocketBufferCheck.UDP_BUFFER_BYTES);
            channel.setOption(java.net.StandardSocketOptions.SO_SNDBUF, SocketBufferCheck.UDP_BUFFER_BYTES);
            SocketBufferCheck.receiveBuffer(LOG, "rtpengine ng socket",
                    SocketBufferCheck.UDP_BUFFER_BYTES, channel.getOption(java.net.StandardSocketOptions.SO_RCVBUF));
            channel.bind(null);
            // Connected: the kernel drops datagrams from anyone but rtpengine.
            channel.connect(settings.rtpengine());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        NgClient client = new NgClient(settings, channel, timer, ownsTimer, completions);
        long period = sweepPeriod(settings).toNanos();
        client.sweep = timer.scheduleWithFixedDelay(client::sweep, period, period, TimeUnit.NANOSECONDS);
        Thread receiver = new Thread(client::receive, RECEIVER_THREAD + " " + settings.describe());
        receiver.setDaemon(true);
        receiver.start();
        return client;
    }

    @Override
    public CompletableFuture<Map<String, Object>> command(Map<String, Object> request) {
        return command(request, Urgency.ONGOING);
    }

    @Override
    public CompletableFuture<Map<String, Object>> command(Map<String, Object> request, Urgency urgency) {
        CompletableFuture<Map<String, Object>> future = new CompletableFuture<>();
        String name = String.valueOf(request.get("command"));
        if (closed) {
            future.completeExceptionally(closedException());
            return future;
        }
        String cookie = cookiePrefix + sequence.incrementAndGet();
        byte[] datagram;
        try {
            datagram = frame(cookie, request);
        } catch (BencodeException e) {
            future.completeExceptionally(new MediaGatewayException("cannot encode '" + name + "': " + e.getMessage(),
                    e));
            return future;
        }
        if (datagram.length > MAX_DATAGRAM) {
            future.completeExceptionally(new MediaGatewayException("'" + name + "' of " + datagram.length
                    + " bytes does not fit in one UDP datagram"));
            return future;
        }
        Pending p = new Pending(cookie, name, datagram, future);
        pending.put(cookie, p);
        // A caller that cancels or times out on its own side releases the entry.
        future.whenComplete((reply, error) -> forget(p));
        Turn turn = takeTurn(p, urgency);
        if (turn == Turn.NOW) {
            transmit(p);
        } else if (turn == Turn.REFUSED) {
            claimAndFail(p, new MediaGatewayException("rtpengine at " + settings.describe() + " is saturated: "
                    + settings.maxInFlight() + " commands in flight and the waiting ones over "
                    + settings.maxWaitingNew() + " new sessions or " + settings.maxQueueDelay().toMillis()
                    + " ms of delay", MediaGatewayException.Failure.OVERLOADED));
        }
        return future;
    }

    private enum Turn { NOW, WAITING, REFUSED }

    private Turn takeTurn(Pending p, Urgency urgency) {
        synchronized (turns) {
            if (inFlight < settings.maxInFlight()) {
                inFlight++;
                p.hasTurn = true;
                publishTurns();
                return Turn.NOW;
            }
            boolean fresh = urgency == Urgency.NEW_SESSION;
            ArrayDeque<Pending> queue = fresh ? waitingNew : waitingOngoing;
            int bound = fresh ? settings.maxWaitingNew()
                    : settings.maxInFlight() * NgSettings.WAITING_ONGOING_PER_SLOT;
            long now = System.nanoTime();
            if (queue.size() >= bound || fresh && queueTooSlow(now)) {
                return Turn.REFUSED;
            }
            p.queuedAt = now;
            queue.add(p);
            publishTurns();
            return Turn.WAITING;
        }
    }

    /** A command that had a turn is settled: the turn goes to the next waiting one, ongoing sessions first. */
    private void released(Pending p) {
        Pending next = null;
        List<Pending> stale = null; // allocated only when one is found: this runs for every reply
        long now = System.nanoTime();
        // twice what one command may take (6 s by default): with its own attempts after, still within the
        // caller's patience (a browser's INVITE gives up after 32 s, RFC 3261 Timer B)
        long longest = 2 * settings.attemptTimeout().toNanos() * settings.attempts();
        synchronized (turns) {
            if (!p.hasTurn) {
                return; // still queued: skipped when its turn comes
            }
            p.hasTurn = false;
            if (closed) {
                inFlight--; // close() fails every command: passing turns on would only fail them one by one, nested
                publishTurns();
                return;
            }
            for (ArrayDeque<Pending> queue : List.of(waitingOngoing, waitingNew)) {
                Pending waiting;
                while (next == null && (waiting = queue.poll()) != null) {
                    if (pending.get(waiting.cookie) != waiting) {
                        continue; // abandoned meanwhile
                    }
                    if (now - waiting.queuedAt > longest) {
                        if (stale == null) {
                            stale = new java.util.ArrayList<>();
                        }
                        stale.add(waiting); // its caller has waited long enough: fail it, do not start it late
                    } else {
                        next = waiting;
                    }
                }
            }
            if (next == null) {
                inFlight--;
            } else {
                next.hasTurn = true;
            }
            publishTurns();
        }
        for (Pending old : stale == null ? List.<Pending>of() : stale) {
            claimAndFail(old, new MediaGatewayException("'" + old.command + "' waited longer than "
                    + longest / 1_000_000 + " ms for rtpengine at " + settings.describe() + " to take it",
                    MediaGatewayException.Failure.OVERLOADED));
        }
        if (next != null) {
            transmit(next);
        }
    }

    /** A tenth of an attempt's timeout, within 5 to 100 ms: a late retransmission is late by at most that. */
    static java.time.Duration sweepPeriod(NgSettings settings) {
        long tenth = settings.attemptTimeout().toMillis() / 10;
        return java.time.Duration.ofMillis(Math.max(5, Math.min(100, tenth)));
    }

    /** Runs on the timer: retransmits, or fails, what went unanswered past its attempt's deadline. */
    private void sweep() {
        long now = System.nanoTime();
        for (Pending p : pending.values()) {
            long deadline = p.deadline;
            if (deadline != 0 && now - deadline >= 0) {
                try {
                    expire(p);
                } catch (RuntimeException | Error e) { // a periodic task that throws is never run again
                    LOG.log(Level.SEVERE, "ng sweep failed on ''" + p.command + "''", e);
                }
            }
        }
    }

    /**
     * Whether an offer of a new session would be refused now: every turn taken and either its own queue full or a
     * command waiting longer than {@link NgSettings#maxQueueDelay()} (rtpengine does not keep up: a new call would only
     * add to the delay of those in progress).
     */
    @Override
    public boolean saturated() {
        if (!allTurnsTaken) {
            return false;
        }
        long since = oldestWaitingSince;
        return newQueueFull
                || since != NONE_WAITING && System.nanoTime() - since > settings.maxQueueDelay().toNanos();
    }

    /** Makes the state of the turns readable by {@link #saturated()} without the lock (under {@code turns}). */
    private void publishTurns() {
        allTurnsTaken = inFlight >= settings.maxInFlight();
        newQueueFull = waitingNew.size() >= settings.maxWaitingNew();
        Pending ongoing = waitingOngoing.peek();
        Pending fresh = waitingNew.peek();
        long oldest = NONE_WAITING;
        if (ongoing != null) {
            oldest = ongoing.queuedAt;
        }
        if (fresh != null && (oldest == NONE_WAITING || fresh.queuedAt - oldest < 0)) {
            oldest = fresh.queuedAt;
        }
        oldestWaitingSince = oldest;
    }

    /** The oldest command still waiting for a turn has waited longer than allowed (under {@code turns}). */
    private boolean queueTooSlow(long now) {
        long limit = settings.maxQueueDelay().toNanos();
        return waitedLonger(waitingOngoing.peek(), now, limit) || waitedLonger(waitingNew.peek(), now, limit);
    }

    private static boolean waitedLonger(Pending head, long now, long limit) {
        return head != null && now - head.queuedAt > limit;
    }

    /** The receive buffer the kernel gave the socket, in bytes. */
    int receiveBufferBytes() throws IOException {
        return channel.getOption(java.net.StandardSocketOptions.SO_RCVBUF);
    }

    /** Commands sent and not yet answered (at most {@link NgSettings#maxInFlight()}). */
    public int inFlightCount() {
        synchronized (turns) {
            return inFlight;
        }
    }

    /** Requests sent and not yet answered, failed or abandoned. */
    public int pendingCount() {
        return pending.size();
    }

    public NgSettings settings() {
        return settings;
    }

    /** Stops the receiver thread, fails every pending request and, if it owns it, stops the timer. */
    @Override
    public void close() {
        closed = true;
        try {
            channel.close(); // wakes the receiver thread, blocked in receive(), which then ends
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing the ng channel", e);
        }
        for (Pending p : List.copyOf(pending.values())) {
            claimAndFail(p, closedException());
        }
        ScheduledFuture<?> s = sweep;
        if (s != null) {
            s.cancel(false);
        }
        if (ownsTimer) {
            timer.shutdownNow();
        }
    }

    static byte[] frame(String cookie, Map<String, Object> request) {
        return Bencode.encode(cookie + ' ', request);
    }

    /** One transmission, then the wait for its reply (until {@link #sweep} finds its deadline passed). */
    private void transmit(Pending p) {
        if (pending.get(p.cookie) != p) {
            return; // answered, failed or abandoned meanwhile
        }
        p.attempts++;
        p.deadline = System.nanoTime() + settings.attemptTimeout().toNanos();
        // The channel is interruptible and shared: a caller's pending interrupt must not close it for every call.
        boolean interrupted = Thread.interrupted();
        try {
            channel.write(ByteBuffer.wrap(p.datagram));
        } catch (ClosedChannelException e) {
            claimAndFail(p, closedException());
            return;
        } catch (IOException e) {
            // ICMP port unreachable from an earlier datagram, no route: this attempt is lost, the next may pass.
            LOG.log(Level.FINE, "sending ''{0}'' ({1}) to {2} failed: {3}",
                    new Object[] {p.command, p.cookie, settings.describe(), e.toString()});
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs on the timer when an attempt went unanswered. */
    private void expire(Pending p) {
        if (pending.get(p.cookie) != p) {
            return;
        }
        if (p.attempts < settings.attempts()) {
            LOG.log(Level.FINE, "no reply to ''{0}'' ({1}) yet, retransmitting", new Object[] {p.command, p.cookie});
            transmit(p);
            return;
        }
        claimAndFail(p, new MediaGatewayException("rtpengine at " + settings.describe() + " did not answer '"
                + p.command + "' (" + p.attempts + " attempts, " + settings.attemptTimeout().toMillis()
                + " ms each)"));
    }

    /** The receiver thread's loop: one datagram at a time until the channel is closed. */
    private void receive() {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM + 1);
        while (!closed) {
            buffer.clear();
            try {
                channel.receive(buffer);
            } catch (PortUnreachableException e) {
                LOG.log(Level.FINE, "rtpengine at {0} is unreachable (ICMP)", settings.describe());
                continue;
            } catch (ClosedChannelException e) {
                break;
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(Level.WARNING, "receiving from rtpengine at " + settings.describe() + " failed", e);
                }
                continue;
            }
            buffer.flip();
            try {
                onDatagram(buffer.array(), buffer.limit());
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "unexpected failure handling an ng reply", e);
            }
        }
    }

    private void onDatagram(byte[] data, int length) {
        int space = -1;
        for (int i = 0; i < Math.min(length, MAX_COOKIE + 1); i++) {
            if (data[i] == ' ') {
                space = i;
                break;
            }
        }
        if (space <= 0) {
            LOG.log(Level.FINE, "ignoring a datagram of {0} bytes without a cookie", length);
            return;
        }
        String cookie = new String(data, 0, space, StandardCharsets.US_ASCII);
        Pending p = pending.remove(cookie);
        if (p == null) {
            LOG.log(Level.FINE, "ignoring a reply to unknown or expired cookie {0}", cookie);
            return;
        }
        released(p);
        Map<String, Object> reply;
        try {
            reply = Bencode.decodeDictionary(data, space + 1, length - space - 1);
        } catch (BencodeException e) {
            settle(p, null, new MediaGatewayException("malformed reply from rtpengine at " + settings.describe()
                    + " to '" + p.command + "': " + e.getMessage(), e));
            return;
        }
        Object result = reply.get("result");
        if ("ok".equals(result) || "pong".equals(result)) {
            if (reply.get("warning") != null) {
                LOG.log(Level.INFO, "rtpengine warning on ''{0}'': {1}", new Object[] {p.command, reply.get("warning")});
            }
            settle(p, reply, null);
        } else if ("error".equals(result)) {
            Object reason = reply.getOrDefault("error-reason", "no error-reason given");
            settle(p, null, new MediaGatewayException("rtpengine refused '" + p.command + "': " + reason,
                    NgErrorReasons.classify(reason)));
        } else {
            settle(p, null, new MediaGatewayException("rtpengine answered '" + p.command + "' with result '"
                    + result + "'"));
        }
    }

    private void forget(Pending p) {
        if (pending.remove(p.cookie, p)) {
                released(p);
        }
    }

    private void claimAndFail(Pending p, MediaGatewayException error) {
        if (pending.remove(p.cookie, p)) {
                released(p);
            settle(p, null, error);
        }
    }

    private void settle(Pending p, Map<String, Object> reply, Throwable error) {
        Runnable completion = () -> {
            if (error != null) {
                p.future.completeExceptionally(error);
            } else {
                p.future.complete(reply);
            }
        };
        try {
            completions.execute(completion);
        } catch (RejectedExecutionException e) {
            completion.run();
        }
    }

    private MediaGatewayException closedException() {
        return new MediaGatewayException("ng client for rtpengine at " + settings.describe() + " is closed");
    }

    /**
     * One request in flight. Its first transmission is made by whoever gives it its turn, the others by the sweep:
     * never two at once.
     */
    private static final class Pending {
        final String cookie;
        final String command;
        final byte[] datagram;
        final CompletableFuture<Map<String, Object>> future;
        volatile int attempts;
        /** When the current attempt expires ({@link System#nanoTime()}); 0 until the first transmission. */
        volatile long deadline;
        /** It holds one of the turns (guarded by {@code turns}). */
        boolean hasTurn;
        /** When it began to wait for a turn (guarded by {@code turns}). */
        long queuedAt;

        Pending(String cookie, String command, byte[] datagram, CompletableFuture<Map<String, Object>> future) {
            this.cookie = cookie;
            this.command = command;
            this.datagram = datagram;
            this.future = future;
        }
    }
}
