package io.kplane.cli;

import io.kplane.client.ApiResource;
import io.kplane.client.KubeClient;
import io.kplane.client.ListOptions;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kplane diagnose}: fetches the cluster's objects and prints what {@link Diagnosis} finds. */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = {"Explains what is broken from the cluster's own objects (Leases, Events, conditions, EndpointSlices)",
                "and the proxy's rules file: controller-manager or scheduler without a live leader, unschedulable pods,",
                "nodes whose kubelet stopped renewing, Services without endpoints, a proxy that is behind.",
                "Exit code 0 when nothing is found, 1 otherwise."})
public final class DiagnoseCommand implements Callable<Integer> {
    private static final Pattern SYNCED = Pattern.compile("^# kplane-proxy .*synced=(\\d+)");

    @Option(names = "--kubeconfig", defaultValue = ".kplane/kubeconfig", paramLabel = "FILE", description = "(default: ${DEFAULT-VALUE})")
    Path kubeconfig;

    @Option(names = "--rules-file", paramLabel = "FILE", description = "The proxy's rules file (default: proxy-rules.txt next to the kubeconfig, if present).")
    Path rulesFile;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (!Files.isReadable(kubeconfig)) {
            spec.commandLine().getErr().println("error: cannot read kubeconfig " + kubeconfig);
            return 2;
        }
        Path rules = rulesFile != null ? rulesFile : kubeconfig.toAbsolutePath().getParent().resolve("proxy-rules.txt");
        Diagnosis.ProxyState proxy = null;
        if (Files.exists(rules)) {
            String text = Files.readString(rules);
            Matcher m = SYNCED.matcher(text);
            proxy = new Diagnosis.ProxyState(text, m.find() ? Instant.ofEpochMilli(Long.parseLong(m.group(1))) : null);
        }
        try (KubeClient c = KubeClient.fromKubeconfig(kubeconfig)) {
            ListOptions all = ListOptions.NONE;
            Diagnosis.Snapshot s = new Diagnosis.Snapshot(Instant.now(),
                    c.listAll(ApiResource.DEPLOYMENTS, null, all).items(), c.listAll(ApiResource.REPLICA_SETS, null, all).items(),
                    c.listAll(ApiResource.PODS, null, all).items(), c.listAll(ApiResource.NODES, null, all).items(),
                    c.listAll(ApiResource.LEASES, null, all).items(), c.listAll(ApiResource.SERVICES, null, all).items(),
                    c.listAll(ApiResource.ENDPOINT_SLICES, null, all).items(), c.listAll(ApiResource.EVENTS, null, all).items(), proxy);
            List<Diagnosis.Finding> findings = Diagnosis.analyze(s);
            if (findings.isEmpty()) {
                out.println("diagnose: no problems found (" + s.pods().size() + " pods, " + s.nodes().size() + " nodes, "
                        + s.services().size() + " services)");
                return 0;
            }
            for (Diagnosis.Finding f : findings) {
                out.println(f);
            }
            return 1;
        }
    }
}
