package org.webims.gateway.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.webims.gateway.bench.load.LoadGenerator;
import org.webims.gateway.bench.load.SipClient;
import org.webims.gateway.bench.run.BenchmarkRun;
import org.webims.gateway.bench.run.Plan;
import org.webims.gateway.bench.run.SoakRates;

/**
 * Command line of the benchmarks.
 *
 * <pre>
 * java -jar webims-benchmarks.jar run  [--repo DIR] [--quick] [--only gateway|kamailio]
 *     the whole comparison (benchmarks/run.sh calls this): starts and stops every peer, writes docs/BENCHMARKS.md
 *     and docs/benchmarks/
 * java -jar webims-benchmarks.jar run  [--repo DIR] [--quick] --soak MINUTES [--soak-call-rate R]
 *     [--soak-register-rate R]
 *     the gateway alone under a steady load for MINUTES (default rates: half its sustained rates in the last
 *     docs/BENCHMARKS.md, else 100 calls/s and 300 REGISTER/s): writes docs/benchmarks/soak.md and the Soak section
 *     of docs/BENCHMARKS.md; exit 3 when not clean
 * java -jar webims-benchmarks.jar load --uri ws://127.0.0.1:8290/ --target sip:uas@127.0.0.1:5290
 *     [--clients 100] [--connect-rate 50] [--register-rate 100] [--call-rate 10] [--seconds 10] [--hold-ms 1000]
 *     [--first-user 1] [--keepalive ping|crlf|none] [--linger-seconds 0] [--warm-call-rate R]
 *     [--settle-seconds 0]
 *     the generator alone against a server someone else started; prints one line per step
 * java -jar webims-benchmarks.jar serve [--repo DIR]
 *     [--target gateway|gateway-charging|gateway-passthrough|kamailio|kamailio-passthrough]
 *     the peers and one target, up until Ctrl-C or end of input: to drive or profile it by hand with load
 * java -jar webims-benchmarks.jar profile --jfr FILE [--skip SECONDS]
 *     the summary of a JFR recording's execution samples, as the report shows it (the report's recordings: --skip
 *     with the seconds its Method section says were left out)
 * </pre>
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            usage();
            return;
        }
        Map<String, String> options = options(args);
        switch (args[0]) {
            case "run" -> {
                Path repo = Path.of(options.getOrDefault("repo", ".")).toAbsolutePath().normalize();
                Plan plan = options.containsKey("quick") ? Plan.quick() : Plan.full();
                BenchmarkRun run = new BenchmarkRun(repo, plan, options.get("only"));
                if (options.containsKey("soak")) {
                    Path report = repo.resolve("docs/BENCHMARKS.md");
                    SoakRates rates = SoakRates.of(rate(options, "soak-call-rate"),
                            rate(options, "soak-register-rate"),
                            Files.exists(report) ? Files.readString(report) : null);
                    System.exit(run.soak(Integer.parseInt(options.get("soak")), rates));
                }
                System.exit(run.run());
            }
            case "load" -> load(options);
            case "profile" -> System.out.print(org.webims.gateway.bench.run.Profile.analyze(
                    Path.of(require(options, "jfr")), "a recording",
                    Duration.ofSeconds(Long.parseLong(options.getOrDefault("skip", "0")))).describe());
            case "serve" -> {
                Path repo = Path.of(options.getOrDefault("repo", ".")).toAbsolutePath().normalize();
                System.exit(new BenchmarkRun(repo, Plan.full(), null).serve(options.getOrDefault("target",
                        "gateway")));
            }
            default -> {
                usage();
                System.exit(2);
            }
        }
    }

    private static void load(Map<String, String> o) {
        URI uri = URI.create(require(o, "uri"));
        LoadGenerator.Settings settings = LoadGenerator.Settings.of(uri, require(o, "target"))
                .withFirstUser(Integer.parseInt(o.getOrDefault("first-user", "1")))
                .withKeepalive(Duration.ofSeconds(25),
                        SipClient.KeepaliveMode.valueOf(o.getOrDefault("keepalive", "ping").toUpperCase()));
        int clients = Integer.parseInt(o.getOrDefault("clients", "100"));
        double connectRate = Double.parseDouble(o.getOrDefault("connect-rate", "50"));
        double registerRate = Double.parseDouble(o.getOrDefault("register-rate", "0"));
        double callRate = Double.parseDouble(o.getOrDefault("call-rate", "0"));
        Duration seconds = Duration.ofSeconds(Long.parseLong(o.getOrDefault("seconds", "10")));
        Duration hold = Duration.ofMillis(Long.parseLong(o.getOrDefault("hold-ms", "1000")));
        try (LoadGenerator gen = new LoadGenerator(settings)) {
            System.out.println(gen.connectAndRegister(clients, connectRate));
            long settle = Long.parseLong(o.getOrDefault("settle-seconds", "0"));
            if (settle > 0) { // the connections' own work over before the measured step, as in the benchmark's steps
                try {
                    Thread.sleep(settle * 1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (registerRate > 0) {
                System.out.println(gen.registerStep(registerRate, seconds));
            }
            double warmCallRate = Double.parseDouble(o.getOrDefault("warm-call-rate", "0"));
            if (warmCallRate > 0) { // this JVM's own JIT warm-up, so the measured step is not the generator's first
                System.out.println("warm-up: " + gen.callStep(warmCallRate, Duration.ofSeconds(10), hold));
            }
            if (callRate > 0) {
                System.out.println(gen.callStep(callRate, seconds, hold));
            }
            long linger = Long.parseLong(o.getOrDefault("linger-seconds", "0"));
            if (linger > 0) {
                System.out.println("keeping " + gen.registeredClients() + " clients connected for " + linger + " s");
                try {
                    Thread.sleep(linger * 1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static Double rate(Map<String, String> options, String name) {
        return options.containsKey(name) ? Double.valueOf(options.get(name)) : null;
    }

    private static String require(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    /** {@code --name value} pairs; a flag followed by another flag (or nothing) gets "true". */
    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String name = args[i].substring(2);
            if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                options.put(name, args[++i]);
            } else {
                options.put(name, "true");
            }
        }
        return options;
    }

    private static void usage() {
        System.out.println("""
                usage: java -jar webims-benchmarks.jar run [--repo DIR] [--quick] [--only gateway|kamailio]
                       java -jar webims-benchmarks.jar run [--repo DIR] [--quick] --soak MINUTES
                            [--soak-call-rate R] [--soak-register-rate R]
                       java -jar webims-benchmarks.jar load --uri WS_URI --target SIP_URI [--clients N]
                            [--connect-rate R] [--register-rate R] [--call-rate R] [--seconds S] [--hold-ms MS]
                            [--first-user N] [--keepalive ping|crlf|none] [--linger-seconds S]
                            [--warm-call-rate R]  (10 s of calls first, not measured)
                            [--settle-seconds S]  (idle between connecting and the measured steps)
                       java -jar webims-benchmarks.jar serve [--repo DIR]
                            [--target gateway|gateway-charging|gateway-passthrough|kamailio|kamailio-passthrough]
                       java -jar webims-benchmarks.jar profile --jfr FILE [--skip SECONDS]""");
    }
}
