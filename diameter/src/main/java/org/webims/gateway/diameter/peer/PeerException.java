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
    public static final class ConnectionLost extends PeerException {
        private static final long serialVersionUID = 1L;

        ConnectionLost(String why) {
            super(why);
        }
    }

    /** No answer within the answer timeout. */
    public static final class Timeout extends PeerException {
        private static final long serialVersionUID = 1L;

        public Timeout(String why) {
            super(why);
        }
    }
}
