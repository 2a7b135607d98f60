package org.webims.gateway.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The machine and the software versions of a run, read from the system and the tools themselves.
 *
 * @param cpu      CPU model
 * @param cores    logical CPUs available
 * @param memoryMb total memory
 * @param os       distribution and kernel
 * @param versions component name to version
 */
public record Machine(String cpu, int cores, long memoryMb, String os, Map<String, String> versions) {

    static Machine read(Path repo, Path serverTemplate) {
        Map<String, String> versions = new LinkedHashMap<>();
        versions.put("gateway", gitVersion(repo));
        versions.put("WildFly", wildflyVersion(serverTemplate));
        versions.put("Java (gateway and load generator)", System.getProperty("java.vm.name") + " "
                + System.getProperty("java.runtime.version"));
        versions.put("JAIN-SIP", "jain-sip-ri 1.3.0-91 (in the EAR)");
        versions.put("Kamailio", firstMatch(Proc.output(Duration.ofSeconds(10), "kamailio", "-v"),
                "version: (kamailio \\S+)"));
        versions.put("rtpengine", firstMatch(Proc.output(Duration.ofSeconds(10), "rtpengine", "--version"),
                "Version: (\\S+)"));
        versions.put("SIPp", firstMatch(Proc.output(Duration.ofSeconds(10), "sipp", "-v"), "(SIPp v\\S+)"));
        String cpu = grep("/proc/cpuinfo", "model name\\s*:\\s*(.+)");
        long memKb = Long.parseLong(grep("/proc/meminfo", "MemTotal:\\s*(\\d+)").replaceAll("\\D", "0"));
        String os = grep("/etc/os-release", "PRETTY_NAME=\"?([^\"]+)\"?") + ", Linux "
                + read("/proc/sys/kernel/osrelease").strip();
        return new Machine(cpu, Runtime.getRuntime().availableProcessors(), memKb / 1024, os, versions);
    }

    private static String gitVersion(Path repo) {
        String head = Proc.output(Duration.ofSeconds(10), "git", "-C", repo.toString(), "rev-parse", "--short",
                "HEAD").strip();
        if (head.isEmpty() || head.contains("fatal")) {
            return "(not a git checkout)";
        }
        String dirty = Proc.output(Duration.ofSeconds(10), "git", "-C", repo.toString(), "status", "--porcelain",
                "--untracked-files=no").strip();
        return "commit " + head + (dirty.isEmpty() ? "" : " with uncommitted changes");
    }

    private static String wildflyVersion(Path server) {
        Path product = server.resolve("modules/system/layers/base/org/jboss/as/product/main");
        try (Stream<Path> files = Files.list(product)) {
            return files.map(p -> p.getFileName().toString())
                    .map(n -> firstMatch(n, "wildfly-feature-pack-product-conf-(.+)\\.jar"))
                    .filter(v -> !v.equals("?")).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static String grep(String file, String regex) {
        return firstMatch(read(file), regex);
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }

    private static String firstMatch(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        return m.find() ? m.group(1).strip() : "?";
    }
}
