package org.webims.gateway.diameter.peer;

/** Why a request to a Diameter peer got no answer: the caller fails over to another peer or gives up. */
public abstract sealed class PeerException extends Exception {
    private static final long serialVersionUID = 1L;

    PeerException(String why) {
        super(why, null, false, false);
    }

    /** The peer takes no requests now (not connected, or its watchdog is not OKAY). */
    public static final class Unavailable extends PeerException {
        private static final long serialVersionUID = 1L;

        Unavailable(String why) {
            super(why);
        }
    }

    /** Too many requests wait for answers already: refused early, never queued without bound. */
    public static final class Overloaded extends PeerException {
        private static final long serialVersionUID = 1L;

        public Overloaded(String why) {
            super(why);
        }
    }

    /** The connection went down with the request unanswered: send it elsewhere with the T flag (RFC 6733 §5.5.4). */
    public static final class ConnectionLost extends PeerException implements MayHaveArrived {
        private static final long serialVersionUID = 1L;
        private final String peerHost;

        ConnectionLost(String why, String peerHost) {
            super(why);
            this.peerHost = peerHost;
        }

        @Override
        public java.util.Optional<String> peerHost() {
            return java.util.Optional.ofNullable(peerHost);
        }
    }

    /** No answer within the answer timeout. */
    public static final class Timeout extends PeerException implements MayHaveArrived {
        private static final long serialVersionUID = 1L;
        private final String peerHost;

        public Timeout(String why, String peerHost) {
            super(why);
            this.peerHost = peerHost;
        }

        @Override
        public java.util.Optional<String> peerHost() {
            return java.util.Optional.ofNullable(peerHost);
        }
    }

    /**
     * A request that left and got no answer: the peer may have taken it. {@link #peerHost}: that peer's Origin-Host
     * (from its CEA), where a request about the same session must go (RFC 6733 §6.1), when known.
     */
    public interface MayHaveArrived {
        java.util.Optional<String> peerHost();
    }
}
