package org.webims.gateway.ejb.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import java.io.StringReader;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.webims.gateway.ports.policy.Layer;
import org.webims.gateway.ports.policy.Service;

class PolicyJsonTest {
    private static PolicyEntry read(String json, Layer layer) {
        return PolicyJson.read(Json.createReader(new StringReader(json)).readValue(), layer);
    }

    private static void assertField(String field, String json, Layer layer) {
        InvalidPolicy e = assertThrows(InvalidPolicy.class, () -> read(json, layer), json);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void aFullProviderRoundTrips() {
        String json = "{\"services\":[\"audio\",\"messaging\"],\"barredDestinations\":[\"+1900\"],"
                + "\"allowedDestinations\":[\"+44800\"],\"maxCalls\":10,\"origins\":[\"https://shop.example\"],"
                + "\"maxRegistrations\":100,\"guestPool\":{\"pattern\":\"sip:wguest-{n}@ims.example.test\",\"size\":100,"
                + "\"quarantineSeconds\":60},"
                + "\"guestDestinations\":[\"+44800\"]}";
        PolicyEntry entry = read(json, Layer.PROVIDER);
        assertEquals(Set.of(Service.AUDIO, Service.MESSAGING), entry.services());
        assertEquals(entry, read(PolicyJson.write(entry).toString(), Layer.PROVIDER));
    }

    @Test
    void aGuestPoolNamesItsIdentities() {
        GuestPool pool = read("{\"guestPool\":{\"pattern\":\"sip:wguest-{n}@ims.example.test\",\"size\":3}}",
                Layer.PROVIDER).guestPool();
        assertEquals(60, pool.quarantineSeconds(), "a minute's quarantine unless set");
        assertEquals("sip:wguest-2@ims.example.test", pool.identity(2));
        assertThrows(IllegalArgumentException.class, () -> pool.identity(3));
    }

    @Test
    void poolsThatCouldHandOutTheSameIdentityOverlap() {
        GuestPool shop = new GuestPool("sip:g-{n}@ims.test", 10, 60);
        assertTrue(shop.overlaps(new GuestPool("sip:g-1{n}@ims.test", 10, 60)), "g-10 is in both");
        assertTrue(shop.overlaps(new GuestPool("sip:G-{n}@IMS.test", 10, 60)), "case does not separate them");
        assertTrue(!shop.overlaps(new GuestPool("sip:h-{n}@ims.test", 10, 60)));
        assertTrue(!shop.overlaps(new GuestPool("sip:g-{n}@other.test", 10, 60)));
    }

    @Test
    void originsAreKeptInTheirBrowserForm() {
        assertEquals(List.of("https://shop.example", "http://shop.example:8080"),
                read("{\"origins\":[\"HTTPS://Shop.Example:443\",\"http://shop.example:8080\"]}", Layer.PROVIDER)
                        .origins());
    }

    @Test
    void eachBadInputNamesItsField() {
        assertField("body", "[1]", Layer.DEFAULT);
        assertField("origins", "{\"origins\":[\"https://x\"]}", Layer.DEFAULT); // not a field of the default
        assertField("services", "{\"services\":[\"fax\"]}", Layer.DEFAULT);
        assertField("services", "{\"services\":\"audio\"}", Layer.DEFAULT);
        assertField("barredDestinations", "{\"barredDestinations\":[\"+19x\"]}", Layer.DEFAULT);
        assertField("maxCalls", "{\"maxCalls\":-1}", Layer.SUBSCRIBER);
        assertField("maxCalls", "{\"maxCalls\":1.5}", Layer.SUBSCRIBER);
        assertField("maxCallSeconds", "{\"maxCallSeconds\":\"60\"}", Layer.SUBSCRIBER);
        assertField("maxCalls", "{\"maxCalls\":99999999999}", Layer.SUBSCRIBER);
        assertField("barred", "{\"barred\":\"yes\"}", Layer.SUBSCRIBER);
        assertField("origins", "{\"origins\":[\"https://shop.example/app\"]}", Layer.PROVIDER);
        assertField("origins", "{\"origins\":[\"ftp://shop.example\"]}", Layer.PROVIDER);
        assertField("cidrs", "{\"cidrs\":[\"10.0.0.0/33\"]}", Layer.NETWORK);
        assertField("cidrs", "{\"cidrs\":[\"example.com\"]}", Layer.NETWORK);
        assertField("qos", "{\"qos\":1}", Layer.NETWORK);
        assertField("guestPool", "{\"guestPool\":[\"alice\"]}", Layer.PROVIDER);
        assertField("guestPool", "{\"guestPool\":{\"pattern\":\"sip:guest@x\",\"size\":10}}", Layer.PROVIDER);
        assertField("guestPool", "{\"guestPool\":{\"pattern\":\"sip:g{n}@x\",\"size\":0}}", Layer.PROVIDER);
        assertField("guestPool", "{\"guestPool\":{\"pattern\":\"sip:g{n}@x\",\"size\":\"9\"}}", Layer.PROVIDER);
        assertField("guestPool", "{\"guestPool\":{\"pattern\":\"sip:g{n}@x\",\"size\":9,\"x\":1}}", Layer.PROVIDER);
    }

    @Test
    void keysAreChecked() {
        assertEquals("impu", assertThrows(InvalidPolicy.class,
                () -> PolicyRules.checkKey(Layer.SUBSCRIBER, "alice")).field());
        assertEquals("id", assertThrows(InvalidPolicy.class,
                () -> PolicyRules.checkKey(Layer.PROVIDER, "a b")).field());
        PolicyRules.checkKey(Layer.SUBSCRIBER, "tel:+441234");
        PolicyRules.checkKey(Layer.NETWORK, "lan-1");
    }
}
