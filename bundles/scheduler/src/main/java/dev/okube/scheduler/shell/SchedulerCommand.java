package dev.okube.scheduler.shell;

import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

import dev.okube.scheduler.status.SchedulerStatus;
import dev.okube.scheduler.status.SchedulerStatus.PluginSlot;
import dev.okube.scheduler.status.SchedulerStatus.ProfileStatus;

/**
 * {@code kube:scheduler}: per profile, each extension point's plugins in order with weight, bundle and
 * version, the missing plugins, queue lengths, counts and cycle latency.
 */
@Command(scope = "kube", name = "scheduler", description = "Lists the scheduler's profiles: plugins per extension point "
        + "(weight, bundle, version), missing plugins, queue lengths, scheduled/failed counts and cycle latency")
@Service
public class SchedulerCommand implements Action {
    @Reference
    SchedulerStatus scheduler;

    @Option(name = "--no-format", description = "Disable table rendered output")
    boolean noFormat;

    @Override
    public Object execute() {
        for (ProfileStatus p : scheduler.profiles()) {
            System.out.printf("Profile %s: active %d, backoff %d, unschedulable %d; scheduled %d, failed %d; "
                            + "cycle mean %.3f ms, p99 %.3f ms%n", p.schedulerName(), p.active(), p.backoff(), p.unschedulable(),
                    p.scheduled(), p.failed(), p.meanCycleMillis(), p.p99CycleMillis());
            ShellTable table = new ShellTable();
            table.column("Extension point");
            table.column("#").alignRight();
            table.column("Plugin");
            table.column("Weight").alignRight();
            table.column("Bundle");
            table.column("Version");
            for (Map.Entry<String, List<PluginSlot>> e : p.extensionPoints().entrySet()) {
                int n = 0;
                for (PluginSlot s : e.getValue()) {
                    table.addRow().addContent(e.getKey(), ++n, s.name(), s.weight() == 0 ? "" : s.weight(),
                            s.bundle() == null ? "(missing)" : s.bundle(), s.version() == null ? "" : s.version());
                }
            }
            // Printed rather than returned: in bin/client's batch mode a returned value is not shown.
            table.print(System.out, !noFormat);
            for (String problem : p.problems()) {
                System.out.println("  ! " + problem);
            }
            System.out.println();
        }
        return null;
    }
}
