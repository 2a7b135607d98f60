package org.webims.gateway.it.wwsf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * SIPp scenarios of the IMS phones the softphone calls, written to {@code target/wwsf-scenarios/} for
 * {@link org.webims.gateway.it.peers.Sipp#scenario(String)}. The shared ones (uas-answer.xml, uas-busy.xml,
 * uac-call.xml) are used as they are; these add what the softphone tests need beyond them.
 */
final class PhoneScenarios {

    private PhoneScenarios() {}

    /** The SDP answer of a PCMU phone; {@code @@PORT@@} and {@code @@TE@@} (telephone-event payload type) filled in. */
    private static final String SDP = """
            v=0
            o=phone 53655765 2353687637 IN IP[local_ip_type] [local_ip]
            s=-
            c=IN IP[media_ip_type] [media_ip]
            t=0 0
            m=audio @@PORT@@ RTP/AVP 0 @@TE@@
            a=rtpmap:0 PCMU/8000
            a=rtpmap:@@TE@@ telephone-event/8000
            a=fmtp:@@TE@@ 0-15
            a=@@DIRECTION@@
            """;

    private static final String OK_BYE = """
              <recv request="BYE"><action><log message="BYE"/></action></recv>
              <send>
                <![CDATA[

                  SIP/2.0 200 OK
                  [last_Via:]
                  [last_From:]
                  [last_To:]
                  [last_Call-ID:]
                  [last_CSeq:]
                  Content-Length: 0

                ]]>
              </send>
            """;

    private static String sdp(String port, String direction) {
        return SDP.replace("@@PORT@@", port).replace("@@TE@@", "[$te]").replace("@@DIRECTION@@", direction).strip()
                .replace("\n", "\n      ");
    }

    private static String answer(String status, String port, String direction, boolean dialogStart) {
        String to = dialogStart ? "[last_To:];tag=[pid]SIPpTag01[call_number]" : "[last_To:]";
        return """
                  <send retrans="500">
                    <![CDATA[

                      SIP/2.0 @@STATUS@@
                      [last_Via:]
                      [last_From:]
                      @@TO@@
                      [last_Call-ID:]
                      [last_CSeq:]
                      [last_Record-Route:]
                      Contact: <sip:uas@[local_ip]:[local_port];transport=[transport]>
                      Content-Type: application/sdp
                      Content-Length: [len]

                      @@SDP@@
                    ]]>
                  </send>
                """.replace("@@STATUS@@", status).replace("@@TO@@", to).replace("@@SDP@@", sdp(port, direction));
    }

    /** Copies the payload type the offer gave telephone-event/8000 into [$te] (101 when there is none). */
    private static final String TE_FROM_OFFER = """
            <ereg regexp="a=rtpmap:([0-9]+) telephone-event/8000" search_in="body" check_it="false" assign_to="te_line,te"/>
            <log message="offered telephone-event pt [$te] ([$te_line])"/>
            """;

    /**
     * A PCMU phone that rings (180 without SDP, so the caller makes its own ringback) for a second, answers with its
     * media at {@code -key rtp_port N} (a {@link RtpEchoPeer}), is held and resumed by the caller (logging each
     * offer's direction), and waits for the caller's BYE. DTMF travels in the media (RFC 4733), so the scenario sees
     * none of it: the RTP peer does.
     */
    static Path heldPhoneWithExternalMedia() {
        String xml = """
                <?xml version="1.0" encoding="ISO-8859-1" ?>
                <!DOCTYPE scenario SYSTEM "sipp.dtd">
                <scenario name="UAS rings, answers, is held and resumed; media at [rtp_port]">
                  <recv request="INVITE" crlf="true">
                    <action>@@TE@@</action>
                  </recv>
                  <send>
                    <![CDATA[

                      SIP/2.0 180 Ringing
                      [last_Via:]
                      [last_From:]
                      [last_To:];tag=[pid]SIPpTag01[call_number]
                      [last_Call-ID:]
                      [last_CSeq:]
                      [last_Record-Route:]
                      Contact: <sip:uas@[local_ip]:[local_port];transport=[transport]>
                      Content-Length: 0

                    ]]>
                  </send>
                  <pause milliseconds="1500"/>
                @@ANSWER@@
                  <recv request="ACK" crlf="true"><action><log message="ACK"/></action></recv>
                  <recv request="INVITE">
                    <action><ereg regexp="a=(sendonly|inactive|sendrecv|recvonly)" search_in="body" assign_to="d1,dir1"/>
                      <log message="HOLD offer [$dir1] ([$d1])"/></action>
                  </recv>
                @@HOLD@@
                  <recv request="ACK"/>
                  <recv request="INVITE">
                    <action><ereg regexp="a=(sendonly|inactive|sendrecv|recvonly)" search_in="body" assign_to="d2,dir2"/>
                      <log message="RESUME offer [$dir2] ([$d2])"/></action>
                  </recv>
                @@RESUME@@
                  <recv request="ACK"/>
                @@BYE@@
                </scenario>
                """.replace("@@TE@@", TE_FROM_OFFER.strip())
                .replace("@@ANSWER@@", answer("200 OK", "[rtp_port]", "sendrecv", true))
                .replace("@@HOLD@@", answer("200 OK", "[rtp_port]", "recvonly", false))
                .replace("@@RESUME@@", answer("200 OK", "[rtp_port]", "sendrecv", false))
                .replace("@@BYE@@", OK_BYE);
        return write("wwsf-uas-held.xml", xml);
    }

