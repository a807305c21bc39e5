package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.HashMap;
import java.util.Map;

/**
 * Compute resources in the scheduler's units, as upstream's framework.Resource: CPU in millicores,
 * memory and ephemeral storage in bytes, the pod count, and extended resources (GPUs, hugepages...)
 * by name. Mutable, for the cache's bookkeeping: a {@link NodeInfo}'s resources are read-only to
 * plugins; {@link #copy()} first.
 */
public final class Resource {
    public static final String CPU = "cpu";
    public static final String MEMORY = "memory";
    public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
    public static final String PODS = "pods";

    private long milliCpu;
    private long memory;
    private long ephemeralStorage;
    private long allowedPodNumber;
    private Map<String, Long> scalarResources = Map.of();

    public long milliCpu() {
        return milliCpu;
    }

    public long memory() {
        return memory;
    }

    public long ephemeralStorage() {
        return ephemeralStorage;
    }

    public long allowedPodNumber() {
        return allowedPodNumber;
    }

    /** Extended and hugepages resources by name (never cpu, memory, ephemeral-storage or pods). */
    public Map<String, Long> scalarResources() {
        return scalarResources;
    }

    /** The amount of resource {@code name} in the scheduler's units. */
    public long get(String name) {
        return switch (name) {
            case CPU -> milliCpu;
            case MEMORY -> memory;
            case EPHEMERAL_STORAGE -> ephemeralStorage;
            case PODS -> allowedPodNumber;
            default -> scalarResources.getOrDefault(name, 0L);
        };
    }

    public Resource set(String name, long value) {
        switch (name) {
            case CPU -> milliCpu = value;
            case MEMORY -> memory = value;
            case EPHEMERAL_STORAGE -> ephemeralStorage = value;
            case PODS -> allowedPodNumber = value;
            default -> {
                if (scalarResources.isEmpty()) {
                    scalarResources = new HashMap<>();
                }
                scalarResources.put(name, value);
            }
        }
        return this;
    }

    /** Adds {@code name}'s amount from a Kubernetes quantity. */
    public Resource add(String name, Quantity quantity) {
        return set(name, get(name) + toUnits(name, quantity));
    }

    /** Adds every resource of {@code other}. */
    public Resource add(Resource other) {
        milliCpu += other.milliCpu;
        memory += other.memory;
        ephemeralStorage += other.ephemeralStorage;
        allowedPodNumber += other.allowedPodNumber;
        other.scalarResources.forEach((k, v) -> set(k, get(k) + v));
        return this;
    }

    /** Subtracts every resource of {@code other}. */
    public Resource subtract(Resource other) {
        milliCpu -= other.milliCpu;
        memory -= other.memory;
        ephemeralStorage -= other.ephemeralStorage;
        allowedPodNumber -= other.allowedPodNumber;
        other.scalarResources.forEach((k, v) -> set(k, get(k) - v));
        return this;
    }

    /** Sets each resource to the larger of this and {@code other} (init containers against the main ones). */
    public Resource max(Resource other) {
        milliCpu = Math.max(milliCpu, other.milliCpu);
        memory = Math.max(memory, other.memory);
        ephemeralStorage = Math.max(ephemeralStorage, other.ephemeralStorage);
        allowedPodNumber = Math.max(allowedPodNumber, other.allowedPodNumber);
        other.scalarResources.forEach((k, v) -> set(k, Math.max(get(k), v)));
        return this;
    }

    public Resource copy() {
        Resource r = new Resource();
        r.milliCpu = milliCpu;
        r.memory = memory;
        r.ephemeralStorage = ephemeralStorage;
        r.allowedPodNumber = allowedPodNumber;
        r.scalarResources = scalarResources.isEmpty() ? Map.of() : new HashMap<>(scalarResources);
        return r;
    }

    /** A resource list (e.g. a node's allocatable) in scheduler units. */
    public static Resource of(Map<String, Quantity> list) {
        Resource r = new Resource();
        if (list != null) {
            list.forEach(r::add);
        }
        return r;
    }

    /** A quantity in the scheduler's unit for {@code name}: millicores for cpu, else whole units rounded up. */
    public static long toUnits(String name, Quantity quantity) {
        if (quantity == null) {
            return 0;
        }
        BigDecimal amount = Quantity.getAmountInBytes(quantity);
        if (CPU.equals(name)) {
            amount = amount.movePointRight(3);
        }
        return amount.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    @Override
    public String toString() {
        return "Resource{cpu=" + milliCpu + "m, memory=" + memory + ", ephemeral-storage=" + ephemeralStorage
                + ", pods=" + allowedPodNumber + (scalarResources.isEmpty() ? "" : ", " + scalarResources) + "}";
    }
}
