package dev.okube.scheduler.plugins.noderesources;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

/** Defaulting and validation of NodeResourcesFitArgs and NodeResourcesBalancedAllocationArgs (upstream's validation_pluginargs_test.go). */
class ArgsTest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static FitArgs fit(String json) {
        return FitArgs.parse(JSON.readTree(json));
    }

    @Test
    void defaults() {
        assertEquals(FitArgs.DEFAULTS, FitArgs.parse(null));
        FitArgs empty = fit("{}");
        assertEquals("LeastAllocated", empty.strategy());
        assertEquals(List.of(new ResourceSpec("cpu", 1), new ResourceSpec("memory", 1)), empty.resources());
        FitArgs typeOnly = fit("{\"scoringStrategy\":{\"type\":\"MostAllocated\"}}");
        assertEquals(ResourceSpec.DEFAULTS, typeOnly.resources());
        FitArgs weightless = fit("{\"scoringStrategy\":{\"type\":\"MostAllocated\",\"resources\":[{\"name\":\"cpu\"}]}}");
        assertEquals(List.of(new ResourceSpec("cpu", 1)), weightless.resources());
        FitArgs full = fit("{\"apiVersion\":\"kubescheduler.config.k8s.io/v1\",\"kind\":\"NodeResourcesFitArgs\","
                + "\"ignoredResources\":[\"example.com/foo\"],\"ignoredResourceGroups\":[\"example.org\"],"
                + "\"scoringStrategy\":{\"type\":\"RequestedToCapacityRatio\",\"resources\":[{\"name\":\"cpu\",\"weight\":3}],"
                + "\"requestedToCapacityRatio\":{\"shape\":[{\"utilization\":0,\"score\":0},{\"utilization\":100,\"score\":10}]}}}");
        assertEquals(Set.of("example.com/foo"), full.ignoredResources());
        assertEquals(Set.of("example.org"), full.ignoredResourceGroups());
        assertEquals(2, full.shape().size());
        assertInstanceOf(Fit.class, new FitFactory().create(JSON.readTree("{}"), null));
        assertInstanceOf(BalancedAllocation.class, new BalancedAllocationFactory().create(null, null));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "IgnoredResources: too long value|{\"ignoredResources\":[\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"]}|ignoredResources[0]",
        "IgnoredResources: name is empty|{\"ignoredResources\":[\"example.com/\"]}|ignoredResources[0]",
        "IgnoredResources: name has too many slash|{\"ignoredResources\":[\"example.com/aaa/bbb\"]}|ignoredResources[0]",
        "IgnoredResourceGroups: name is empty|{\"ignoredResourceGroups\":[\"\"]}|ignoredResourceGroups[0]",
        "IgnoredResourceGroups: name contains slashes|{\"ignoredResourceGroups\":[\"example.com/aa\"]}|resource group name can't contain '/'",
        "ScoringStrategy: type is unsupported|{\"scoringStrategy\":{\"type\":\"Invalid\"}}|scoringStrategy.type: Unsupported value: \"Invalid\"",
        "ScoringStrategy: type is missing|{\"scoringStrategy\":{}}|scoringStrategy.type: Unsupported value",
        "ScoringStrategy: weight is negative|{\"scoringStrategy\":{\"type\":\"LeastAllocated\",\"resources\":[{\"name\":\"memory\",\"weight\":-1},{\"name\":\"cpu\",\"weight\":1}]}}|scoringStrategy.resources[0].weight",
        "ScoringStrategy: weight larger than MaxNodeScore|{\"scoringStrategy\":{\"type\":\"LeastAllocated\",\"resources\":[{\"name\":\"memory\",\"weight\":1},{\"name\":\"cpu\",\"weight\":101}]}}|scoringStrategy.resources[1].weight",
        "RequestedToCapacityRatio: no shape|{\"scoringStrategy\":{\"type\":\"RequestedToCapacityRatio\"}}|at least one point must be specified",
        "RequestedToCapacityRatio: unsorted|{\"scoringStrategy\":{\"type\":\"RequestedToCapacityRatio\",\"requestedToCapacityRatio\":{\"shape\":[{\"utilization\":50,\"score\":1},{\"utilization\":10,\"score\":2}]}}}|utilization values must be sorted in increasing order",
        "RequestedToCapacityRatio: duplicated utilization|{\"scoringStrategy\":{\"type\":\"RequestedToCapacityRatio\",\"requestedToCapacityRatio\":{\"shape\":[{\"utilization\":10,\"score\":1},{\"utilization\":10,\"score\":2}]}}}|utilization values must be sorted in increasing order",
        "RequestedToCapacityRatio: utilization too large|{\"scoringStrategy\":{\"type\":\"RequestedToCapacityRatio\",\"requestedToCapacityRatio\":{\"shape\":[{\"utilization\":10,\"score\":1},{\"utilization\":110,\"score\":2}]}}}|shape[1].utilization: Invalid value: 110: not in valid range [0, 100]",
        "RequestedToCapacityRatio: score too large|{\"scoringStrategy\":{\"type\":\"RequestedToCapacityRatio\",\"requestedToCapacityRatio\":{\"shape\":[{\"utilization\":10,\"score\":11}]}}}|shape[0].score: Invalid value: 11: not in valid range [0, 10]",
        "RequestedToCapacityRatio: negative score|{\"scoringStrategy\":{\"type\":\"RequestedToCapacityRatio\",\"requestedToCapacityRatio\":{\"shape\":[{\"utilization\":10,\"score\":-1}]}}}|not in valid range [0, 10]",
        "unknown field|{\"ignoredResource\":[]}|unknown field \"ignoredResource\"",
        "wrong type|{\"ignoredResources\":\"example.com/foo\"}|ignoredResources: must be a list of strings"
    })
    void invalidFitArgs(String name, String json, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fit(json));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "duplicated resources|{\"resources\":[{\"name\":\"cpu\",\"weight\":1},{\"name\":\"cpu\",\"weight\":1}]}|resources[1].name: Duplicate value: \"cpu\"",
        "weight is not 1|{\"resources\":[{\"name\":\"cpu\",\"weight\":2},{\"name\":\"memory\",\"weight\":1}]}|resources[0].weight: Invalid value: 2: must be 1",
        "unknown field|{\"resource\":[]}|unknown field"
    })
    void invalidBalancedAllocationArgs(String name, String json, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BalancedAllocation.parseArgs(JSON.readTree(json)));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void balancedAllocationDefaults() {
        assertEquals(ResourceSpec.DEFAULTS, BalancedAllocation.parseArgs(JSON.readTree("{}")));
        assertEquals(List.of(new ResourceSpec("cpu", 1), new ResourceSpec("nvidia.com/gpu", 1)),
                BalancedAllocation.parseArgs(JSON.readTree("{\"resources\":[{\"name\":\"cpu\"},{\"name\":\"nvidia.com/gpu\",\"weight\":1}]}")));
    }
}
