package org.webims.gateway.ejb.policy;

import org.webims.gateway.ports.identity.AccessTokens;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.webims.gateway.ports.policy.CallPolicy;
import org.webims.gateway.ports.policy.EffectivePolicy;
import org.webims.gateway.ports.policy.Layer;
import org.webims.gateway.ports.policy.PolicySubject;
import org.webims.gateway.ports.policy.Source;

/**
 * The policy call control asks: plain Java over the current {@link PolicyLayers} snapshot, so {@link #policyFor}
 * completes at once on the caller's thread without a database, a lock or an EJB proxy. {@link PolicyStore} replaces
 * the snapshot after each committed change and tells the barring listeners.
 */
public final class PolicyCatalogue implements CallPolicy {
    private static final Logger LOG = Logger.getLogger(PolicyCatalogue.class.getName());
    private final AtomicReference<PolicyLayers> current = new AtomicReference<>(PolicyLayers.EMPTY);
    private final List<BarringListener> listeners = new CopyOnWriteArrayList<>();
    /** The sequence (audit id) of the last change applied per entry. */
    private final java.util.Map<PolicyKey, Long> versions = new java.util.HashMap<>();

    @Override
    public CompletionStage<EffectivePolicy> policyFor(PolicySubject subject) {
        return CompletableFuture.completedFuture(PolicyCombiner.combine(current.get(), subject));
    }

    @Override
    public void watchBarring(BarringListener listener) {
        listeners.add(listener);
    }

    /** Whether a web page of this Origin (RFC 6454) belongs to the provider. */
    public boolean isOriginOf(String provider, String origin) {
        if (AccessTokens.OPERATOR.equals(provider)) {
            // the operator's pages are those of no third party; a page with no Origin (or "null") is nobody's
            return origin != null && !origin.isBlank() && !"null".equals(origin)
                    && current.get().providerOf(origin).isEmpty();
        }
        return current.get().providerOf(origin).map(provider::equals).orElse(false);
    }

    public PolicyLayers snapshot() {
        return current.get();
    }

    public void load(PolicyLayers layers) {
        current.set(layers);
    }

    /** A committed change: the snapshot replaced; a subscriber newly barred is told to call control. */
    public synchronized void changed(PolicyKey key, PolicyEntry before, PolicyEntry after, long sequence) {
        // commits of one entry may reach here out of order: an older one never overwrites a newer one
        if (versions.getOrDefault(key, -1L) >= sequence) {
            return;
        }
        versions.put(key, sequence);
        // barred now and not in what call control saw until now (not the transaction's "before": a change that
        // committed earlier may reach here later and be skipped)
        boolean wasBarred = current.get().get(key).map(PolicyEntry::isBarred).orElse(false);
        current.updateAndGet(layers -> layers.with(key, after));
        boolean newlyBarred = key.layer() == Layer.SUBSCRIBER && after != null && after.isBarred() && !wasBarred;
        if (newlyBarred) {
            Source source = new Source(Layer.SUBSCRIBER, key.key());
            for (BarringListener listener : listeners) {
                try {
                    listener.subscriberBarred(key.key(), source);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "A barring listener failed for " + key.key(), e);
                }
            }
        }
    }
}
