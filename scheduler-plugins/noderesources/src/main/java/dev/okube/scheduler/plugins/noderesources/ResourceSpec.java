package dev.okube.scheduler.plugins.noderesources;

/**
 * One resource a scoring strategy looks at, with its weight, as upstream's config.ResourceSpec.
 *
 * @param name   the resource name, e.g. "cpu", "memory", "nvidia.com/gpu"
 * @param weight the weight (1-100)
 */
public record ResourceSpec(String name, long weight) {
    /** cpu and memory, weight 1 each: upstream's default for both plugins. */
    static final java.util.List<ResourceSpec> DEFAULTS = java.util.List.of(new ResourceSpec("cpu", 1),
            new ResourceSpec("memory", 1));
}
