package org.webims.gateway.ports.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DialPlanTest {
    private final DialPlan uk = new DialPlan("44", "00", "0");

    @Test
    void telUriWithVisualSeparatorsIsE164() {
        DialPlan.Destination d = uk.destination("tel:+1-900-555-0100");
        assertEquals("+19005550100", d.e164());
        assertTrue(d.matches("+1900"));
        assertFalse(d.matches("+44"));
    }

    @Test
    void sipUriWithUserPhoneAndPhoneContext() {
        DialPlan.Destination d = uk.destination("sip:+19005550100;phone-context=ims.example@ims.example;user=phone");
        assertEquals("+19005550100", d.e164());
    }

    @Test
    void internationalPrefixIsRewrittenAndStillMatchesAsDialled() {
        DialPlan.Destination d = uk.destination("sip:0019005550100@ims.example");
        assertEquals("+19005550100", d.e164());
        assertTrue(d.matches("+1900"));
        assertTrue(d.matches("00"), "a prefix without + matches the digits as dialled");
    }

    @Test
    void nationalPrefixBecomesTheCountryCode() {
        DialPlan.Destination d = uk.destination("sip:09065550100@ims.example");
        assertEquals("+449065550100", d.e164());
        assertTrue(d.matches("+44906"));
    }

    @Test
    void withoutCountryCodeNationalNumbersHaveNoE164Form() {
        DialPlan.Destination d = DialPlan.defaults().destination("sip:09065550100@ims.example");
        assertNull(d.e164());
        assertTrue(d.matches("0906"));
        assertFalse(d.matches("+44"));
    }

    @Test
    void aNameIsNoNumber() {
        DialPlan.Destination d = uk.destination("sip:bob@ims.example");
        assertNull(d.dialled());
        assertFalse(d.matches("+"));
        assertFalse(d.matches("0"));
        assertNull(uk.destination("urn:service:sos").dialled());
    }

    @Test
    void aPrefixWithTheInternationalPrefixCatchesTheNumberHoweverItIsDialled() {
        assertTrue(uk.destination("tel:+19005550100").matches("0019"), "0019 bars +1900...");
        assertTrue(uk.destination("sip:+19005550100@ims.example;user=phone").matches("00"), "00 bars calls abroad");
        assertFalse(uk.destination("tel:+442071234567").matches("00"), "00 does not bar the home country");
        assertTrue(uk.destination("tel:+442071234567").matches("0044"), "unless it names it");
        assertFalse(uk.destination("sip:00442071234567@ims.example").matches("00"),
                "a home number dialled with 00 is not abroad either");
        assertFalse(uk.destination("tel:+33123456789").matches("0"), "0 (national) does not bar a number abroad");
    }

    @Test
    void aPrefixWithTheNationalPrefixCatchesTheE164Form() {
        assertTrue(uk.destination("tel:+449065550100").matches("0906"), "0906 bars +44906...");
        assertFalse(new DialPlan("", "00", "0").destination("tel:+449065550100").matches("0906"),
                "without a country code a national prefix has no E.164 form");
    }

    @Test
    void anEscapedPlusIsAPlus() {
        DialPlan.Destination d = uk.destination("sip:%2B19005550100@ims.example;user=phone");
        assertEquals("+19005550100", d.e164());
        assertTrue(d.matches("+1900"));
    }

    @Test
    void aLocalNumberInAGlobalPhoneContextHasAnE164Form() {
        DialPlan.Destination d = DialPlan.defaults().destination("tel:5550100;phone-context=+1-900");
        assertEquals("+19005550100", d.e164());
        assertTrue(d.matches("+1900"));
        assertEquals("+449065550100", DialPlan.defaults().destination("tel:09065550100;phone-context=+44").e164(),
                "the trunk prefix is not part of the number in its context");
        assertEquals(null, DialPlan.defaults().destination("tel:5550100;phone-context=example.com").e164(),
                "a domain context gives no E.164 form");
    }

    @Test
    void prefixesAreValidated() {
        assertTrue(DialPlan.isPrefix("+1900"));
        assertTrue(DialPlan.isPrefix("00"));
        assertFalse(DialPlan.isPrefix("+"));
        assertFalse(DialPlan.isPrefix("1900x"));
        assertFalse(DialPlan.isPrefix(""));
        assertThrows(IllegalArgumentException.class, () -> new DialPlan("+44", "00", "0"));
    }
}
