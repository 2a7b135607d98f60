package org.webims.gateway.web.admin;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdminApiGuardTest {
    @ParameterizedTest
    @ValueSource(strings = {"/api", "/api/", "/api/calls", "//api/calls", "/x/../api/calls", "/./api/registrations",
        "/admin", "/admin/policy.html", "//admin/policy.js"})
    void theAdminApiIsRecognisedHoweverItsPathIsWritten(String path) {
        assertTrue(AdminApiGuard.isAdminApi(path), path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/sip", "/app/wwsf.js", "/apis", "/index.html", "/administrator"})
    void otherPathsAreNotTheAdminApi(String path) {
        assertFalse(AdminApiGuard.isAdminApi(path), path);
    }
}
