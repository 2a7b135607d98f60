package org.webims.gateway.it.support;

import java.io.File;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;

/** The EAR the build produced, exactly as an operator deploys it. */
public final class GatewayDeployment {
    private GatewayDeployment() {}

    public static EnterpriseArchive ear() {
        File ear = new File(System.getProperty("gateway.ear", "../ear/target/webrtc-ims-gateway.ear"));
        if (!ear.isFile()) {
            throw new IllegalStateException("EAR not built: " + ear.getAbsolutePath());
        }
        return ShrinkWrap.create(ZipImporter.class, "webrtc-ims-gateway.ear").importFrom(ear)
                .as(EnterpriseArchive.class);
    }
}
