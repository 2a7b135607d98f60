package org.webims.gateway.sip.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class FlowTokensTest {
    private final FlowTokens tokens = new FlowTokens("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void aTokenNamesTheFlowItWasMadeFor() {
        String token = tokens.encode(new FlowId(42));
        assertEquals(Optional.of(new FlowId(42)), tokens.decode(token));
        assertTrue(token.matches("[A-Za-z0-9_-]+"), "usable as a SIP URI user part: " + token);
    }

    @Test
    void aTamperedTokenIsRefused() {
        String token = tokens.encode(new FlowId(42));
        char last = token.charAt(token.length() - 1);
        String tampered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
        assertEquals(Optional.empty(), tokens.decode(tampered));
    }

    @Test
    void aTokenOfAnotherGatewayIsRefused() {
        FlowTokens other = new FlowTokens("fedcba9876543210fedcba9876543210".getBytes());
        assertEquals(Optional.empty(), tokens.decode(other.encode(new FlowId(42))));
    }

    @Test
    void garbageIsRefused() {
        assertEquals(Optional.empty(), tokens.decode("not-a-token"));
        assertEquals(Optional.empty(), tokens.decode("%%%"));
        assertEquals(Optional.empty(), tokens.decode(""));
        assertEquals(Optional.empty(), tokens.decode(null));
    }
}
