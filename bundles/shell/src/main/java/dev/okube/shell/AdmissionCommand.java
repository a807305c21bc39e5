package dev.okube.shell;

import dev.okube.api.admission.AdmissionChainStatus;
import dev.okube.api.admission.AdmissionChainStatus.Plugin;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code kube:admission}: the admission plugins in effect, in the order they run, with the bundle
 * and version providing each and what each has cost so far.
 */
@Command(scope = "kube", name = "admission", description = "Lists the admission plugins in effect, in order, with "
        + "their bundle, version, call count and latency")
@Service
public class AdmissionCommand implements Action {
    @Reference
    AdmissionChainStatus chain;

    @Override
    public Object execute() {
        List<Plugin> plugins = chain.plugins();
        ShellTable table = new ShellTable();
        table.column("#").alignRight();
        table.column("Phase");
        table.column("Plugin");
        table.column("Bundle");
        table.column("Version");
        table.column("Calls").alignRight();
        table.column("Denied").alignRight();
        table.column("Errors").alignRight();
        table.column("Mean µs").alignRight();
        table.column("p99 µs").alignRight();
        int n = 0;
        for (Plugin p : plugins) {
            table.addRow().addContent(++n, p.phase(), p.name(), p.bundle(), p.bundleVersion(), p.calls(), p.denials(),
                    p.errors(), p.meanMicros(), p.p99Micros());
        }
        // Printed rather than returned: in bin/client's batch mode a returned value is not shown.
        table.print(System.out);
        List<String> missing = chain.missing();
        if (!missing.isEmpty()) {
            System.out.println("Configured but not installed: " + String.join(", ", missing));
        }
        return null;
    }
}
