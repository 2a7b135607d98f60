package org.webims.gateway.it;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.webims.gateway.it.support.GatewayDeployment;

/** Test classes with calls on the EAR the build produced: the demo IMS core and rtpengine as the eIMS-AGW. */
public abstract class MediaTestBase extends MediaPeersBase {

    @Deployment(testable = false)
    public static EnterpriseArchive deployment() {
        return GatewayDeployment.ear();
    }
}
