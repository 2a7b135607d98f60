package org.webims.gateway.sip.transport;

import gov.nist.javax.sip.stack.MessageProcessor;
import gov.nist.javax.sip.stack.MessageProcessorFactory;
import gov.nist.javax.sip.stack.OIOMessageProcessorFactory;
import gov.nist.javax.sip.stack.SIPTransactionStack;
import java.io.IOException;
import java.net.InetAddress;

/**
 * Gives JAIN-SIP a WebSocket message processor for the "WS" and "WSS" transports, whose connections are accepted by
 * the web container (same origin, TLS and login as the web app), and its own socket processors for UDP and TCP.
 */
public final class GatewayMessageProcessorFactory implements MessageProcessorFactory {
    private final MessageProcessorFactory sockets = new OIOMessageProcessorFactory();

    @Override
    public MessageProcessor createMessageProcessor(SIPTransactionStack stack, InetAddress address, int port,
            String transport) throws IOException {
        if (WebSocketMessageProcessor.handles(transport)) {
            return new WebSocketMessageProcessor(address, port, transport.toUpperCase(), stack);
        }
        return sockets.createMessageProcessor(stack, address, port, transport);
    }
}
