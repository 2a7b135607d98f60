package org.webims.gateway.ejb.policy;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.json.Json;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.StringReader;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.webims.gateway.ports.policy.CallPolicy;
import org.webims.gateway.ports.policy.EffectivePolicy;
import org.webims.gateway.ports.policy.Layer;
import org.webims.gateway.ports.policy.PolicySubject;

/**
 * The policy store (TS 22.228 §11.2: operator policy, subscription, provider, access network): entries persisted
 * with JPA on {@code GatewayDS}, every change audited in the same transaction, and the in-memory
 * {@link PolicyCatalogue} call control reads replaced once the change is committed. Reads of entries come from that
 * snapshot too. Bean-managed concurrency: no caller ever waits on a container lock.
 */
@Singleton
@Startup
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class PolicyStore {
    private static final Logger LOG = Logger.getLogger(PolicyStore.class.getName());
    public static final int MAX_CHANGES = 1000;
    /** The largest entry as stored (its JSON), within the document column of every supported database. */
    public static final int MAX_DOCUMENT = 60_000;

    @PersistenceContext(unitName = "gateway")
    private EntityManager em;

    @Resource
    private TransactionSynchronizationRegistry transactions;

    private final PolicyCatalogue catalogue = new PolicyCatalogue();
    private final Clock clock = Clock.systemUTC();

    @PostConstruct
    void load() {
        Map<PolicyKey, PolicyEntry> entries = new HashMap<>();
        for (PolicyRecord record : em.createQuery("select r from PolicyRecord r", PolicyRecord.class).getResultList()) {
            Layer layer = Layer.valueOf(record.layer());
            entries.put(new PolicyKey(layer, record.entryKey()), parse(record.document(), layer));
        }
        catalogue.load(PolicyLayers.of(entries));
        LOG.info(() -> "Policy loaded: " + entries.size() + " entries");
    }

    /** What call control asks: plain Java over the snapshot, never the database nor this bean. */
    public CallPolicy callPolicy() {
        return catalogue;
    }

    /** The catalogue itself, for plain-Java readers that must not go through this bean on every request. */
    public PolicyCatalogue catalogue() {
        return catalogue;
    }

    public Optional<PolicyEntry> entry(PolicyKey key) {
        return catalogue.snapshot().get(key);
    }

    /** The entries of a layer by key, at most {@code limit}, subscribers optionally by IMPU prefix. */
    public Map<String, PolicyEntry> list(Layer layer, String prefix, int limit) {
        Map<String, PolicyEntry> all = catalogue.snapshot().layer(layer);
        Map<String, PolicyEntry> listed = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, PolicyEntry> e : all.entrySet()) {
            if (listed.size() >= limit) {
                break;
            }
            if (prefix == null || e.getKey().startsWith(prefix)) {
                listed.put(e.getKey(), e.getValue());
            }
        }
        return listed;
    }

    public EffectivePolicy effective(PolicySubject subject) {
        return PolicyCombiner.combine(catalogue.snapshot(), subject);
    }

    /** Sets an entry (replacing the whole of it); true when it did not exist. Audited as {@code who}. */
    public boolean put(PolicyKey key, PolicyEntry entry, String who) {
        PolicyRules.checkKey(key.layer(), key.key());
        PolicyRules.check(entry);
        checkOrigins(key, entry);
        String document = PolicyJson.write(entry).toString();
        if (document.length() > MAX_DOCUMENT) {
            throw new InvalidPolicy("body", "the entry is " + document.length() + " characters long, more than "
                    + MAX_DOCUMENT);
        }
        // concurrent changes of one entry wait for each other, so each audits the right "before"
        PolicyRecord record = em.find(PolicyRecord.class, key.id(), LockModeType.PESSIMISTIC_WRITE);
        boolean created = record == null;
        String beforeDocument = record == null ? null : record.document();
        PolicyEntry before = beforeDocument == null ? null : parse(beforeDocument, key.layer());
        if (record == null) {
            record = new PolicyRecord(key, document, clock.instant());
            em.persist(record);
        } else {
            record.update(document, clock.instant());
        }
        PolicyChange change = new PolicyChange(clock.instant(), who, key, "PUT", beforeDocument, document);
        em.persist(change);
        em.flush();
        afterCommit(key, before, entry, change.id());
        LOG.info(() -> "Policy " + key.id() + " set by " + who + ": " + document);
        return created;
    }

    /** Removes an entry; false when there was none. Audited as {@code who}. */
    public boolean delete(PolicyKey key, String who) {
        PolicyRecord record = em.find(PolicyRecord.class, key.id(), LockModeType.PESSIMISTIC_WRITE);
        if (record == null) {
            return false;
        }
        PolicyEntry before = parse(record.document(), key.layer());
        em.remove(record);
        PolicyChange change = new PolicyChange(clock.instant(), who, key, "DELETE", record.document(), null);
        em.persist(change);
        em.flush();
        afterCommit(key, before, null, change.id());
        LOG.info(() -> "Policy " + key.id() + " deleted by " + who);
        return true;
    }

    /** The most recent changes first. */
    public List<PolicyChange> changes(int limit) {
        return em.createQuery("select c from PolicyChange c order by c.id desc", PolicyChange.class)
                .setMaxResults(Math.max(1, Math.min(limit, MAX_CHANGES))).getResultList();
    }

    /** An Origin names one provider, and a guest identity too: another provider's claim is a conflict (409). */
    private void checkOrigins(PolicyKey key, PolicyEntry entry) {
        if (key.layer() != Layer.PROVIDER) {
            return;
        }
        if (entry.guestPool() != null) {
            catalogue.snapshot().layer(Layer.PROVIDER).forEach((other, otherEntry) -> {
                if (!other.equals(key.key()) && otherEntry.guestPool() != null
                        && entry.guestPool().overlaps(otherEntry.guestPool())) {
                    throw new InvalidPolicy("guestPool", "guestPool: its identities could be those of provider "
                            + other + "'s pool", true);
                }
            });
        }
        if (entry.origins() == null) {
            return;
        }
        for (String origin : entry.origins()) {
            Optional<String> owner = catalogue.snapshot().providerOf(origin);
            if (owner.isPresent() && !owner.get().equals(key.key())) {
                throw new InvalidPolicy("origins", "origins: " + origin + " already belongs to provider "
                        + owner.get(), true);
            }
        }
    }

    /** The snapshot changes (and barred subscribers lose their calls) only once the change is committed. */
    /** {@code sequence}: the audit row's id, increasing with every change, so later changes win in memory too. */
    private void afterCommit(PolicyKey key, PolicyEntry before, PolicyEntry after, long sequence) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    catalogue.changed(key, before, after, sequence);
                }
            }
        });
    }

    private static PolicyEntry parse(String document, Layer layer) {
        return PolicyJson.read(Json.createReader(new StringReader(document)).readValue(), layer);
    }
}
