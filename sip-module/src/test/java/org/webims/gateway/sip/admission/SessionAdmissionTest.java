package org.webims.gateway.sip.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.webims.gateway.ports.policy.AllowedDestinations;
import org.webims.gateway.ports.policy.BarredPrefix;
import org.webims.gateway.ports.policy.DialPlan;
import org.webims.gateway.ports.policy.EffectivePolicy;
import org.webims.gateway.ports.policy.Layer;
import org.webims.gateway.ports.policy.PolicySubject;
import org.webims.gateway.ports.policy.Service;
import org.webims.gateway.ports.policy.Source;

class SessionAdmissionTest {
    private static final PolicySubject ALICE = new PolicySubject("sip:alice@ims.test", null, null, "127.0.0.1");
    private static final Source SHOP = new Source(Layer.PROVIDER, "demo-shop");
    private static final Source ALICE_LAYER = new Source(Layer.SUBSCRIBER, "sip:alice@ims.test");
    private static final DialPlan PLAN = new DialPlan("44", "00", "0");

    private static EffectivePolicy policy(Source barred, Map<Service, Source> denied, List<BarredPrefix> barredTo) {
        return new EffectivePolicy(ALICE, barred, denied, barredTo, List.of(), null, null, null, null, null, null, false);
    }

    @Test
    void unrestrictedAdmitsEverythingAndDeclinesNothing() {
        Verdict v = SessionAdmission.decide(EffectivePolicy.unrestricted(ALICE),
                PLAN.destination("sip:+19005550100@ims.test;user=phone"), Set.of("audio", "video"), true);
        assertEquals(new Verdict.Admit(Map.of()), v);
    }

    @Test
    void aBarredSubscriberIsRefusedNamingTheLayer() {
        Verdict v = SessionAdmission.decide(policy(ALICE_LAYER, Map.of(), List.of()), null, Set.of("audio"), true);
        Verdict.Refuse r = assertInstanceOf(Verdict.Refuse.class, v);
        assertEquals(403, r.status());
        assertEquals("subscriber barred by subscriber sip:alice@ims.test", r.warning());
    }

    @Test
    void aBarredDestinationIsRefusedAfterNormalisation() {
        EffectivePolicy p = policy(null, Map.of(), List.of(new BarredPrefix("+1900", Source.OPERATOR_DEFAULT)));
        Verdict v = SessionAdmission.decide(p, PLAN.destination("sip:0019005550100@ims.test"), Set.of("audio"), true);
        assertEquals("destination +1900 barred by operator default",
                assertInstanceOf(Verdict.Refuse.class, v).warning());
        assertInstanceOf(Verdict.Admit.class,
                SessionAdmission.decide(p, PLAN.destination("sip:+4420@ims.test"), Set.of("audio"), true));
    }

    @Test
    void anAllowListLetsOnlyItsDestinationsThrough() {
        EffectivePolicy p = new EffectivePolicy(ALICE, null, Map.of(), List.of(),
                List.of(new AllowedDestinations(List.of("+44800"), SHOP)), null, null, null, null, null, null, false);
        assertInstanceOf(Verdict.Admit.class,
                SessionAdmission.decide(p, PLAN.destination("tel:+448001234567"), Set.of("audio"), true));
        assertEquals("destination not allowed by provider demo-shop", assertInstanceOf(Verdict.Refuse.class,
                SessionAdmission.decide(p, PLAN.destination("tel:+441234567"), Set.of("audio"), true)).warning());
        assertInstanceOf(Verdict.Refuse.class,
                SessionAdmission.decide(p, PLAN.destination("sip:bob@ims.test"), Set.of("audio"), true));
    }

    @Test
    void terminatingCallsAreNotCheckedAgainstDestinations() {
        EffectivePolicy p = policy(null, Map.of(), List.of(new BarredPrefix("+", Source.OPERATOR_DEFAULT)));
        assertInstanceOf(Verdict.Admit.class, SessionAdmission.decide(p, null, Set.of("audio"), true));
    }

    @Test
    void videoNotAllowedIsDeclinedAndTheCallGoesOn() {
        Verdict v = SessionAdmission.decide(policy(null, Map.of(Service.VIDEO, SHOP), List.of()), null,
                Set.of("audio", "video"), true);
        assertEquals(new Verdict.Admit(Map.of(Service.VIDEO, SHOP)), v);
    }

    @Test
    void videoNotAllowedIsDeclinedEvenWhenTheFirstOfferHasNone() {
        assertEquals(new Verdict.Admit(Map.of(Service.VIDEO, SHOP)), SessionAdmission.decide(
                policy(null, Map.of(Service.VIDEO, SHOP), List.of()), null, Set.of("audio"), true),
                "a later re-offer adding video is shaped too");
    }

    @Test
    void aClientWithoutVideoGetsVideoDeclined() {
        Verdict.Admit a = assertInstanceOf(Verdict.Admit.class, SessionAdmission.decide(
                EffectivePolicy.unrestricted(ALICE), null, Set.of("audio", "video"), false));
        assertEquals(Layer.CLIENT, a.declined().get(Service.VIDEO).layer());
    }

    @Test
    void audioNotAllowedRefusesTheCall() {
        Verdict v = SessionAdmission.decide(policy(null, Map.of(Service.AUDIO, SHOP), List.of()), null,
                Set.of("audio", "video"), true);
        assertEquals("audio not allowed by provider demo-shop", assertInstanceOf(Verdict.Refuse.class, v).warning());
    }

    @Test
    void aVideoOnlyOfferWithVideoNotAllowedIsRefused() {
        Verdict v = SessionAdmission.decide(policy(null, Map.of(Service.VIDEO, SHOP), List.of()), null,
                Set.of("video"), true);
        assertTrue(assertInstanceOf(Verdict.Refuse.class, v).warning().startsWith("video not allowed by provider"));
    }

    @Test
    void anOfferlessInviteWithAudioNotAllowedIsRefused() {
        assertInstanceOf(Verdict.Refuse.class, SessionAdmission.decide(
                policy(null, Map.of(Service.AUDIO, SHOP), List.of()), null, Set.of(), true));
        assertEquals(new Verdict.Admit(Map.of(Service.VIDEO, SHOP)), SessionAdmission.decide(
                policy(null, Map.of(Service.VIDEO, SHOP), List.of()), null, Set.of(), true),
                "video the late offer may bring is declined");
    }
}
