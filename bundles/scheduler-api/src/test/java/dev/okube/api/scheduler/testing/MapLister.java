package dev.okube.api.scheduler.testing;

import dev.okube.api.scheduler.Lister;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** An informer cache stand-in for plugin unit tests (the scheduler-api test jar): objects by namespace/name. */
public final class MapLister<T extends HasMetadata> implements Lister<T> {
    public final Map<String, T> objects = new ConcurrentHashMap<>();

    @SafeVarargs
    public static <T extends HasMetadata> MapLister<T> of(T... items) {
        MapLister<T> l = new MapLister<>();
        for (T t : items) {
            l.put(t);
        }
        return l;
    }

    public void put(T t) {
        objects.put(key(t.getMetadata().getNamespace(), t.getMetadata().getName()), t);
    }

    private static String key(String ns, String name) {
        return (ns == null ? "" : ns) + "/" + name;
    }

    @Override
    public List<T> list() {
        return List.copyOf(objects.values());
    }

    @Override
    public List<T> list(String namespace) {
        return objects.values().stream().filter(t -> Objects.equals(namespace, t.getMetadata().getNamespace())).toList();
    }

    @Override
    public T get(String namespace, String name) {
        T t = objects.get(key(namespace, name));
        return t != null ? t : objects.get(key(null, name));
    }
}
