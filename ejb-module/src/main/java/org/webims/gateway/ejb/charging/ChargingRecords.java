package org.webims.gateway.ejb.charging;

import jakarta.ejb.LocalBean;
import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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

    @Override
    public void delivered(List<Long> ids, Instant at) {
        for (int from = 0; from < ids.size(); from += 500) {
            em.createQuery("update ChargingRecord r set r.state = :state, r.deliveredAt = :at, "
                    + "r.attempts = r.attempts + 1, r.lastResult = '2001', r.lastAttemptAt = :at where r.id in :ids")
                    .setParameter("state", ChargingRecord.State.DELIVERED.name()).setParameter("at", at)
                    .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + 500))).executeUpdate();
        }
    }

    @Override
    public void failed(List<Attempt> attempts, Instant at) {
        Map<String, List<Long>> idsByWhy = attempts.stream().collect(Collectors.groupingBy(
                a -> ChargingRecord.clip(a.why(), ChargingRecord.MAX_RESULT), Collectors.mapping(Attempt::id,
                        Collectors.toList())));
        idsByWhy.forEach((why, ids) -> {
            for (int from = 0; from < ids.size(); from += 500) {
                em.createQuery("update ChargingRecord r set r.attempts = r.attempts + 1, r.lastResult = :why, "
                        + "r.lastAttemptAt = :at where r.id in :ids").setParameter("why", why).setParameter("at", at)
                        .setParameter("ids", ids.subList(from, Math.min(ids.size(), from + 500))).executeUpdate();
            }
        });
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
