package org.webims.gateway.bench.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's live bytes are read from the total of a class histogram (JDK 17 {@code jcmd} output); its JVM options
 * from the product's options file.
 */
class GatewayTargetTest {

    @Test
    void theLiveBytesAreTheHistogramsTotal() {
        String histogram = """
                17145:
                 num     #instances         #bytes  class name (module)
                -------------------------------------------------------
                   1:         72354       64419888  [B (java.base@17.0.15)
                1541:             1             16  sun.util.resources.cldr.provider.CLDRLocaleDataMetaInfo
                Total        625137       99946136
                """;
        assertEquals(99_946_136L, GatewayTarget.histogramTotal(histogram));
    }

    @Test
    void withoutATotalLineNothingIsRead() {
        assertEquals(-1, GatewayTarget.histogramTotal("17145:\nAttach failed: no such process\n"));
    }

    @Test
    void theJvmOptionsAreTheFilesLinesWithoutCommentsOrBlanks(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("gateway-jvm.options");
        Files.writeString(file, "# why\n\n-XX:MaxGCPauseMillis=20\n  # indented comment\n  -XX:Other=1  \n");
        assertEquals("-XX:MaxGCPauseMillis=20 -XX:Other=1", GatewayTarget.jvmOptions(file));
    }

    @Test
    void theProductsOptionsFileHoldsOnlyJvmOptionsWithAPauseGoal() {
        // the module's tests run in benchmarks/: the file bin/gateway run reads too
        String options = GatewayTarget.jvmOptions(Path.of("..").resolve(GatewayTarget.JVM_OPTIONS));
        assertTrue(options.contains("-XX:MaxGCPauseMillis="), options);
        for (String option : options.split(" ")) {
            assertTrue(option.startsWith("-"), "not a JVM option (a comment without its #?): " + option);
        }
    }
}
