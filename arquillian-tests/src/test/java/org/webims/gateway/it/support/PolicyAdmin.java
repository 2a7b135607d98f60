package org.webims.gateway.it.support;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The policy layers of {@code /api/policy} as black-box tests set them: each PUT is remembered and undone by
 * {@link #clear()} (every test leaves the gateway unrestricted for the next).
 */
public final class PolicyAdmin {
    private final AdminApi api = new AdminApi();
    private final List<String> set = new ArrayList<>();

    /** {@code PUT /api/policy/default}. */
    public JsonObject putDefault(String json) throws Exception {
        return put("default", json);
    }

    public JsonObject putSubscriber(String impu, String json) throws Exception {
        return put("subscribers/" + encode(impu), json);
    }

    public JsonObject putProvider(String id, String json) throws Exception {
        return put("providers/" + encode(id), json);
    }

    public JsonObject putNetwork(String name, String json) throws Exception {
        return put("networks/" + encode(name), json);
    }

    /** A PUT that must succeed (200 or 201); the stored entry. */
    public JsonObject put(String path, String json) throws Exception {
        HttpResponse<String> response = send("PUT", path, json);
        if (response.statusCode() != 200 && response.statusCode() != 201) {
            throw new AssertionError("PUT /api/policy/" + path + ": " + response.statusCode() + " " + response.body());
        }
        if (!set.contains(path)) {
            set.add(path);
        }
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    /** Deletes every layer this object set (the default included); a missing one is not an error. */
    public void clear() throws Exception {
        for (String path : set) {
            HttpResponse<String> response = send("DELETE", path, null);
            if (response.statusCode() != 204 && response.statusCode() != 404) {
                throw new AssertionError("DELETE /api/policy/" + path + ": " + response.statusCode());
            }
        }
        set.clear();
    }

    public HttpResponse<String> send(String method, String path, String json) throws Exception {
        return api.send(method, "policy/" + path, json);
    }

    public static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
