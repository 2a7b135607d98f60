package org.webims.gateway.ejb.charging.ro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.webims.gateway.diameter.codec.AvpCode;
import org.webims.gateway.diameter.codec.DiameterMessage;
import org.webims.gateway.diameter.codec.MessageCodec;
import org.webims.gateway.ejb.charging.CreditAnswer;
import org.webims.gateway.ejb.charging.FailureHandling;

/**
 * Answers of the Erlang/OTP diameter OCS (deployment/charging/credit_peer.escript), captured byte for byte from the
 * wire, decoded without any peer running: its CEA, a CCA granting the last 10 s (Multiple-Services-Credit-Control with
 * Granted-Service-Unit, Result-Code and Final-Unit-Indication; Credit-Control-Failure-Handling RETRY_AND_TERMINATE), a
 * CCA refusing an unknown subscriber (5030), and the answer-message of a busy OCS (E bit, 3004).
 */
class CapturedAnswersTest {
    private static final HexFormat HEX = HexFormat.of();

    static final String CEA = "01000094000001010000000000000001000000010000010c4000000c000007d1000001084000001e6f63732d33333030" +
            "312e746573742e6578616d706c6500000000012840000014746573742e6578616d706c65000001014000000e00017f00" +
            "000100000000010a4000000c000000000000010d00000017776562696d732d746573742d6f637300000001024000000c" +
            "00000004";
    static final String CCA_GRANT = "010000d440000110000000040000000200000007000001074000001367772e746573743b313b31000000010c4000000c" +
            "000007d1000001084000001e6f63732d33333030312e746573742e6578616d706c650000000001284000001474657374" +
            "2e6578616d706c65000001024000000c00000004000001a04000000c000000010000019f4000000c00000000000001ab" +
            "4000000c00000002000001c84000003c000001af40000014000001a44000000c0000000a0000010c4000000c000007d1" +
            "000001ae40000014000001c14000000c00000000";
    static final String CCA_UNKNOWN = "010000ac40000110000000040000000300000008000001074000001367772e746573743b313b32000000010c4000000c" +
            "000013a6000001084000001e6f63732d33333030312e746573742e6578616d706c650000000001284000001474657374" +
            "2e6578616d706c65000001024000000c00000004000001a04000000c000000010000019f4000000c00000000000001ab" +
            "4000000c00000002000001c8400000140000010c4000000c000013a6";
    static final String BUSY = "0100006860000110000000040000000400000009000001074000001367772e746573743b313b3300000001084000001e" +
            "6f63732d33333030312e746573742e6578616d706c6500000000012840000014746573742e6578616d706c650000010c" +
            "4000000c00000bbc";

    @Test
    void theCapabilitiesExchangeAnswer() throws Exception {
        DiameterMessage cea = MessageCodec.decode(HEX.parseHex(CEA));
        assertEquals(DiameterMessage.CAPABILITIES_EXCHANGE, cea.commandCode());
        assertFalse(cea.request());
        assertEquals(2001, cea.first(AvpCode.RESULT_CODE).orElseThrow().unsigned32());
        assertTrue(cea.first(AvpCode.ORIGIN_HOST).orElseThrow().utf8().startsWith("ocs-"));
        assertEquals(InetAddress.getLoopbackAddress(), cea.first(AvpCode.HOST_IP_ADDRESS).orElseThrow().address());
        assertEquals(4, cea.first(AvpCode.AUTH_APPLICATION_ID).orElseThrow().unsigned32());
        assertEquals(HEX.parseHex(CEA).length, MessageCodec.encode(cea).length, "re-encoded to the same size");
    }

    @Test
    void aGrantOfTheLastUnits() throws Exception {
        DiameterMessage cca = MessageCodec.decode(HEX.parseHex(CCA_GRANT));
        assertEquals(DiameterMessage.CREDIT_CONTROL, cca.commandCode());
        assertEquals(2, cca.hopByHop());
        assertEquals(7, cca.endToEnd());
        CreditAnswer answer = CreditControlMessages.answer(cca);
        assertEquals(2001, answer.resultCode());
        assertEquals(10L, answer.grantedSeconds());
        assertTrue(answer.finalUnits());
        assertEquals(FailureHandling.RETRY_AND_TERMINATE, answer.failureHandling());
        assertNull(answer.validitySeconds());
    }

    @Test
    void anUnknownSubscriber() throws Exception {
        CreditAnswer answer = CreditControlMessages.answer(MessageCodec.decode(HEX.parseHex(CCA_UNKNOWN)));
        assertEquals(5030, answer.resultCode());
        assertFalse(answer.success());
        assertNull(answer.grantedSeconds());
    }

    @Test
    void aBusyOcsAnswersWithTheEBit() throws Exception {
        DiameterMessage busy = MessageCodec.decode(HEX.parseHex(BUSY));
        assertTrue(busy.error(), "RFC 6733 §7.1.3: protocol errors set the E bit");
        CreditAnswer answer = CreditControlMessages.answer(busy);
        assertEquals(3004, answer.resultCode());
        assertTrue(answer.protocolError());
    }
}
