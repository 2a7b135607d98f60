package org.webims.gateway.it.support;

import java.io.File;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
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

    /**
     * The same EAR with some configuration of a test class of its own: a library jar whose
     * META-INF/microprofile-config.properties outranks the server's system properties (config_ordinal 500).
     */
    public static EnterpriseArchive ear(Map<String, String> config) {
        String properties = "config_ordinal=500\n" + config.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")) + "\n";
        return ear().addAsLibrary(ShrinkWrap.create(JavaArchive.class, "it-config.jar")
                .addAsManifestResource(new StringAsset(properties), "microprofile-config.properties"));
    }
}
