package org.webims.gateway.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The embedded {@code GatewayDS} as the provisioned server defines it, with the H2 driver that server ships: a row
 * committed by one connection is seen by the next query of another. H2 2.2.224 marks a table changed before its commit
 * is applied, so a query running in between caches a result without the row and, by default
 * ({@code OPTIMIZE_REUSE_RESULTS}), hands that result out again until the table changes once more (h2database#3894):
 * the admin API listed a STOP record as missing for as long as no CDF came back (ChargingIT failed so in CI), and the
 * charging outbox's read-back of pending records could miss some the same way. Without the setting in the server's
 * connection URL this test sees a stale result within a few dozen commits.
 */
class GatewayDatasourceTest {
    private static final Path SERVER = Path.of(System.getProperty("jboss.home", "target/server"));
    private static final int COMMITS = 1500;

    @Test
    void aRowCommittedByOneConnectionIsSeenByTheNextQueryOfAnother() throws Exception {
        String url = connectionUrl().replace("${jboss.server.data.dir}",
                SERVER.getParent().resolve("gateway-ds-test").resolve(Long.toString(System.nanoTime())).toString());
        try (URLClassLoader h2 = new URLClassLoader(new URL[] {h2Jar().toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Driver driver = (Driver) h2.loadClass("org.h2.Driver").getDeclaredConstructor().newInstance();
            Properties credentials = new Properties();
            credentials.setProperty("user", "sa");
            credentials.setProperty("password", "sa");
            try (Connection writer = driver.connect(url, credentials);
                    Connection reader = driver.connect(url, credentials)) {
                try (Statement create = writer.createStatement()) {
                    create.execute("create table RECORDS(ID bigint primary key, STATE varchar(10))");
                }
                writer.setAutoCommit(false); // as JTA runs each call: a transaction, then a commit
                reader.setAutoCommit(false);
                for (int id = 1; id <= COMMITS; id++) {
                    int row = id;
                    CompletableFuture<Void> committed = CompletableFuture.runAsync(() -> insertAndCommit(writer, row));
                    while (!committed.isDone()) { // the admin API polling while the outbox stores
                        pending(reader);
                    }
                    committed.join();
                    assertEquals(id, pending(reader), "rows seen after the commit of row " + id + " (" + url + ")");
                }
            }
        }
    }

    private static void insertAndCommit(Connection writer, int id) {
        try (Statement insert = writer.createStatement()) {
            insert.execute("insert into RECORDS values (" + id + ", 'PENDING')");
            writer.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same prepared query each time, as Hibernate issues it: one H2 command, reused. */
    private static long pending(Connection reader) throws SQLException {
        try (PreparedStatement query = reader.prepareStatement("select count(*) from RECORDS where STATE = ?")) {
            query.setString(1, "PENDING");
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                long count = rows.getLong(1);
                reader.commit();
                return count;
            }
        }
    }

    /** GatewayDS's connection URL in the provisioned server's configuration. */
    private static String connectionUrl() throws Exception {
        String config = Files.readString(SERVER.resolve("standalone/configuration/standalone.xml"),
                StandardCharsets.UTF_8);
        Matcher datasource = Pattern.compile("<datasource[^>]*jndi-name=\"java:jboss/datasources/GatewayDS\""
                + "[^>]*>(.*?)</datasource>", Pattern.DOTALL).matcher(config);
        assertTrue(datasource.find(), "GatewayDS in " + SERVER);
        Matcher url = Pattern.compile("<connection-url>([^<]+)</connection-url>").matcher(datasource.group(1));
        assertTrue(url.find(), "GatewayDS has a connection URL");
        return url.group(1).trim();
    }

    private static Path h2Jar() throws Exception {
        try (Stream<Path> jars = Files.list(SERVER.resolve("modules/system/layers/base/com/h2database/h2/main"))) {
            List<Path> found = jars.filter(p -> p.getFileName().toString().endsWith(".jar")).toList();
            assertEquals(1, found.size(), "the server's H2 driver: " + found);
            return found.get(0);
        }
    }
}
