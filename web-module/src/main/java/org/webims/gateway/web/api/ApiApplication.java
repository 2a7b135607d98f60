package org.webims.gateway.web.api;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Jakarta REST root of the admin API; access is restricted to the {@code admin} role in web.xml. */
@ApplicationPath("/api")
public class ApiApplication extends Application {}
