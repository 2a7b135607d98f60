package org.webims.gateway.web.admin;

import io.undertow.servlet.ServletExtension;
import io.undertow.servlet.api.DeploymentInfo;
import jakarta.servlet.ServletContext;
import java.time.Clock;
import org.webims.gateway.web.config.GatewayConfiguration;

/**
 * Puts {@link AdminApiGuard} first in this web application's Undertow handler chain, ahead of the security
 * constraint's authentication (found by Undertow through META-INF/services).
 */
public final class AdminApiGuardExtension implements ServletExtension {
    @Override
    public void handleDeployment(DeploymentInfo deploymentInfo, ServletContext servletContext) {
        AdminAccessSettings settings = GatewayConfiguration.current().adminAccess();
        FailedLoginThrottle throttle = new FailedLoginThrottle(settings, Clock.systemUTC());
        deploymentInfo.addInitialHandlerChainWrapper(next -> new AdminApiGuard(next, throttle, settings));
    }
}
