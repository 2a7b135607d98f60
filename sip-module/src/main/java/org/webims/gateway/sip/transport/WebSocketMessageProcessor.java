package org.webims.gateway.sip.transport;

import gov.nist.core.HostPort;
import gov.nist.javax.sip.stack.ConnectionOrientedMessageProcessor;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JAIN-SIP message processor for SIP over WebSocket (RFC 7118). It binds no socket: connections are accepted by
 * the web container and registered here as channels, one per connection. A server cannot open a WebSocket toward a
 * client, so asking for a channel to a peer with no live connection fails, and the stack reports the request as
 * undeliverable.
 */
public final class WebSocketMessageProcessor extends ConnectionOrientedMessageProcessor {
    public static final String WS = "WS";
    public static final String WSS = "WSS";

    private final Map<String, WebSocketMessageChannel> channels = new ConcurrentHashMap<>();

    WebSocketMessageProcessor(InetAddress address, int port, String transport, SIPTransactionStack stack) {
        super(address, port, transport, stack);
    }

    static boolean handles(String transport) {
        return WS.equalsIgnoreCase(transport) || WSS.equalsIgnoreCase(transport);
    }

    void register(WebSocketMessageChannel channel) {
        channels.put(peerKey(channel.getPeerInetAddress(), channel.getPeerPort()), channel);
    }

    void unregister(WebSocketMessageChannel channel) {
        channels.remove(peerKey(channel.getPeerInetAddress(), channel.getPeerPort()), channel);
    }

    @Override
    public MessageChannel createMessageChannel(HostPort target) throws IOException {
        return createMessageChannel(target.getInetAddress(), target.getPort());
    }

    @Override
    public MessageChannel createMessageChannel(InetAddress address, int port) throws IOException {
        WebSocketMessageChannel channel = channels.get(peerKey(address, port));
        if (channel == null) {
            throw new IOException("No WebSocket connection from " + address.getHostAddress() + ":" + port);
        }
        return channel;
    }

    @Override
    public void start() {
        isRunning = true;
    }

    @Override
    public void stop() {
        isRunning = false;
        for (WebSocketMessageChannel channel : List.copyOf(channels.values())) {
            channel.close();
        }
    }

    @Override
    public int getDefaultTargetPort() {
        return isSecure() ? 443 : 80;
    }

    @Override
    public boolean isSecure() {
        return WSS.equals(transport);
    }

    @Override
    public int getMaximumMessageSize() {
        return Integer.MAX_VALUE;
    }

    @Override
    public boolean inUse() {
        return !channels.isEmpty();
    }

    private static String peerKey(InetAddress address, int port) {
        return address.getHostAddress() + ":" + port;
    }
}
