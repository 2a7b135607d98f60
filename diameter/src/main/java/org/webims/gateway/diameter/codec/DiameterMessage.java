package org.webims.gateway.diameter.codec;

import java.util.List;
import java.util.Optional;

/**
 * A Diameter message (RFC 6733 §3): command code, the R(equest), P(roxiable), E(rror) and T (potentially
 * retransmitted) flags, Application-ID, Hop-by-Hop and End-to-End identifiers, and its AVPs in order. Immutable.
 */
public record DiameterMessage(int commandCode, boolean request, boolean proxiable, boolean error,
        boolean retransmitted, long applicationId, int hopByHop, int endToEnd, List<Avp> avps) {

    /** RFC 6733 §3.1 / §5.3, §5.5, §5.4: the base protocol's commands. */
    public static final int CAPABILITIES_EXCHANGE = 257;
    public static final int DEVICE_WATCHDOG = 280;
    public static final int DISCONNECT_PEER = 282;
    /** RFC 6733 §9.7: accounting (Rf); RFC 4006 §3: credit control (Ro). */
    public static final int ACCOUNTING = 271;
    public static final int CREDIT_CONTROL = 272;

    public DiameterMessage {
        if (commandCode < 0 || commandCode > 0xFF_FFFF) {
            throw new IllegalArgumentException("a command code has 24 bits: " + commandCode);
        }
        if (applicationId < 0 || applicationId > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("an Application-ID is an Unsigned32: " + applicationId);
        }
        if (request && error) {
            throw new IllegalArgumentException("RFC 6733 §3: the E bit is never set in a request");
        }
        avps = List.copyOf(avps);
    }

    /** The first AVP of that code, if any. */
    public Optional<Avp> first(AvpCode code) {
        return avps.stream().filter(a -> a.is(code)).findFirst();
    }

    /** The same message with the T flag set: a request sent again after a failover or a restart (RFC 6733 §5.5.4). */
    public DiameterMessage retransmission() {
        return new DiameterMessage(commandCode, request, proxiable, error, true, applicationId, hopByHop, endToEnd,
                avps);
    }

    /** The same request with a new Hop-by-Hop identifier (each hop, each sending, has its own: RFC 6733 §3). */
    public DiameterMessage withHopByHop(int id) {
        return new DiameterMessage(commandCode, request, proxiable, error, retransmitted, applicationId, id, endToEnd,
                avps);
    }

    /** The same request addressed to one server (RFC 6733 §6.1: a session's later requests go where it lives). */
    public DiameterMessage toHost(String host) {
        List<Avp> addressed = new java.util.ArrayList<>(avps.size() + 1);
        avps.stream().filter(a -> !a.is(AvpCode.DESTINATION_HOST)).forEach(addressed::add);
        addressed.add(Avp.utf8(AvpCode.DESTINATION_HOST, host));
        return new DiameterMessage(commandCode, request, proxiable, error, retransmitted, applicationId, hopByHop,
                endToEnd, addressed);
    }

    /** The same request without a Destination-Host: for any server of the realm (a failover, RFC 6733 §6.1.8). */
    public DiameterMessage toAnyHost() {
        if (first(AvpCode.DESTINATION_HOST).isEmpty()) {
            return this;
        }
        return new DiameterMessage(commandCode, request, proxiable, error, retransmitted, applicationId, hopByHop,
                endToEnd, avps.stream().filter(a -> !a.is(AvpCode.DESTINATION_HOST)).toList());
    }

    /** The Origin-Host of the sender (of an answer: the server that holds the session), if readable. */
    public Optional<String> originHost() {
        return first(AvpCode.ORIGIN_HOST).map(Avp::utf8);
    }

    @Override
    public String toString() { // never the AVPs' contents: they carry subscribers' identities
        return "DiameterMessage[" + commandCode + (request ? " request" : " answer") + ", app " + applicationId
                + ", hbh " + Integer.toUnsignedString(hopByHop) + ", e2e " + Integer.toUnsignedString(endToEnd) + ", "
                + avps.size() + " AVPs]";
    }
}
