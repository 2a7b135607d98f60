package org.webims.gateway.web.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The configuration keys read as the server reads them: the module's defaults, overridden by the operator's. */
class GatewayConfigurationTest {
    /** The module's defaults (META-INF/microprofile-config.properties) under {@code operator}'s values only. */
    private static GatewayConfiguration with(Map<String, String> operator) {
        try {
            URL defaults = GatewayConfiguration.class.getResource("/META-INF/microprofile-config.properties");
            return new GatewayConfiguration(new SmallRyeConfigBuilder()
                    .withSources(new PropertiesConfigSource(defaults, 100),
                            new PropertiesConfigSource(operator, "operator", 1000)).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theWorkerPoolIsTwoThreadsPerCoreAndAtLeastFourUnlessSet() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(Math.max(4, 2 * cores), with(Map.of()).sipWorkerThreads());
        assertEquals(3, with(Map.of("gateway.sip.worker-threads", "3")).sipWorkerThreads());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> with(Map.of("gateway.sip.worker-threads", "-1")).sipWorkerThreads());
        assertTrue(refused.getMessage().contains("gateway.sip.worker-threads"), refused.getMessage());
    }

    @Test
    void thePathMtuTowardTheCoreIsUnknownUnlessSet() {
        assertEquals(0, with(Map.of()).sipSettings().coreUdpLimit().pathMtu());
        assertEquals(9000, with(Map.of("gateway.ims.path-mtu", "9000")).sipSettings().coreUdpLimit().pathMtu());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> with(Map.of("gateway.ims.path-mtu", "100")).sipSettings());
        assertTrue(refused.getMessage().startsWith("gateway.ims.path-mtu"), refused.getMessage());
    }
}
