package org.webims.gateway.ejb.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import java.io.StringReader;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.webims.gateway.ports.policy.EffectivePolicy;
import org.webims.gateway.ports.policy.Layer;
import org.webims.gateway.ports.policy.PolicySubject;
import org.webims.gateway.ports.policy.Service;
import org.webims.gateway.ports.policy.Source;

class PolicyCombinerTest {
    private static final String ALICE = "sip:alice@ims.example.test";
    private static final PolicyKey ALICE_KEY = new PolicyKey(Layer.SUBSCRIBER, ALICE);
    private static final PolicyKey SHOP = new PolicyKey(Layer.PROVIDER, "demo-shop");
    private static final PolicyKey LAN = new PolicyKey(Layer.NETWORK, "lan");
    private static final PolicyKey OFFICE = new PolicyKey(Layer.NETWORK, "office");

    private static PolicyEntry entry(String json, Layer layer) {
        return PolicyJson.read(Json.createReader(new StringReader(json)).readValue(), layer);
    }

    private static final PolicyLayers LAYERS = PolicyLayers.of(Map.of(
            PolicyKey.DEFAULT, entry("{\"barredDestinations\":[\"+1900\"],\"maxCalls\":4,\"maxCallSeconds\":7200}",
                    Layer.DEFAULT),
            ALICE_KEY, entry("{\"maxCalls\":2,\"services\":[\"audio\",\"video\",\"messaging\"]}", Layer.SUBSCRIBER),
            SHOP, entry("{\"origins\":[\"https://Shop.example:443\"],\"services\":[\"audio\",\"messaging\"],"
                    + "\"allowedDestinations\":[\"+44800\"],\"maxCalls\":10}", Layer.PROVIDER),
            LAN, entry("{\"cidrs\":[\"10.0.0.0/8\"],\"qos\":true}", Layer.NETWORK),
            OFFICE, entry("{\"cidrs\":[\"10.1.0.0/16\",\"2001:db8::/32\"],\"qos\":false,\"services\":[\"audio\"]}",
                    Layer.NETWORK)));

    @Test
    void nothingConfiguredRestrictsNothing() {
        EffectivePolicy p = PolicyCombiner.combine(PolicyLayers.EMPTY, new PolicySubject(ALICE, null, null, "10.0.0.1"));
        assertEquals(EffectivePolicy.unrestricted(p.subject()), p);
    }

    @Test
    void theMostRestrictiveLayerWinsAndIsNamed() {
        EffectivePolicy p = PolicyCombiner.combine(LAYERS,
                new PolicySubject(ALICE, "https://shop.example", null, "10.2.3.4"));
        assertEquals("demo-shop", p.provider(), "by Origin, default port and case normalised");
        assertEquals("lan", p.network());
        assertTrue(p.qos());
        assertEquals(new Source(Layer.PROVIDER, "demo-shop"), p.deniedBy(Service.VIDEO).orElseThrow());
        assertTrue(p.allows(Service.AUDIO) && p.allows(Service.MESSAGING));
        assertEquals(2, p.maxCalls().value());
        assertEquals(Layer.SUBSCRIBER, p.maxCalls().source().layer(), "the lower of default 4 and subscriber 2");
        assertEquals(7200, p.maxCallSeconds().value());
        assertEquals(10, p.providerMaxCalls().value());
        assertEquals("+1900", p.barredDestinations().get(0).prefix());
        assertEquals(1, p.allowedDestinations().size());
        assertNull(p.barred());
    }

    @Test
    void theMostSpecificNetworkIsChosen() {
        EffectivePolicy office = PolicyCombiner.combine(LAYERS, new PolicySubject(null, null, null, "10.1.2.3"));
        assertEquals("office", office.network());
        assertFalse(office.qos());
        assertEquals(new Source(Layer.NETWORK, "office"), office.deniedBy(Service.VIDEO).orElseThrow());
        assertEquals("office", PolicyCombiner.combine(LAYERS,
                new PolicySubject(null, null, null, "2001:db8::1")).network());
        assertNull(PolicyCombiner.combine(LAYERS, new PolicySubject(null, null, null, "192.0.2.1")).network());
    }

    @Test
    void aProviderNamedByTokenWinsOverTheOrigin() {
        PolicyLayers two = LAYERS.with(new PolicyKey(Layer.PROVIDER, "other"), entry("{\"maxCalls\":1}",
                Layer.PROVIDER));
        assertEquals("other", PolicyCombiner.combine(two,
                new PolicySubject(ALICE, "https://shop.example", "other", null)).provider());
        assertEquals("demo-shop", PolicyCombiner.combine(two,
                new PolicySubject(ALICE, "https://shop.example", "unknown", null)).provider());
    }

    @Test
    void aBarredSubscriberIsNamedAndSubscribersAreMatchedWhateverTheHostCase() {
        PolicyLayers barred = LAYERS.with(ALICE_KEY, entry("{\"barred\":true}", Layer.SUBSCRIBER));
        EffectivePolicy p = PolicyCombiner.combine(barred,
                new PolicySubject("sip:alice@IMS.example.test;transport=ws", null, null, null));
        assertEquals(new Source(Layer.SUBSCRIBER, ALICE), p.barred());
    }
}
