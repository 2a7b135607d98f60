package org.webims.gateway.ejb.qos;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.webims.gateway.diameter.codec.Avp;
import org.webims.gateway.diameter.codec.AvpCode;
import org.webims.gateway.diameter.codec.DiameterMessage;
import org.webims.gateway.diameter.codec.MalformedMessage;
import org.webims.gateway.ejb.charging.rf.SubscriptionIds;
import org.webims.gateway.ports.call.CallFacts;
import org.webims.gateway.ports.qos.MediaComponent;

/**
 * The Rx messages of the AF (TS 29.214 §5.6): the AAR that authorises a call's media (initial, then updates), the
 * STR that ends it, and the reading of their answers.
 */
public final class RxMessages {
    /** TS 29.214 §5.6: the Rx application and its commands. */
    public static final long RX_APPLICATION = 16777236;
    public static final int AA = 265;
    public static final int SESSION_TERMINATION = 275;
    public static final int ABORT_SESSION = 274;
    public static final int RE_AUTH = 258;
    /** §5.3.17 Specific-Action values the AF subscribes to. */
    public static final int INDICATION_OF_LOSS_OF_BEARER = 2;
    public static final int INDICATION_OF_RELEASE_OF_BEARER = 4;
    private static final int INITIAL_REQUEST = 0; // §5.3.50 Rx-Request-Type
    private static final int UPDATE_REQUEST = 1;
    private static final int DIAMETER_LOGOUT = 1; // RFC 6733 §8.15 Termination-Cause
    private static final int FLOW_USAGE_RTCP = 1; // §5.3.12
    private static final int UDP = 17;

    private final String originHost;
    private final String originRealm;
    private final String destinationRealm;

    public RxMessages(String originHost, String originRealm, String destinationRealm) {
        this.originHost = originHost;
        this.originRealm = originRealm;
        this.destinationRealm = destinationRealm;
    }

    /**
     * TS 29.214 §4.4.1: the service information of the call's WebRTC leg, the ICID as AF-Charging-Identifier
     * (§5.3.5, for the correlation of charging), and the bearer events the AF must hear of.
     */
    public DiameterMessage aar(String sessionId, boolean initial, CallFacts call, String clientAddress,
            List<MediaComponent> media, int endToEnd) {
        List<Avp> avps = new ArrayList<>(header(sessionId));
        avps.add(Avp.integer32(AvpCode.RX_REQUEST_TYPE, initial ? INITIAL_REQUEST : UPDATE_REQUEST));
        for (MediaComponent component : media) {
            avps.add(mediaComponent(component));
        }
        if (initial) {
            avps.add(Avp.octets(AvpCode.AF_CHARGING_IDENTIFIER, call.icid().getBytes(StandardCharsets.UTF_8)));
            avps.add(Avp.integer32(AvpCode.SPECIFIC_ACTION, INDICATION_OF_LOSS_OF_BEARER));
            avps.add(Avp.integer32(AvpCode.SPECIFIC_ACTION, INDICATION_OF_RELEASE_OF_BEARER));
            avps.add(SubscriptionIds.of(call.subscriber()));
            framedIp(clientAddress).ifPresent(avps::add); // §4.4.1: binds to the client's IP-CAN session
        }
        return request(AA, avps, endToEnd);
    }

    /** TS 29.214 §4.4.4: the session ends with the call. */
    public DiameterMessage str(String sessionId, int endToEnd) {
        List<Avp> avps = new ArrayList<>(header(sessionId));
        avps.add(Avp.integer32(AvpCode.TERMINATION_CAUSE, DIAMETER_LOGOUT));
        return request(SESSION_TERMINATION, avps, endToEnd);
    }

    private List<Avp> header(String sessionId) {
        return List.of(Avp.utf8(AvpCode.SESSION_ID, sessionId),
                Avp.unsigned32(AvpCode.AUTH_APPLICATION_ID, RX_APPLICATION),
                Avp.utf8(AvpCode.ORIGIN_HOST, originHost),
                Avp.utf8(AvpCode.ORIGIN_REALM, originRealm),
                Avp.utf8(AvpCode.DESTINATION_REALM, destinationRealm));
    }

    private static DiameterMessage request(int command, List<Avp> avps, int endToEnd) {
        return new DiameterMessage(command, true, true, false, false, RX_APPLICATION, 0, endToEnd, avps);
    }

    /** §5.3.7 Media-Component-Description: one sub-component for RTP, one for RTCP unless multiplexed. */
    static Avp mediaComponent(MediaComponent m) {
        List<Avp> members = new ArrayList<>();
        members.add(Avp.unsigned32(AvpCode.MEDIA_COMPONENT_NUMBER, m.number()));
        members.add(subComponent(1, m.client(), m.gateway(), false));
        if (!m.rtcpMux() && m.direction() != MediaComponent.Direction.REMOVED) {
            members.add(subComponent(2, plusOne(m.client()), plusOne(m.gateway()), true));
        }
        members.add(Avp.integer32(AvpCode.MEDIA_TYPE, mediaType(m.kind())));
        members.add(Avp.unsigned32(AvpCode.MAX_REQUESTED_BANDWIDTH_UL, m.uplinkBps()));
        members.add(Avp.unsigned32(AvpCode.MAX_REQUESTED_BANDWIDTH_DL, m.downlinkBps()));
        members.add(Avp.integer32(AvpCode.FLOW_STATUS, flowStatus(m.direction())));
        // §5.3.7 Codec-Data: "uplink" for the SDP from the UE, "downlink" for the SDP to it; then offer or answer
        if (m.clientLines() != null) {
            members.add(codecData("uplink", m.clientOffered() ? "offer" : "answer", m.clientLines()));
        }
        if (m.gatewayLines() != null) {
            members.add(codecData("downlink", m.clientOffered() ? "answer" : "offer", m.gatewayLines()));
        }
        return Avp.grouped(AvpCode.MEDIA_COMPONENT_DESCRIPTION, members);
    }

