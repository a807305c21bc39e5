package dev.okube.testkit;

import dev.okube.api.resources.ClusterResources;
import dev.okube.api.resources.ResourceEvent;
import dev.okube.api.resources.ResourceType;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import tools.jackson.databind.node.ObjectNode;

/**
 * Passes every call to another ClusterResources (usually an {@link InMemoryClusterResources}); tests
 * subclass it and override the calls they want to fail or observe, as an apiserver that refuses or
 * conflicts would.
 */
public class ForwardingResources implements ClusterResources {
    private final ClusterResources delegate;

    public ForwardingResources(ClusterResources delegate) {
        this.delegate = delegate;
    }

    @Override
    public boolean serves(ResourceType type) {
        return delegate.serves(type);
    }

    @Override
    public Optional<ObjectNode> get(ResourceType type, String namespace, String name) {
        return delegate.get(type, namespace, name);
    }

    @Override
    public List<ObjectNode> list(ResourceType type, String namespace) {
        return delegate.list(type, namespace);
    }

    @Override
    public AutoCloseable watch(ResourceType type, Consumer<ResourceEvent> handler) {
        return delegate.watch(type, handler);
    }

    @Override
    public ObjectNode create(ResourceType type, ObjectNode object) {
        return delegate.create(type, object);
    }

    @Override
    public ObjectNode update(ResourceType type, ObjectNode object) {
        return delegate.update(type, object);
    }

    @Override
    public ObjectNode updateStatus(ResourceType type, ObjectNode object) {
        return delegate.updateStatus(type, object);
    }

    @Override
    public void delete(ResourceType type, String namespace, String name) {
        delegate.delete(type, namespace, name);
    }
}
