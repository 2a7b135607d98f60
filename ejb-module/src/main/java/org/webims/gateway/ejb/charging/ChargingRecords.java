package org.webims.gateway.ejb.charging;

import jakarta.annotation.Resource;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * The charging records on {@code GatewayDS} (JPA): the outbox's store, one transaction per call, and the operator's
 * queries. Only the outbox thread and the admin API call it; never a SIP or Netty thread.
 */
@Stateless
@LocalBean
public class ChargingRecords implements OutboxStore {
    /** The most records one query returns. */
    public static final int MAX_LIST = 1000;

    @PersistenceContext(unitName = "gateway")
    private EntityManager em;

    @Resource(lookup = "java:jboss/datasources/GatewayDS")
    private DataSource dataSource;

    @Override
    public List<Stored> insert(List<NewRecord> records) {
        Instant now = Instant.now();
        List<ChargingRecord> entities = new ArrayList<>(records.size());
        for (NewRecord record : records) {
            ChargingRecord entity = new ChargingRecord(record.record(), record.message(), now);
            em.persist(entity);
            entities.add(entity);
        }
        em.flush();
        return entities.stream().map(e -> e.stored(Instant.MIN)).toList();
    }

    /*
     * The outbox marks records at the rate calls end, a batch per turn. These two updates are plain JDBC batches of one
     * constant SQL text (which H2's per-session query cache and the PostgreSQL driver's statement cache parse once):
     * Hibernate 6.6 translates a JPQL bulk update anew on every execution (its interpretation cache skips non-select
     * statements), and an IN list of a different length each turn is a new SQL text to parse as well; together they
     * were most of the outbox's CPU under load.
     */
    private static final String MARK_DELIVERED = "update GW_CHARGING_RECORD set STATE = ?, DELIVERED_AT = ?, "
            + "ATTEMPTS = ATTEMPTS + 1, LAST_RESULT = '2001', LAST_ATTEMPT_AT = ? where ID = ?";
    private static final String NOTE_FAILED = "update GW_CHARGING_RECORD set ATTEMPTS = ATTEMPTS + 1, "
            + "LAST_RESULT = ?, LAST_ATTEMPT_AT = ? where ID = ?";

    @Override
    public void delivered(List<Long> ids, Instant at) {
        OffsetDateTime when = at.atOffset(ZoneOffset.UTC); // how Hibernate binds an Instant (TIMESTAMP_UTC)
        batch(MARK_DELIVERED, ids, (statement, id) -> {
            statement.setString(1, ChargingRecord.State.DELIVERED.name());
            statement.setObject(2, when);
            statement.setObject(3, when);
            statement.setLong(4, id);
        });
    }

    @Override
    public void failed(List<Attempt> attempts, Instant at) {
        OffsetDateTime when = at.atOffset(ZoneOffset.UTC);
        batch(NOTE_FAILED, attempts, (statement, attempt) -> {
            statement.setString(1, ChargingRecord.clip(attempt.why(), ChargingRecord.MAX_RESULT));
            statement.setObject(2, when);
            statement.setLong(3, attempt.id());
        });
    }

    private interface Binder<T> {
        void bind(PreparedStatement statement, T row) throws SQLException;
    }

    /** One statement for every row, in this transaction (the pool's connection is enlisted in it). */
    private <T> void batch(String sql, List<T> rows, Binder<T> binder) {
        if (rows.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (T row : rows) {
                binder.bind(statement, row);
                statement.addBatch();
            }
            statement.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("charging records could not be updated: " + e.getMessage(), e);
        }
    }

    @Override
    public void rejected(long id, String why, Instant at) {
        ChargingRecord record = em.find(ChargingRecord.class, id);
        if (record != null) {
            record.rejected(why, at);
        }
    }

    @Override
    public List<Stored> pending(String originHost, long afterId, int limit, Instant startedAt) {
        return em.createQuery("select r from ChargingRecord r where r.state = :state and r.id > :after"
                + " and locate(:owner, r.sessionId) = 1 order by r.id", ChargingRecord.class)
                .setParameter("state", ChargingRecord.State.PENDING.name()).setParameter("after", afterId)
                .setParameter("owner", originHost + ";").setMaxResults(limit).getResultList().stream()
                .map(r -> r.stored(startedAt)).toList();
    }

    @Override
    public int purgeDelivered(Instant before) {
        return em.createQuery("delete from ChargingRecord r where r.state = :state and r.deliveredAt < :before")
                .setParameter("state", ChargingRecord.State.DELIVERED.name()).setParameter("before", before)
                .executeUpdate();
    }

    /** What an operator asks: by IMPU, time (when the record was made) and state, newest first. */
    public List<ChargingRecord> list(String impu, Instant from, Instant to, ChargingRecord.State state, int limit) {
        StringBuilder jpql = new StringBuilder("select r from ChargingRecord r where 1 = 1");
        if (impu != null) {
            jpql.append(" and r.impu = :impu");
        }
        if (from != null) {
            jpql.append(" and r.createdAt >= :from");
        }
        if (to != null) {
            jpql.append(" and r.createdAt < :to");
        }
        if (state != null) {
            jpql.append(" and r.state = :state");
        }
        jpql.append(" order by r.id desc");
        TypedQuery<ChargingRecord> query = em.createQuery(jpql.toString(), ChargingRecord.class);
        if (impu != null) {
            query.setParameter("impu", impu);
        }
        if (from != null) {
            query.setParameter("from", from);
        }
        if (to != null) {
            query.setParameter("to", to);
        }
        if (state != null) {
            query.setParameter("state", state.name());
        }
        return query.setMaxResults(Math.max(1, Math.min(limit, MAX_LIST))).getResultList();
    }

    /** How many records are in each state. */
    public Map<String, Long> countByState() {
        return em.createQuery("select r.state, count(r) from ChargingRecord r group by r.state", Object[].class)
                .getResultList().stream().collect(Collectors.toMap(row -> (String) row[0], row -> (Long) row[1]));
    }
}
