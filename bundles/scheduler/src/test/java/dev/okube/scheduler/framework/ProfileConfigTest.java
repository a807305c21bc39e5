package dev.okube.scheduler.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.okube.scheduler.framework.ProfileConfig.PluginRef;

class ProfileConfigTest {
    private static List<String> names(List<PluginRef> refs) {
        List<String> out = new ArrayList<>();
        refs.forEach(r -> out.add(r.toString()));
        return out;
    }

    @Test
    void theDefaultProfileIsUpstreamsDefaultPluginSet() {
        ProfileConfig p = ProfileConfig.defaultProfile();
        assertEquals("default-scheduler", p.schedulerName());
        assertEquals(List.of("SchedulingGates", "PrioritySort", "NodeUnschedulable", "NodeName", "TaintToleration:3",
                "NodeAffinity:2", "NodePorts", "NodeResourcesFit:1", "VolumeRestrictions", "VolumeBinding", "VolumeZone",
                "PodTopologySpread:2", "InterPodAffinity:2", "DefaultPreemption", "NodeResourcesBalancedAllocation:1",
                "ImageLocality:1", "DefaultBinder"), names(p.multiPoint()));
    }

    @Test
    void customMultiPointIsMergedAsUpstreamsMergePluginSet() {
        ProfileConfig p = ProfileConfig.parse(Map.of("multiPoint", "NodeAffinity:5,Coscheduling",
                "disabled", "ImageLocality,VolumeZone"));
        List<String> n = names(p.multiPoint());
        assertEquals("NodeAffinity:5", n.get(5), "re-configured in place");
        assertEquals("Coscheduling", n.get(n.size() - 1), "appended");
        assertEquals(16, n.size());
        ProfileConfig only = ProfileConfig.parse(Map.of("disabled", "*", "multiPoint", "A,B"));
        assertEquals(List.of("A", "B"), names(only.multiPoint()));
    }

    @Test
    void theShippedDefaultFileIsTheDefault() {
        ProfileConfig shipped = ProfileConfig.parse(Map.of("schedulerName", "default-scheduler", "multiPoint",
                "SchedulingGates,PrioritySort,NodeUnschedulable,NodeName,TaintToleration:3,NodeAffinity:2,"
                        + "NodePorts,NodeResourcesFit:1,VolumeRestrictions,VolumeBinding,VolumeZone,PodTopologySpread:2,"
                        + "InterPodAffinity:2,DefaultPreemption,NodeResourcesBalancedAllocation:1,ImageLocality:1,DefaultBinder",
                "disabled", "", "pluginConfig", "", "percentageOfNodesToScore", ""));
        assertEquals(ProfileConfig.defaultProfile(), shipped);
    }

    @Test
    void perPointListsAndArgs() {
        ProfileConfig p = ProfileConfig.parse(Map.of("schedulerName", "gang", "permit", "Coscheduling",
                "score", "NodeResourcesFit:3", "pluginConfig", "{\"Coscheduling\":{\"permitWaitingTimeSeconds\":10}}",
                "percentageOfNodesToScore", "30"));
        assertEquals(List.of("Coscheduling"), names(p.enabled().get(ExtensionPoint.PERMIT)));
        assertEquals(List.of("NodeResourcesFit:3"), names(p.enabled().get(ExtensionPoint.SCORE)));
        assertEquals(10, p.args("Coscheduling").get("permitWaitingTimeSeconds").asInt());
        assertEquals("{}", p.args("Other").toString());
        assertEquals(30, p.percentageOfNodesToScore());
    }
}
