package org.webims.gateway.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.webims.gateway.it.support.GatewayDeployment;

/**
 * Black-box test classes with the EAR the build produced, deployed as an operator deploys it, and the peers of
 * {@link GatewayPeersBase}.
 */
public abstract class GatewayTestBase extends GatewayPeersBase {

    @Deployment(testable = false)
    public static EnterpriseArchive deployment() {
        return GatewayDeployment.ear();
    }
}
