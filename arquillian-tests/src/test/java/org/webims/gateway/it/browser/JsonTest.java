package org.webims.gateway.it.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void roundTripsWhatTheDriverProtocolCarries() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("id", 7L);
        request.put("op", "eval");
        request.put("args", Arrays.asList("sip:bob@ims.example.test", Map.of("video", false), null, 1.5));
        request.put("text", "quote \" backslash \\ newline \n tab \t é \u0001");
        String text = Json.write(request);
        assertEquals(request, Json.parse(text));
    }

    @Test
    void parsesRepliesIntoNavigableValues() {
        JsonLike reply = JsonLike.parse(
                "{\"id\":2,\"ok\":false,\"error\":\"registration failed\","
                        + "\"data\":{\"status\":403,\"cause\":\"Rejected\"},"
                        + "\"console\":[\"a\",\"b\"],\"frequency\":439.9,\"none\":null}");
        assertEquals(2, reply.get("id").asInt());
        assertEquals(403, reply.get("data").get("status").asInt());
        assertEquals("Rejected", reply.get("data").get("cause").asString());
        assertEquals(List.of("a", "b"), reply.get("console").asList().stream().map(JsonLike::asString).toList());
        assertEquals(439.9, reply.get("frequency").asDouble(), 1e-9);
        assertTrue(reply.get("none").isNull());
        assertTrue(reply.get("missing").get("deeper").get(3).isNull());
        assertThrows(IllegalStateException.class, () -> reply.get("data").asString());
    }

    @Test
    void numbersAndEscapes() {
        assertEquals(List.of(-1L, 12345678901L, 2.5e-3, 1.0e30), Json.parse("[-1, 12345678901, 2.5e-3, 1e30]"));
        assertEquals("A\u00e9/", Json.parse("\"\\u0041\\u00e9\\/\""));
        assertEquals("[5,0.25]", Json.write(List.of(5.0, 0.25)));
    }

    @Test
    void rejectsWhatIsNotJson() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{} x"));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }
}