    /**
     * A network that plays early media (RFC 3960: 183 with SDP, unreliable) for three seconds, then answers; run
     * with {@code -rtp_echo} so the caller hears its own audio back before the answer.
     */
    static Path earlyMediaPhone() {
        String xml = """
                <?xml version="1.0" encoding="ISO-8859-1" ?>
                <!DOCTYPE scenario SYSTEM "sipp.dtd">
                <scenario name="UAS early media, then answer">
                  <recv request="INVITE" crlf="true">
                    <action>@@TE@@</action>
                  </recv>
                @@EARLY@@
                  <pause milliseconds="3000"/>
                @@ANSWER@@
                  <recv request="ACK" crlf="true"><action><log message="ACK"/></action></recv>
                @@BYE@@
                </scenario>
                """.replace("@@TE@@", TE_FROM_OFFER.strip())
                .replace("@@EARLY@@", answer("183 Session Progress", "[media_port]", "sendrecv", true)
                        .replace("<send retrans=\"500\">", "<send>"))
                .replace("@@ANSWER@@", answer("200 OK", "[media_port]", "sendrecv", true))
                .replace("@@BYE@@", OK_BYE);
        return write("wwsf-uas-early-media.xml", xml);
    }

    /**
     * A phone that answers, then takes a blind transfer (RFC 3515): it logs the REFER's Refer-To, accepts it (202),
     * reports the new call with NOTIFYs (100 Trying, then 200 OK, terminating the subscription; {@code id} = the
     * REFER's CSeq, RFC 3515 §2.4.6) and waits for the transferor's BYE. The transferor's 200 to the last NOTIFY and
     * its BYE may come in either order (they can travel on different transports, UDP and TCP), so both are accepted.
     * Run with {@code -rtp_echo}.
     */
    static Path transfereePhone() {
        String xml = """
                <?xml version="1.0" encoding="ISO-8859-1" ?>
                <!DOCTYPE scenario SYSTEM "sipp.dtd">
                <scenario name="UAS transferred by the caller">
                  <recv request="INVITE" crlf="true" rrs="true">
                    <action>
                      @@TE@@
                      <ereg regexp=".*" search_in="hdr" header="From:" assign_to="caller"/>
                      <ereg regexp=".*" search_in="hdr" header="To:" assign_to="callee"/>
                    </action>
                  </recv>
                @@ANSWER@@
                  <recv request="ACK" crlf="true"><action><log message="ACK"/></action></recv>
                  <recv request="REFER">
                    <action>
                      <ereg regexp=".*" search_in="hdr" header="Refer-To:" assign_to="referto"/>
                      <ereg regexp="([0-9]+)" search_in="hdr" header="CSeq:" assign_to="cs_all,cs"/>
                      <log message="REFER to [$referto] cseq [$cs] ([$cs_all])"/>
                    </action>
                  </recv>
                  <send>
                    <![CDATA[

                      SIP/2.0 202 Accepted
                      [last_Via:]
                      [last_From:]
                      [last_To:]
                      [last_Call-ID:]
                      [last_CSeq:]
                      Contact: <sip:uas@[local_ip]:[local_port];transport=[transport]>
                      Content-Length: 0

                    ]]>
                  </send>
                @@NOTIFY_TRYING@@
                  <recv response="200"><action><log message="NOTIFY 100 answered"/></action></recv>
                  <pause milliseconds="300"/>
                @@NOTIFY_OK@@
                  <recv response="200" optional="true" next="notified">
                    <action><log message="NOTIFY 200 answered"/></action>
                  </recv>
                @@BYE@@
                  <recv response="200" next="done"><action><log message="NOTIFY 200 answered"/></action></recv>
                  <label id="notified"/>
                @@BYE@@
                  <label id="done"/>
                </scenario>
                """.replace("@@TE@@", TE_FROM_OFFER.strip())
                .replace("@@ANSWER@@", answer("200 OK", "[media_port]", "sendrecv", true))
                .replace("@@NOTIFY_TRYING@@", notify(1, "active;expires=60", "SIP/2.0 100 Trying"))
                .replace("@@NOTIFY_OK@@", notify(2, "terminated;reason=noresource", "SIP/2.0 200 OK"))
                .replace("@@BYE@@", OK_BYE);
        return write("wwsf-uas-transferee.xml", xml);
    }

    private static String notify(int cseq, String subscriptionState, String sipfrag) {
        return """
                  <send retrans="500">
                    <![CDATA[

                      NOTIFY [next_url] SIP/2.0
                      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
                      [routes]
                      From: [$callee];tag=[pid]SIPpTag01[call_number]
                      To: [$caller]
                      [last_Call-ID:]
                      CSeq: @@CSEQ@@ NOTIFY
                      Max-Forwards: 70
                      Contact: <sip:uas@[local_ip]:[local_port];transport=[transport]>
                      Event: refer;id=[$cs]
                      Subscription-State: @@STATE@@
                      Content-Type: message/sipfrag;version=2.0
                      Content-Length: [len]

                      @@FRAG@@
                    ]]>
                  </send>
                """.replace("@@CSEQ@@", Integer.toString(cseq)).replace("@@STATE@@", subscriptionState)
                .replace("@@FRAG@@", sipfrag);
    }

    private static Path write(String name, String xml) {
        try {
            Path dir = Files.createDirectories(Path.of("target", "wwsf-scenarios"));
            Path file = dir.resolve(name).toAbsolutePath();
            Files.writeString(file, xml, StandardCharsets.ISO_8859_1);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
