package dev.okube.scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.Lister;
import dev.okube.api.scheduler.Plugin;
import dev.okube.api.scheduler.PluginFactory;
import dev.okube.scheduler.framework.PluginRegistry;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import tools.jackson.databind.JsonNode;

/** Pods, nodes, factories and a fake apiserver for the scheduler's tests. */
public final class TestObjects {
    private TestObjects() {
    }

    public static Pod pod(String name) {
        return pod(name, 0, null);
    }

    public static Pod pod(String name, int priority, String schedulerName) {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid(UUID.randomUUID().toString())
                .withResourceVersion("1").endMetadata()
                .withNewSpec().withPriority(priority).withSchedulerName(schedulerName)
                .addNewContainer().withName("c").withImage("busybox").withNewResources()
                .withRequests(Map.of("cpu", new Quantity("100m"))).endResources().endContainer().endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build();
    }

    public static Node node(String name, String zone) {
        NodeBuilder b = new NodeBuilder().withNewMetadata().withName(name).withUid(UUID.randomUUID().toString()).endMetadata();
        if (zone != null) {
            b.editMetadata().addToLabels("topology.kubernetes.io/zone", zone).endMetadata();
        }
        return b.withNewStatus().withAllocatable(Map.of("cpu", new Quantity("4"), "memory", new Quantity("8Gi"),
                "pods", new Quantity("110"))).endStatus().build();
    }

    public static Pod bound(Pod pod, String nodeName) {
        return new PodBuilder(pod).editSpec().withNodeName(nodeName).endSpec().editMetadata().withResourceVersion("2")
                .endMetadata().build();
    }

    public static PluginFactory factory(String name, BiFunction<JsonNode, FrameworkHandle, Plugin> create) {
        return new PluginFactory() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Plugin create(JsonNode args, FrameworkHandle handle) {
                return create.apply(args, handle);
            }
        };
    }

    public static PluginRegistry registry(PluginFactory... factories) {
        Map<String, PluginRegistry.Entry> m = new java.util.HashMap<>();
        for (PluginFactory f : factories) {
            m.put(f.name(), new PluginRegistry.Entry(f, "test.bundle." + f.name(), "1.0.0"));
        }
        return new PluginRegistry(m);
    }

    /** An apiserver in memory: informer handlers called synchronously, writes recorded. */
    public static final class FakeCluster implements Cluster {
        final Map<Class<?>, List<Handler<?>>> handlers = new ConcurrentHashMap<>();
        public final List<String> patches = Collections.synchronizedList(new ArrayList<>());
        public final List<Map<String, Object>> events = Collections.synchronizedList(new ArrayList<>());
        final Map<Class<?>, List<HasMetadata>> objects = new ConcurrentHashMap<>();

        @Override
        public <T extends HasMetadata> AutoCloseable watch(Class<T> type, Handler<T> handler) {
            handlers.computeIfAbsent(type, k -> new CopyOnWriteArrayList<>()).add(handler);
            for (HasMetadata o : objects.getOrDefault(type, List.of())) {
                handler.onAdd(type.cast(o));
            }
            return () -> handlers.get(type).remove(handler);
        }

        @SuppressWarnings("unchecked")
        <T> List<Handler<T>> of(Class<T> type) {
            List<Handler<T>> out = new ArrayList<>();
            for (Handler<?> h : handlers.getOrDefault(type, List.of())) {
                out.add((Handler<T>) h);
            }
            return out;
        }

        public <T extends HasMetadata> void add(Class<T> type, T obj) {
            objects.computeIfAbsent(type, k -> new CopyOnWriteArrayList<>()).add(obj);
            of(type).forEach(h -> h.onAdd(obj));
        }

        public <T extends HasMetadata> void update(Class<T> type, T oldObj, T newObj) {
            List<HasMetadata> l = objects.computeIfAbsent(type, k -> new CopyOnWriteArrayList<>());
            l.remove(oldObj);
            l.add(newObj);
            of(type).forEach(h -> h.onUpdate(oldObj, newObj));
        }

        public <T extends HasMetadata> void delete(Class<T> type, T obj) {
            objects.getOrDefault(type, new ArrayList<>()).remove(obj);
            of(type).forEach(h -> h.onDelete(obj));
        }

        @Override
        public <T extends HasMetadata> Lister<T> lister(Class<T> type) {
            return new Lister<>() {
                @Override
                public List<T> list() {
                    List<T> out = new ArrayList<>();
                    objects.getOrDefault(type, List.of()).forEach(o -> out.add(type.cast(o)));
                    return out;
                }

                @Override
                public List<T> list(String namespace) {
                    List<T> out = new ArrayList<>();
                    for (T t : list()) {
                        if (namespace.equals(t.getMetadata().getNamespace())) {
                            out.add(t);
                        }
                    }
                    return out;
                }

                @Override
                public T get(String namespace, String name) {
                    for (T t : list()) {
                        if (name.equals(t.getMetadata().getName())) {
                            return t;
                        }
                    }
                    return null;
                }
            };
        }

        @Override
        public void patchPodStatus(String namespace, String name, String patch) {
            patches.add(namespace + "/" + name + " " + patch);
        }

        @Override
        public void createEvent(String namespace, Map<String, Object> event) {
            events.add(event);
        }

        public List<String> notes(String reason) {
            List<String> out = new ArrayList<>();
            for (Map<String, Object> e : List.copyOf(events)) {
                if (reason.equals(e.get("reason"))) {
                    out.add((String) e.get("message"));
                }
            }
            return Collections.unmodifiableList(out);
        }
    }
}
