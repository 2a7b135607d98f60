package org.webims.gateway.diameter.peer;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.webims.gateway.diameter.codec.Avp;
import org.webims.gateway.diameter.codec.AvpCode;
import org.webims.gateway.diameter.codec.DiameterMessage;
import org.webims.gateway.diameter.codec.MalformedMessage;
import org.webims.gateway.diameter.codec.MessageCodec;
import org.webims.gateway.diameter.codec.ResultCode;

/**
 * One Diameter peer connection of the gateway (a client: it connects, RFC 6733 §5.6's initiator side): TCP through
 * Netty, the capabilities exchange (CER/CEA with the applications advertised, §5.3), the watchdog (DWR/DWA, RFC 3539,
 * {@link Watchdog}), answering the peer's DWR and DPR, reconnection with a doubling back-off, and requests with their
 * answers matched by Hop-by-Hop identifier. At most {@code maxInFlight} requests wait for answers, the last quarter
 * of them kept for sessions in progress ({@link InFlightLimit}, {@link Urgency}): beyond, a request fails at once
 * ({@link PeerException.Overloaded}); never an unbounded queue. Everything about the connection runs on its one
 * event-loop thread; {@link #send} may be called from any thread and never blocks.
 */
public final class DiameterPeer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(DiameterPeer.class.getName());
    /** RFC 3539 §3.4.1: Tw varies by up to ±2 s around its initial value. */
    private static final long JITTER_MS = 2000;

    /** Who we are, whom we reach and how. */
    public record Settings(String host, int port, String originHost, String originRealm, InetAddress hostIp,
            List<Long> acctApplications, List<Long> authApplications, Duration watchdogInterval,
            Duration capabilitiesTimeout, int maxInFlight, Duration answerTimeout, Duration minBackoff,
            Duration maxBackoff) {
        public Settings {
            acctApplications = List.copyOf(acctApplications);
            authApplications = List.copyOf(authApplications);
            if (maxInFlight < 1 || watchdogInterval.isNegative() || watchdogInterval.isZero()) {
                throw new IllegalArgumentException("maxInFlight and the watchdog interval must be positive");
            }
        }

        public String describe() {
            return host + ":" + port;
        }
    }

    private final Settings settings;
    /** The one thread of this peer: connection, watchdog, pending requests. */
    private final EventLoop loop;
    private final Watchdog watchdog = new Watchdog();
    private final AtomicInteger hopByHop = new AtomicInteger(ThreadLocalRandom.current().nextInt());
    private final AtomicInteger endToEnd;
    /** Requests awaiting their answer, by Hop-by-Hop identifier; only the event loop touches it. */
    private final Map<Integer, Pending> pending = new HashMap<>();
    private final InFlightLimit inFlight;
    private final AtomicInteger watchdogAnswers = new AtomicInteger();
    private volatile Watchdog.State state = Watchdog.State.INITIAL;
    private volatile boolean closing;
    /** The peer's Origin-Host from its last CEA (RFC 6733 §5.3.2), null before the first. */
    private volatile String remoteHost;
    private Channel channel;
    private ScheduledFuture<?> timer;
    private Duration backoff;
    /** Whether the current outage was logged (event loop only). */
    private boolean unreachableSaid;
    private volatile PeerRequests requests = PeerRequests.NONE;

    private record Pending(DiameterMessage request, CompletableFuture<DiameterMessage> answer,
            ScheduledFuture<?> timeout) {
    }

    public DiameterPeer(Settings settings, EventLoopGroup group) {
        this.settings = settings;
        this.loop = group.next();
        this.backoff = settings.minBackoff();
        this.inFlight = new InFlightLimit(settings.maxInFlight());
        // RFC 6733 §3: the high 12 bits from the time, the low 20 a counter
        this.endToEnd = new AtomicInteger((int) ((System.currentTimeMillis() / 1000) << 20)
                | ThreadLocalRandom.current().nextInt(1 << 20));
    }

    /** Who answers the requests the server sends (before {@link #start}); by default none is taken (3001). */
    public DiameterPeer answeringWith(PeerRequests handler) {
        this.requests = java.util.Objects.requireNonNull(handler, "handler");
        return this;
    }

    /** Connects, and keeps reconnecting until {@link #close}. */
    public void start() {
        loop.execute(this::connect);
    }

    /** host:port, for logs and errors. */
    public String describe() {
        return settings.describe();
    }

    /** The Diameter identity the peer gave in its CEA, if it has connected. */
    public Optional<String> remoteHost() {
        return Optional.ofNullable(remoteHost);
    }

    /** The watchdog's state: requests are taken in OKAY only. */
    public Watchdog.State state() {
        return state;
    }

    /** Requests sent and not yet answered, failed or timed out. */
    int requestsInFlight() {
        return inFlight.inFlight();
    }

    /** DWAs received so far (for tests and metrics). */
    public int watchdogAnswers() {
        return watchdogAnswers.get();
    }

    /** Whether the first request of a new session would be taken now: the peer is OKAY and has room for one. */
    public boolean takesNewSessions() {
        return state == Watchdog.State.OKAY && inFlight.hasRoomFor(Urgency.NEW_SESSION);
    }

    /** A new End-to-End identifier for a request (kept across retransmissions of it, RFC 6733 §3). */
    public int nextEndToEnd() {
        return endToEnd.incrementAndGet();
    }

    /** Sends a request of a session in progress (or of no session): see {@link #send(DiameterMessage, Urgency)}. */
    public CompletableFuture<DiameterMessage> send(DiameterMessage request) {
        return send(request, Urgency.ONGOING);
    }

    /**
     * Sends a request (its Hop-by-Hop identifier is set here) and completes with its answer; fails with a
     * {@link PeerException} when the peer cannot take it now (not OKAY, or no room in flight for its urgency: refused
     * at once, it never left), when the connection is lost before the answer (the caller fails over, RFC 6733
     * §5.5.4), or after {@code answerTimeout}.
     */
    public CompletableFuture<DiameterMessage> send(DiameterMessage request, Urgency urgency) {
        CompletableFuture<DiameterMessage> answer = new CompletableFuture<>();
        if (state != Watchdog.State.OKAY) {
            answer.completeExceptionally(new PeerException.Unavailable(settings.describe() + " is " + state));
            return answer;
        }
        if (!inFlight.take(urgency)) {
            answer.completeExceptionally(new PeerException.Overloaded(settings.describe() + " has "
                    + inFlight.inFlight() + " requests in flight, " + inFlight.boundFor(urgency) + " at most for "
                    + (urgency == Urgency.NEW_SESSION ? "a new session" : "a session in progress")));
            return answer;
        }
        // the slot is free before the caller sees the answer: one who sends again at once finds it (with
        // whenComplete on the caller's own future the slot was given back after get() had already returned)
        CompletableFuture<DiameterMessage> onTheWire = new CompletableFuture<>();
        onTheWire.whenComplete((a, e) -> {
            inFlight.give();
            if (e != null) {
                answer.completeExceptionally(e);
            } else {
                answer.complete(a);
            }
        });
        try {
            loop.execute(() -> write(request, onTheWire));
        } catch (RejectedExecutionException shutDown) {
            // the peer's thread is gone (the server is stopping): the request never left, its slot is given back
            onTheWire.completeExceptionally(new PeerException.Unavailable(settings.describe() + " is shut down"));
        }
        return answer;
    }

    private void write(DiameterMessage request, CompletableFuture<DiameterMessage> answer) {
        Channel current = channel; // on the peer's thread: channel and watchdog are its own
        if (current == null || !current.isActive() || !watchdog.carriesTraffic()) {
            answer.completeExceptionally(new PeerException.Unavailable(settings.describe() + " is " + state));
            return;
        }
        {
            int id = hopByHop.incrementAndGet();
            DiameterMessage withId = request.withHopByHop(id);
            ScheduledFuture<?> timeout = current.eventLoop().schedule(() -> {
                Pending late = pending.remove(id);
                if (late != null) {
                    late.answer().completeExceptionally(new PeerException.Timeout("no answer from "
                            + settings.describe() + " within " + settings.answerTimeout(), remoteHost));
                }
            }, settings.answerTimeout().toMillis(), TimeUnit.MILLISECONDS);
            pending.put(id, new Pending(withId, answer, timeout));
            writeMessage(current, withId);
        }
    }

    private static void writeMessage(Channel channel, DiameterMessage message) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(MessageCodec.encode(message)));
    }

    private void connect() {
        if (closing) {
            return;
        }
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) settings.capabilitiesTimeout().toMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // RFC 6733 §3: version (1 octet), then the message length (3 octets) counting the whole message
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MessageCodec.MAX_LENGTH, 1, 3, -4, 0),
                                new Handler());
                    }
                });
        ChannelFuture connecting = bootstrap.connect(settings.host(), settings.port());
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                if (!unreachableSaid) { // once per outage: an operator must know, a log must not flood
                    unreachableSaid = true;
                    LOG.warning(() -> "Diameter peer " + settings.describe() + " not reachable (" + f.cause()
                            + "); trying again with back-off up to " + settings.maxBackoff().toSeconds() + " s");
                } else {
                    LOG.fine(() -> "Diameter peer " + settings.describe() + " still not reachable: " + f.cause());
                }
                reconnectLater();
            }
        });
    }

    private void reconnectLater() {
        if (closing) {
            return;
        }
        Duration wait = backoff;
        backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff()
                : backoff.multipliedBy(2);
        loop.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void restartTimer(Channel ch, Duration interval) {
        if (timer != null) {
            timer.cancel(false);
        }
        long jitter = ThreadLocalRandom.current().nextLong(-JITTER_MS, JITTER_MS + 1);
        long ms = Math.max(interval.toMillis() / 2, interval.toMillis() + Math.min(jitter, interval.toMillis() / 4));
        timer = ch.eventLoop().schedule(() -> act(ch, watchdog.timerExpired()), ms, TimeUnit.MILLISECONDS);
    }

    private void act(Channel ch, Watchdog.Action action) {
        state = watchdog.state();
        switch (action) {
            case SEND_DWR -> writeMessage(ch, request(DiameterMessage.DEVICE_WATCHDOG, origin()));
            case FAIL_OVER -> failPending("the peer " + settings.describe() + " stopped answering watchdogs");
            case CLOSE -> ch.close();
            case NONE -> {
            }
        }
        if (ch.isActive() && action != Watchdog.Action.CLOSE) {
            restartTimer(ch, settings.watchdogInterval());
        }
    }

    private void failPending(String why) {
        List<Pending> failed = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending p : failed) {
            p.timeout().cancel(false);
            p.answer().completeExceptionally(new PeerException.ConnectionLost(why, remoteHost));
        }
    }

    private List<Avp> origin() {
        return List.of(Avp.utf8(AvpCode.ORIGIN_HOST, settings.originHost()),
                Avp.utf8(AvpCode.ORIGIN_REALM, settings.originRealm()));
    }

    private DiameterMessage request(int command, List<Avp> avps) {
        return new DiameterMessage(command, true, false, false, false, 0, hopByHop.incrementAndGet(),
                nextEndToEnd(), avps);
    }

    /** RFC 6733 §5.3.1: who we are and the applications we use. */
    private DiameterMessage capabilitiesRequest() {
        List<Avp> avps = new ArrayList<>(origin());
        avps.add(Avp.address(AvpCode.HOST_IP_ADDRESS, settings.hostIp()));
        avps.add(Avp.unsigned32(AvpCode.VENDOR_ID, 0));
        avps.add(Avp.utf8(AvpCode.PRODUCT_NAME, "webims-gateway"));
        avps.add(Avp.unsigned32(AvpCode.SUPPORTED_VENDOR_ID, AvpCode.VENDOR_3GPP));
        settings.authApplications().forEach(app -> avps.add(Avp.unsigned32(AvpCode.AUTH_APPLICATION_ID, app)));
        settings.acctApplications().forEach(app -> avps.add(Avp.unsigned32(AvpCode.ACCT_APPLICATION_ID, app)));
        return request(DiameterMessage.CAPABILITIES_EXCHANGE, avps);
    }

    private DiameterMessage answerTo(DiameterMessage request, long resultCode) {
        List<Avp> avps = new ArrayList<>();
        request.first(AvpCode.SESSION_ID).ifPresent(avps::add); // RFC 6733 §8.8: first, as in the request
        avps.add(Avp.unsigned32(AvpCode.RESULT_CODE, resultCode));
        avps.addAll(origin());
        return new DiameterMessage(request.commandCode(), false, request.proxiable(), resultCode >= 3000
                && resultCode < 4000, false, request.applicationId(), request.hopByHop(), request.endToEnd(), avps);
    }

    /** Sends a DPR (RFC 6733 §5.4, cause REBOOTING) and closes; no reconnection after. */
    @Override
    public void close() {
        closing = true;
        try {
            loop.execute(() -> {
                Channel current = channel;
                if (current != null && current.isActive()) {
                    writeMessage(current, request(DiameterMessage.DISCONNECT_PEER, List.of(origin().get(0),
                            origin().get(1), Avp.integer32(AvpCode.DISCONNECT_CAUSE, 0))));
                    loop.schedule(() -> current.close(), 500, TimeUnit.MILLISECONDS);
                }
            });
        } catch (RejectedExecutionException shutDown) {
            // the peer's thread was shut down first: it closed the connection, no DPR can be sent
            LOG.fine(() -> "Diameter peer " + settings.describe() + " closed after its thread was shut down");
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<ByteBuf> {
        private ScheduledFuture<?> capabilitiesTimeout;
        private boolean open;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            writeMessage(ctx.channel(), capabilitiesRequest());
            capabilitiesTimeout = ctx.executor().schedule(() -> {
                LOG.warning(() -> "Diameter peer " + settings.describe() + " sent no CEA within "
                        + settings.capabilitiesTimeout());
                ctx.close();
            }, settings.capabilitiesTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            DiameterMessage message;
            try {
                message = MessageCodec.decode(ByteBufUtil.getBytes(frame));
            } catch (MalformedMessage e) {
                LOG.warning(() -> "Diameter peer " + settings.describe() + " sent a malformed message ("
                        + e.getMessage() + "): closing the connection");
                ctx.close(); // RFC 6733 §3: a header we cannot trust leaves nothing to answer reliably
                return;
            }
            if (!open) {
                capabilitiesExchanged(ctx, message);
                return;
            }
            restartTimer(ctx.channel(), settings.watchdogInterval()); // RFC 3539: any message resets Tw
            if (message.request()) {
                answerPeer(ctx, message);
                return;
            }
            boolean dwa = message.commandCode() == DiameterMessage.DEVICE_WATCHDOG;
            if (dwa) {
                watchdogAnswers.incrementAndGet();
            }
            watchdog.received(dwa);
            state = watchdog.state();
            Pending waiting = pending.remove(message.hopByHop());
            if (waiting != null) {
                waiting.timeout().cancel(false);
                waiting.answer().complete(message);
            } else if (!dwa) {
                LOG.fine(() -> "Diameter answer from " + settings.describe() + " matches no request: " + message);
            }
        }

        private void capabilitiesExchanged(ChannelHandlerContext ctx, DiameterMessage message) {
            capabilitiesTimeout.cancel(false);
            long result = message.first(AvpCode.RESULT_CODE).map(avp -> {
                try {
                    return avp.unsigned32();
                } catch (MalformedMessage e) {
                    return -1L;
                }
            }).orElse(-1L);
            if (message.request() || message.commandCode() != DiameterMessage.CAPABILITIES_EXCHANGE
                    || result != ResultCode.SUCCESS) {
                LOG.warning(() -> "Diameter peer " + settings.describe() + " refused the capabilities exchange ("
                        + result + ")");
                ctx.close();
                return;
            }
            open = true;
            remoteHost = message.originHost().orElse(null);
            backoff = settings.minBackoff();
            act(ctx.channel(), watchdog.opened());
            unreachableSaid = false;
            LOG.info(() -> "Diameter peer " + settings.describe() + " connected (" + state + ")");
        }

        private void answerPeer(ChannelHandlerContext ctx, DiameterMessage request) {
            watchdog.received(false);
            state = watchdog.state();
            switch (request.commandCode()) {
                case DiameterMessage.DEVICE_WATCHDOG -> writeMessage(ctx.channel(), answerTo(request,
                        ResultCode.SUCCESS));
                case DiameterMessage.DISCONNECT_PEER -> {
                    writeMessage(ctx.channel(), answerTo(request, ResultCode.SUCCESS)); // §5.4.2, then it closes
                    LOG.info(() -> "Diameter peer " + settings.describe() + " disconnects");
                }
                default -> writeMessage(ctx.channel(), answerTo(request, applicationAnswer(request)));
            }
        }

        private long applicationAnswer(DiameterMessage request) {
            try {
                return requests.answer(request);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Failed to take " + request + " from " + settings.describe(), e);
                return ResultCode.UNABLE_TO_COMPLY;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (capabilitiesTimeout != null) {
                capabilitiesTimeout.cancel(false);
            }
            if (timer != null) {
                timer.cancel(false);
            }
            watchdog.closed();
            state = watchdog.state();
            failPending("the connection to " + settings.describe() + " was lost");
            channel = null;
            if (open) {
                unreachableSaid = true; // this line is the outage's warning
                LOG.warning(() -> "Diameter peer " + settings.describe() + " disconnected");
            }
            reconnectLater();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.log(Level.FINE, "Diameter connection to " + settings.describe() + " failed", cause);
            ctx.close();
        }
    }
}