    private static Avp subComponent(int flowNumber, MediaComponent.Endpoint client, MediaComponent.Endpoint gateway,
            boolean rtcp) {
        List<Avp> members = new ArrayList<>();
        members.add(Avp.unsigned32(AvpCode.FLOW_NUMBER, flowNumber));
        for (String description : flowDescriptions(client, gateway)) {
            members.add(Avp.octets(AvpCode.FLOW_DESCRIPTION, description.getBytes(StandardCharsets.US_ASCII)));
        }
        if (rtcp) {
            members.add(Avp.integer32(AvpCode.FLOW_USAGE, FLOW_USAGE_RTCP));
        }
        return Avp.grouped(AvpCode.MEDIA_SUB_COMPONENT, members);
    }

    /**
     * TS 29.214 §5.4.2: IPFilterRules (RFC 6733 §4.3) with "out" for the downlink, toward the client, and "in" for
     * the uplink; an address not known yet is "any" with no port.
     */
    static List<String> flowDescriptions(MediaComponent.Endpoint client, MediaComponent.Endpoint gateway) {
        String ue = endpoint(client);
        String agw = endpoint(gateway);
        return List.of("permit out " + UDP + " from " + agw + " to " + ue,
                "permit in " + UDP + " from " + ue + " to " + agw);
    }

    private static String endpoint(MediaComponent.Endpoint e) {
        return e.address() == null ? "any" : e.address() + (e.port() > 0 ? " " + e.port() : "");
    }

    private static MediaComponent.Endpoint plusOne(MediaComponent.Endpoint e) {
        return e.port() > 0 ? new MediaComponent.Endpoint(e.address(), e.port() + 1) : e;
    }

    private static Avp codecData(String direction, String role, String lines) {
        String text = direction + "\n" + role + "\n" + lines.strip();
        return Avp.octets(AvpCode.CODEC_DATA, text.getBytes(StandardCharsets.UTF_8));
    }

    /** §5.3.11 Flow-Status from the client's direction. */
    static int flowStatus(MediaComponent.Direction direction) {
        return switch (direction) {
            case SENDONLY -> 0; // ENABLED-UPLINK
            case RECVONLY -> 1; // ENABLED-DOWNLINK
            case SENDRECV -> 2; // ENABLED
            case INACTIVE -> 3; // DISABLED
            case REMOVED -> 4; // REMOVED
        };
    }

    /** §5.3.19 Media-Type. */
    static int mediaType(String kind) {
        return switch (kind) {
            case "audio" -> 0;
            case "video" -> 1;
            case "data" -> 2;
            case "application" -> 3;
            case "control" -> 4;
            case "text" -> 5;
            case "message" -> 6;
            default -> (int) 0xFFFF_FFFFL; // OTHER
        };
    }

    private static java.util.Optional<Avp> framedIp(String address) {
        if (address == null) {
            return java.util.Optional.empty();
        }
        try {
            InetAddress ip = InetAddress.getByName(address); // a literal: no lookup
            byte[] bytes = ip.getAddress();
            if (bytes.length == 4) {
                return java.util.Optional.of(Avp.octets(AvpCode.FRAMED_IP_ADDRESS, bytes));
            }
            // TS 29.214 §5.3: an IPv6 client is bound by Framed-IPv6-Prefix; its one address is a /128 (RFC 3162 §2.3)
            byte[] prefix = new byte[2 + bytes.length];
            prefix[1] = (byte) 128;
            System.arraycopy(bytes, 0, prefix, 2, bytes.length);
            return java.util.Optional.of(Avp.octets(AvpCode.FRAMED_IPV6_PREFIX, prefix));
        } catch (UnknownHostException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * An answer's outcome: its Result-Code, else the Experimental-Result-Code (§5.5: Rx's own errors, e.g. 5063
     * REQUESTED_SERVICE_NOT_AUTHORIZED); empty when it has neither.
     */
    public static OptionalLong result(DiameterMessage answer) {
        try {
            var code = answer.first(AvpCode.RESULT_CODE);
            if (code.isPresent()) {
                return OptionalLong.of(code.get().unsigned32());
            }
            var experimental = answer.first(AvpCode.EXPERIMENTAL_RESULT);
            if (experimental.isPresent()) {
                for (Avp member : experimental.get().members()) {
                    if (member.is(AvpCode.EXPERIMENTAL_RESULT_CODE)) {
                        return OptionalLong.of(member.unsigned32());
                    }
                }
            }
        } catch (MalformedMessage e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}
