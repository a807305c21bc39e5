package dev.okube.apiserver.security;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Whiteboard services kept in the configured order of their names; services whose names the
 * configuration does not list come after, in arrival order. Readers get an immutable snapshot.
 */
final class Ordered<T> {
    private final Function<T, String> name;
    private final List<T> arrived = new ArrayList<>();
    private List<String> order = List.of();
    private volatile List<T> snapshot = List.of();

    Ordered(Function<T, String> name) {
        this.name = name;
    }

    synchronized void add(T service) {
        arrived.add(service);
        rebuild();
    }

    synchronized void remove(T service) {
        arrived.remove(service);
        rebuild();
    }

    synchronized void order(List<String> names) {
        order = List.copyOf(names);
        rebuild();
    }

    List<T> snapshot() {
        return snapshot;
    }

    private void rebuild() {
        List<T> sorted = new ArrayList<>();
        for (String wanted : order) {
            for (T t : arrived) {
                if (safeName(t).equalsIgnoreCase(wanted) && !sorted.contains(t)) {
                    sorted.add(t);
                }
            }
        }
        for (T t : arrived) {
            if (!sorted.contains(t)) {
                sorted.add(t);
            }
        }
        snapshot = List.copyOf(sorted);
    }

    private String safeName(T t) {
        try {
            return name.apply(t);
        } catch (RuntimeException e) {
            return "";
        }
    }
}
