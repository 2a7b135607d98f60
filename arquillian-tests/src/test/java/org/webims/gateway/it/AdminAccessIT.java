package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.support.HttpProbe;
import org.webims.gateway.it.support.HttpProbe.Answer;

/**
 * The admin API (issue 9, findings 3 and 4): only over TLS, refused on plain HTTP before any authentication
 * challenge; wrong passwords throttle their source address, never the account, so a stranger cannot lock the
 * operator out. Each test uses source addresses of its own (127.0.0.0/8 is all on lo in the tests' namespace), so a
 * throttled address never disturbs the other tests, which call the API from 127.0.0.1.
 */
class AdminAccessIT extends GatewayTestBase {

    @Test
    void theAdminApiOnPlainHttpIsRefusedBeforeAnyChallenge() throws Exception {
        for (String path : List.of("/api/calls", "/api/registrations", "/api/anything-added-later")) {
            Answer refused = HttpProbe.plain("127.0.0.1", path, null);
            assertEquals(403, refused.status(), path + ": " + refused);
            assertTrue(refused.header("WWW-Authenticate").isEmpty(),
                    path + ": no challenge, so a browser never sends the password in clear: " + refused);
            assertTrue(refused.body().contains("https"), "the answer says to use https: " + refused.body());
        }
        Answer withCredentials = HttpProbe.plain("127.0.0.1", "/api/calls", HttpProbe.adminCredentials());
        assertEquals(403, withCredentials.status(), "credentials sent in clear anyway are not checked");
        assertEquals(401, HttpProbe.tls("127.0.0.1", "/api/calls", null).status(), "https asks for credentials");
        assertEquals(200, HttpProbe.tls("127.0.0.1", "/api/calls", HttpProbe.adminCredentials()).status());
        assertEquals(200, HttpProbe.plain("127.0.0.1", "/", null).status(), "the pages stay on plain HTTP");
    }

    @Test
    void wrongPasswordsThrottleTheirSourceAndNeverLockTheOperatorOut() throws Exception {
        String guesser = "127.0.0.3";
        String operator = "127.0.0.2";
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            statuses.add(HttpProbe.tls(guesser, "/api/calls", HttpProbe.basic("admin", "guess-" + i)).status());
        }
        Answer fromOperator = HttpProbe.tls(operator, "/api/calls", HttpProbe.adminCredentials());
        assertEquals(200, fromOperator.status(), "the right password from another address still works (no "
                + "account lock-out): " + fromOperator);

        assertTrue(statuses.stream().allMatch(s -> s == 401 || s == 429), "wrong passwords: " + statuses);
        assertEquals(429, statuses.get(statuses.size() - 1), "the guessing source is throttled: " + statuses);

        Answer throttled = HttpProbe.tls(guesser, "/api/calls", HttpProbe.adminCredentials());
        assertEquals(429, throttled.status(), "refused before any credential check, even the right one");
        int retryAfter = Integer.parseInt(throttled.header("Retry-After").orElseThrow());
        assertTrue(retryAfter > 0, "Retry-After in seconds: " + retryAfter);
        assertFalse(throttled.header("WWW-Authenticate").isPresent(), "no challenge while throttled");
    }

    @Test
    void guessesSpreadOverManySourcesNeverLockTheAccount() throws Exception {
        // three sources, each under the per-source limit: 12 wrong passwords for the one account, more than the
        // 10 after which the server's own realm protection would lock it
        for (String guesser : List.of("127.0.0.11", "127.0.0.12", "127.0.0.13")) {
            for (int i = 0; i < 4; i++) {
                assertEquals(401, HttpProbe.tls(guesser, "/api/calls", HttpProbe.basic("admin", "guess-" + i))
                        .status(), guesser + " is under its limit");
            }
        }
        Answer fromOperator = HttpProbe.tls("127.0.0.4", "/api/calls", HttpProbe.adminCredentials());
        assertEquals(200, fromOperator.status(), "the account is not locked: " + fromOperator);
    }
}
