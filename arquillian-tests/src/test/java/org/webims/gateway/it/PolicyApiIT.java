package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.webims.gateway.it.support.PolicyAdmin;

/**
 * {@code /api/policy} as an operator's tools use it: the four layers, the effective policy with the layer behind
 * each part, the audit trail, and a 400 naming the field for every kind of bad input.
 */
class PolicyApiIT extends GatewayTestBase {
    private static final String ALICE = "sip:alice@ims.example.test";
    private final PolicyAdmin policy = new PolicyAdmin();

    @AfterEach
    void unrestricted() throws Exception {
        policy.clear();
    }

    private static JsonObject object(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    private static JsonArray array(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readArray();
    }

    private void assertBadField(String path, String body, String field) throws Exception {
        HttpResponse<String> response = policy.send("PUT", path, body);
        assertEquals(400, response.statusCode(), path + " " + body + ": " + response.body());
        JsonObject error = object(response);
        assertEquals(field, error.getString("field"), response.body());
        assertTrue(error.getString("error").contains(field), response.body());
    }

    @Test
    void eachLayerIsSetReadListedAndDeleted() throws Exception {
        HttpResponse<String> first = policy.send("PUT", "subscribers/" + PolicyAdmin.encode(ALICE),
                "{\"services\":[\"audio\"],\"maxCalls\":1,\"barred\":false}");
        assertEquals(201, first.statusCode(), "created: " + first.body());
        assertEquals(ALICE, object(first).getString("impu"));
        policy.putSubscriber(ALICE, "{\"services\":[\"audio\"],\"maxCalls\":1,\"barred\":false}"); // remembered for clean-up
        HttpResponse<String> again = policy.send("PUT", "subscribers/" + PolicyAdmin.encode(ALICE),
                "{\"services\":[\"audio\",\"video\"]}");
        assertEquals(200, again.statusCode(), "a second PUT replaces: " + again.body());
        JsonObject read = object(policy.send("GET", "subscribers/" + PolicyAdmin.encode(ALICE), null));
        assertEquals(2, read.getJsonArray("services").size());
        assertFalse(read.containsKey("maxCalls"), "the whole entry was replaced: " + read);

        policy.putProvider("demo-shop", "{\"origins\":[\"https://shop.example\"],\"maxRegistrations\":5}");
        policy.putNetwork("lan", "{\"cidrs\":[\"10.0.0.0/8\"],\"qos\":true}");
        policy.putDefault("{\"barredDestinations\":[\"+1900\"]}");
        assertEquals("demo-shop", array(policy.send("GET", "providers", null)).getJsonObject(0).getString("id"));
        assertEquals("lan", array(policy.send("GET", "networks", null)).getJsonObject(0).getString("name"));
        assertEquals(1, array(policy.send("GET", "subscribers?prefix=sip:alice", null)).size());
        assertEquals("+1900", object(policy.send("GET", "default", null)).getJsonArray("barredDestinations")
                .getString(0));

        assertEquals(204, policy.send("DELETE", "networks/lan", null).statusCode());
        assertEquals(404, policy.send("GET", "networks/lan", null).statusCode());
        assertEquals(404, policy.send("DELETE", "networks/lan", null).statusCode());
    }

    @Test
    void theEffectivePolicyNamesTheLayerBehindEachPart() throws Exception {
        policy.putDefault("{\"maxCalls\":4,\"barredDestinations\":[\"+1900\"]}");
        policy.putSubscriber(ALICE, "{\"maxCalls\":2}");
        policy.putProvider("demo-shop", "{\"origins\":[\"https://shop.example\"],\"services\":[\"audio\",\"messaging\"],"
                + "\"maxCalls\":10}");
        policy.putNetwork("lan", "{\"cidrs\":[\"10.0.0.0/8\"],\"qos\":true}");
        JsonObject e = object(policy.send("GET", "effective?impu=" + PolicyAdmin.encode(ALICE)
                + "&origin=" + PolicyAdmin.encode("https://shop.example") + "&address=10.1.2.3", null));
        assertEquals("demo-shop", e.getString("provider"));
        assertEquals("lan", e.getString("network"));
        JsonObject video = e.getJsonObject("services").getJsonObject("video");
        assertFalse(video.getBoolean("allowed"));
        assertEquals("provider", video.getString("layer"));
        assertEquals("demo-shop", video.getString("name"));
        assertTrue(e.getJsonObject("services").getJsonObject("audio").getBoolean("allowed"));
        assertEquals(2, e.getJsonObject("maxCalls").getInt("value"));
        assertEquals("subscriber", e.getJsonObject("maxCalls").getString("layer"));
        assertEquals(10, e.getJsonObject("providerMaxCalls").getInt("value"));
        assertEquals("default", e.getJsonArray("barredDestinations").getJsonObject(0).getString("layer"));
        assertTrue(e.getJsonObject("qos").getBoolean("value"));
        assertTrue(e.isNull("maxCallSeconds"));

        JsonObject elsewhere = object(policy.send("GET", "effective?impu=" + PolicyAdmin.encode(ALICE), null));
        assertTrue(elsewhere.isNull("provider") && elsewhere.isNull("network"), elsewhere.toString());
        assertTrue(elsewhere.getJsonObject("services").getJsonObject("video").getBoolean("allowed"));
        assertEquals(400, policy.send("GET", "effective?address=not-an-address", null).statusCode());
    }

    @Test
    void badInputIsRefusedNamingTheField() throws Exception {
        assertBadField("default", "{\"colour\":\"red\"}", "colour");
        assertBadField("default", "[]", "body");
        assertBadField("default", "not json", "body");
        assertBadField("default", "{\"services\":[\"fax\"]}", "services");
        assertBadField("default", "{\"barredDestinations\":[\"+19x\"]}", "barredDestinations");
        assertBadField("subscribers/" + PolicyAdmin.encode(ALICE), "{\"maxCalls\":-1}", "maxCalls");
        assertBadField("subscribers/" + PolicyAdmin.encode(ALICE), "{\"maxCallSeconds\":\"60\"}", "maxCallSeconds");
        assertBadField("subscribers/alice", "{}", "impu");
        assertBadField("providers/demo-shop", "{\"origins\":[\"https://shop.example/app\"]}", "origins");
        assertBadField("providers/a%20b", "{}", "id");
        assertBadField("networks/lan", "{\"cidrs\":[\"10.0.0.0/33\"]}", "cidrs");
        assertBadField("networks/lan", "{\"maxCalls\":3}", "maxCalls");
        assertEquals(404, policy.send("GET", "subscribers/" + PolicyAdmin.encode("sip:nobody@x"), null).statusCode());
        assertEquals(400, policy.send("GET", "changes?limit=abc", null).statusCode());
        String tooLong = "https://" + "a".repeat(300) + ".example";
        assertBadField("providers/demo-shop", "{\"origins\":[\"" + tooLong + "\"]}", "origins");
    }

    @Test
    void anOriginBelongsToOneProvider() throws Exception {
        policy.putProvider("shop-a", "{\"origins\":[\"https://shop.example\"]}");
        HttpResponse<String> clash = policy.send("PUT", "providers/shop-b", "{\"origins\":[\"https://SHOP.example:443\"]}");
        assertEquals(409, clash.statusCode(), clash.body());
        assertEquals("origins", object(clash).getString("field"));
        policy.putProvider("pool-a", "{\"guestPool\":{\"pattern\":\"sip:g-{n}@ims.example.test\",\"size\":5}}");
        HttpResponse<String> samePool = policy.send("PUT", "providers/pool-b",
                "{\"guestPool\":{\"pattern\":\"sip:g-1{n}@ims.example.test\",\"size\":5}}");
        assertEquals(409, samePool.statusCode(), "a guest identity belongs to one provider: " + samePool.body());
        assertEquals("guestPool", object(samePool).getString("field"));
    }

    @Test
    void everyChangeIsRecordedWithWhoBeforeAndAfter() throws Exception {
        policy.putSubscriber(ALICE, "{\"maxCalls\":1}");
        policy.putSubscriber(ALICE, "{\"maxCalls\":2}");
        assertEquals(204, policy.send("DELETE", "subscribers/" + PolicyAdmin.encode(ALICE), null).statusCode());
        JsonArray changes = array(policy.send("GET", "changes?limit=3", null));
        JsonObject deleted = changes.getJsonObject(0);
        assertEquals("DELETE", deleted.getString("action"));
        assertEquals("admin", deleted.getString("who"));
        assertEquals("subscriber", deleted.getString("layer"));
        assertEquals(ALICE, deleted.getString("key"));
        assertEquals(2, deleted.getJsonObject("before").getInt("maxCalls"));
        assertTrue(deleted.isNull("after"));
        JsonObject second = changes.getJsonObject(1);
        assertEquals(1, second.getJsonObject("before").getInt("maxCalls"));
        assertEquals(2, second.getJsonObject("after").getInt("maxCalls"));
        assertFalse(deleted.getString("at").isEmpty());
    }
}
