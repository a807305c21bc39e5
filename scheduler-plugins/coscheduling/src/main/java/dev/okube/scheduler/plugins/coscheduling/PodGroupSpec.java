package dev.okube.scheduler.plugins.coscheduling;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;

/** A PodGroup's spec: how many members must be schedulable together, what they need, how long to wait. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class PodGroupSpec {
    private Integer minMember;
    private Map<String, Quantity> minResources;
    private Integer scheduleTimeoutSeconds;

    public Integer getMinMember() {
        return minMember;
    }

    public void setMinMember(Integer minMember) {
        this.minMember = minMember;
    }

    public Map<String, Quantity> getMinResources() {
        return minResources;
    }

    public void setMinResources(Map<String, Quantity> minResources) {
        this.minResources = minResources;
    }

    public Integer getScheduleTimeoutSeconds() {
        return scheduleTimeoutSeconds;
    }

    public void setScheduleTimeoutSeconds(Integer scheduleTimeoutSeconds) {
        this.scheduleTimeoutSeconds = scheduleTimeoutSeconds;
    }
}
