package dev.okube.api.scheduler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** Reads objects of one kind from the scheduler's informer cache (never from the apiserver). Do not change them. */
@ProviderType
public interface Lister<T extends HasMetadata> {
    List<T> list();

    List<T> list(String namespace);

    /** The object, or null; {@code namespace} is ignored for cluster-scoped kinds. */
    T get(String namespace, String name);
}
