package org.webims.gateway.sip.transport;

import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.stack.ConnectionOrientedMessageChannel;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.webims.gateway.sip.flow.Flow;
import org.webims.gateway.sip.flow.WebSocketConnection;

/**
 * One WebSocket connection seen by JAIN-SIP as a connection-oriented channel. Parsed messages enter the transaction
 * layer through the inherited {@code processMessage}, which stamps Via received/rport and hands requests to server
 * transactions and responses to client transactions. Outgoing messages leave as one WebSocket message each
 * (RFC 7118 §5.2): text when the message is UTF-8, binary otherwise.
 */
public final class WebSocketMessageChannel extends ConnectionOrientedMessageChannel {
    private final Flow flow;
    private final WebSocketMessageProcessor processor;

    WebSocketMessageChannel(SIPTransactionStack stack, WebSocketMessageProcessor processor, Flow flow) {
        super(stack);
        this.flow = flow;
        this.processor = processor;
        this.messageProcessor = processor;
        WebSocketConnection connection = flow.connection();
        this.peerAddress = connection.remoteAddress().getAddress();
        this.peerPort = connection.remoteAddress().getPort();
        this.peerProtocol = processor.getTransport();
        this.myAddress = processor.getIpAddress().getHostAddress();
        this.myPort = processor.getPort();
        this.key = getKey(peerAddress, peerPort, processor.getTransport());
    }

    /** The flow this channel carries; edge handlers use it to tell client-side requests from core-side ones. */
    public Flow flow() {
        return flow;
    }

    /** Hands a parsed message to the transaction layer. */
    void deliver(SIPMessage message) throws Exception {
        processMessage(message);
    }

    /** Sends a message built outside a transaction (a stateless 400 or 513 for a message that never got that far). */
    void sendStateless(SIPMessage message) {
        try {
            sendMessage(message);
        } catch (IOException closed) {
            // the connection is gone: nothing to answer
        }
    }

    /**
     * Encodes with the transport of the message's own top Via for responses: JAIN-SIP would otherwise rewrite the
     * client's {@code WSS} to this processor's name, and a response must carry the Via the request had
     * (RFC 3261 §8.2.6.2).
     */
    @Override
    public void sendMessage(SIPMessage message) throws IOException {
        String transport = message instanceof SIPResponse response && response.getTopmostVia() != null
                ? response.getTopmostVia().getTransport() : getTransport();
        sendMessage(message.encodeAsBytes(transport), message instanceof SIPRequest);
    }

    @Override
    protected void sendMessage(byte[] message, boolean retry) throws IOException {
        WebSocketConnection connection = flow.connection();
        if (!connection.isOpen()) {
            throw new IOException("WebSocket closed: " + flow.describe());
        }
        String text = asText(message);
        if (text != null) {
            connection.sendText(text);
        } else {
            connection.sendBinary(message);
        }
    }

    @Override
    protected void sendMessage(byte[] message, InetAddress receiver, int port, boolean retry) throws IOException {
        if (!receiver.equals(peerAddress) || port != peerPort) {
            throw new IOException("A WebSocket channel cannot send to " + receiver.getHostAddress() + ":" + port);
        }
        sendMessage(message, retry);
    }

    @Override
    protected void close(boolean removeSocket, boolean stopKeepAliveTask) {
        processor.unregister(this);
        isRunning = false;
        if (flow.connection().isOpen()) {
            flow.connection().close(1001, "SIP stack stopping");
        }
    }

    /** Called when the WebSocket has closed: the stack can no longer reach the peer through this channel. */
    void closed() {
        processor.unregister(this);
        isRunning = false;
    }

    @Override
    public String getTransport() {
        return processor.getTransport();
    }

    @Override
    public boolean isSecure() {
        return processor.isSecure();
    }

    @Override
    protected InetAddress getPeerInetAddress() {
        return peerAddress;
    }

    @Override
    public void handleException(java.text.ParseException ex, SIPMessage message, Class headerClass,
            String header, String messageText) throws java.text.ParseException {
        throw ex;
    }

    /**
     * The message as the text of a text frame, or null when it is not UTF-8 and must go as a binary frame (RFC 7118
     * §5.2). Decoded once, on the JDK's fast path for ASCII; the strict check runs only when the lenient decoding
     * put in a replacement character (or the message carries U+FFFD itself).
     */
    static String asText(byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        return text.indexOf('\uFFFD') < 0 || isUtf8(message) ? text : null;
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return flow.describe();
    }
}
