package org.webims.gateway.web.api;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.util.List;
import java.util.Map;

/** A service's status map (numbers, strings, lists of peers as string maps) as a JSON object. */
public final class StatusJson {
    private StatusJson() {
    }

    public static JsonObjectBuilder of(Map<String, Object> status) {
        JsonObjectBuilder body = Json.createObjectBuilder();
        for (Map.Entry<String, Object> entry : status.entrySet()) {
            Object value = entry.getValue();
            if (value instanceof Number n) {
                body.add(entry.getKey(), n.longValue());
            } else if (value instanceof List<?> peers) {
                JsonArrayBuilder array = Json.createArrayBuilder();
                peers.forEach(p -> {
                    JsonObjectBuilder peer = Json.createObjectBuilder();
                    ((Map<?, ?>) p).forEach((k, v) -> peer.add(k.toString(), v.toString()));
                    array.add(peer);
                });
                body.add(entry.getKey(), array);
            } else {
                body.add(entry.getKey(), String.valueOf(value));
            }
        }
        return body;
    }
}
