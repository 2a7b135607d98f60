package org.webims.gateway.ejb.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClientSecretsTest {
    @Test
    void aSecretMatchesOnlyItsOwnSaltedHash() {
        String secret = ClientSecrets.newSecret();
        String salt = ClientSecrets.newSalt();
        String hash = ClientSecrets.hash(secret, salt);
        assertEquals(43, secret.length(), "256 bits, URL-safe base64");
        assertTrue(ClientSecrets.matches(secret, salt, hash));
        assertFalse(ClientSecrets.matches(secret + "x", salt, hash));
        assertFalse(ClientSecrets.matches(null, salt, hash));
        assertNotEquals(hash, ClientSecrets.hash(secret, ClientSecrets.newSalt()), "salted");
        assertNotEquals(ClientSecrets.newSecret(), ClientSecrets.newSecret());
    }

    @Test
    void aGuestsPrivateIdentityIsItsPublicOneWithoutTheScheme() {
        assertEquals("wguest-1@ims.test", WafService.impi("sip:wguest-1@ims.test"));
    }
}
