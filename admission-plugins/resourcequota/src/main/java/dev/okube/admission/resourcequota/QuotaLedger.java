package dev.okube.admission.resourcequota;

import dev.okube.api.resources.ResourceType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.osgi.service.component.annotations.Component;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the admission plugin and the controller of this bundle share, so that they never undo each
 * other's work (upstream's separate processes can, until the next resync):
 * <ul>
 * <li>a lock per namespace: an admission's check-and-charge and a controller's recount of the same
 * namespace never interleave;</li>
 * <li>the objects admission charged whose creation is not yet visible (admitted, not yet stored or
 * not yet in the watch cache). The controller counts them as if they existed, so a recount right
 * then does not release their charge; once the object is seen the entry goes, and if it never
 * appears (the create failed after admission) the entry expires and the recount releases it.</li>
 * </ul>
 */
@Component(service = QuotaLedger.class)
public final class QuotaLedger {
    /** One admitted, charged create. */
    record Charge(String namespace, ResourceType resource, String name, ObjectNode object, Instant expires) {
    }

    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, Charge> charges = new ConcurrentHashMap<>();
    private final List<Consumer<Charge>> listeners = new CopyOnWriteArrayList<>();
    private final Duration ttl;

    public QuotaLedger() {
        this(Duration.ofSeconds(30));
    }

    QuotaLedger(Duration ttl) {
        this.ttl = ttl;
    }

    /** Locks a namespace; false when it stayed busy for the whole timeout. */
    boolean lock(String namespace, long timeoutMillis) throws InterruptedException {
        return locks.computeIfAbsent(namespace, n -> new ReentrantLock(true)).tryLock(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    void unlock(String namespace) {
        locks.get(namespace).unlock();
    }

    /** Records a charged create (call with the namespace locked, after the quotas were written). */
    void charged(String namespace, ResourceType resource, String name, ObjectNode object, Instant now) {
        Charge charge = new Charge(namespace, resource, name, object.deepCopy(), now.plus(ttl));
        charges.put(key(namespace, resource, name), charge);
        for (Consumer<Charge> listener : listeners) {
            listener.accept(charge);
        }
    }

    /** The created object is visible now: it counts by itself. */
    void seen(String namespace, ResourceType resource, String name) {
        charges.remove(key(namespace, resource, name));
    }

    /** The charges of a namespace and resource still pending at {@code now}; expired ones are dropped. */
    List<Charge> pending(String namespace, ResourceType resource, Instant now) {
        List<Charge> result = new ArrayList<>();
        for (Charge c : charges.values()) {
            if (!c.expires().isAfter(now)) {
                charges.remove(key(c.namespace(), c.resource(), c.name()), c);
            } else if (c.namespace().equals(namespace) && c.resource().equals(resource)) {
                result.add(c);
            }
        }
        return result;
    }

    /** Tells a listener (the controller) of every new charge, e.g. to recount when it expires. */
    AutoCloseable listen(Consumer<Charge> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    int size() {
        return charges.size();
    }

    private static String key(String namespace, ResourceType resource, String name) {
        return namespace + "/" + resource + "/" + name;
    }
}
