package io.kplane.cli;

import io.kplane.client.ApiResource;
import io.kplane.client.KubeClient;
import io.kplane.client.ListOptions;
import io.kplane.model.Condition;
import io.kplane.model.Deployment;
import io.kplane.model.Endpoint;
import io.kplane.model.EndpointSlice;
import io.kplane.model.Json;
import io.kplane.model.Pod;
import io.kplane.model.Service;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kplane demo}: a Deployment and a Service on a running cluster, and the timeline of each
 * pod through created → scheduled → running → ready → in an EndpointSlice → in the proxy rules, as
 * observed by polling every 100 ms (so every stage time is accurate to about 100 ms).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Applies a Deployment of N replicas and a Service to a running cluster (see `kplane up`) and prints",
                "when each stage was first observed (created, scheduled, running, ready, in EndpointSlice, in proxy rules)",
                "with the pod startup latency distribution (created → running; upstream SLO: p99 <= 5 s)."})
public final class DemoCommand implements Callable<Integer> {
    private static final String[] STAGES = {"created", "scheduled", "running", "ready", "in EndpointSlice", "in proxy rules"};

    @Option(names = "--kubeconfig", defaultValue = ".kplane/kubeconfig", paramLabel = "FILE", description = "(default: ${DEFAULT-VALUE})")
    Path kubeconfig;

    @Option(names = "--replicas", defaultValue = "10", description = "(default: ${DEFAULT-VALUE})")
    int replicas;

    @Option(names = "--name", defaultValue = "demo", description = "Deployment and Service name (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = {"-n", "--namespace"}, defaultValue = "default", description = "(default: ${DEFAULT-VALUE})")
    String namespace;

    @Option(names = "--rules-file", paramLabel = "FILE", description = "The proxy's rules file (default: proxy-rules.txt next to the kubeconfig).")
    Path rulesFile;

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for all stages (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (!Files.isReadable(kubeconfig)) {
            spec.commandLine().getErr().println("error: cannot read kubeconfig " + kubeconfig + " (is `kplane up` running?)");
            return 2;
        }
        Path rules = rulesFile != null ? rulesFile : kubeconfig.toAbsolutePath().getParent().resolve("proxy-rules.txt");
        try (KubeClient client = KubeClient.fromKubeconfig(kubeconfig)) {
            String labels = "{app: " + name + "}";
            Deployment d = Json.read("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + name + ", namespace: " + namespace + "}\n"
                    + "spec:\n  replicas: " + replicas + "\n  selector: {matchLabels: " + labels + "}\n  template:\n"
                    + "    metadata: {labels: " + labels + "}\n    spec:\n      containers:\n      - name: web\n        image: nginx\n"
                    + "        ports: [{containerPort: 8080, name: http}]\n", Deployment.class);
            Service s = Json.read("apiVersion: v1\nkind: Service\nmetadata: {name: " + name + ", namespace: " + namespace + "}\n"
                    + "spec:\n  selector: " + labels + "\n  ports: [{name: http, port: 80, targetPort: 8080}]\n", Service.class);
            long t0 = System.nanoTime();
            client.create(ApiResource.SERVICES, s);
            client.create(ApiResource.DEPLOYMENTS, d);
            out.println("demo: created Deployment " + namespace + "/" + name + " (" + replicas + " replicas) and Service " + name);
            Map<String, long[]> seen = new LinkedHashMap<>();
            long deadline = t0 + timeoutSeconds * 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                observe(client, rules, seen, System.nanoTime() - t0);
                if (seen.size() >= replicas && seen.values().stream().filter(t -> t[STAGES.length - 1] >= 0).count() >= replicas) {
                    break;
                }
                Thread.sleep(100);
            }
            print(out, seen);
            boolean complete = seen.size() >= replicas && seen.values().stream().allMatch(t -> t[STAGES.length - 1] >= 0);
            if (!complete) {
                out.println("demo: not every pod reached the proxy rules within " + timeoutSeconds + " s; try `kplane diagnose`");
                return 1;
            }
            return 0;
        }
    }

    private void observe(KubeClient client, Path rules, Map<String, long[]> seen, long now) throws Exception {
        List<Pod> pods = client.list(ApiResource.PODS, namespace, ListOptions.labelSelector("app=" + name)).items();
        Set<String> sliceIPs = new HashSet<>();
        for (EndpointSlice es : client.list(ApiResource.ENDPOINT_SLICES, namespace,
                ListOptions.labelSelector("kubernetes.io/service-name=" + name)).items()) {
            for (Endpoint e : es.endpoints()) {
                if (e.conditions() == null || !Boolean.FALSE.equals(e.conditions().ready())) {
                    sliceIPs.addAll(e.addresses());
                }
            }
        }
        String ruleText = Files.exists(rules) ? Files.readString(rules) : "";
        for (Pod p : pods) {
            long[] t = seen.computeIfAbsent(p.metadata().name(), k -> {
                long[] a = new long[STAGES.length];
                java.util.Arrays.fill(a, -1);
                return a;
            });
            mark(t, 0, now);
            if (p.spec() != null && p.spec().nodeName() != null) {
                mark(t, 1, now);
            }
            var st = p.status();
            if (st != null && "Running".equals(st.phase())) {
                mark(t, 2, now);
            }
            if (st != null && st.conditions().stream().anyMatch(c -> "Ready".equals(c.type()) && "True".equals(c.status()))) {
                mark(t, 3, now);
            }
            String ip = st == null ? null : st.podIP();
            if (ip != null && sliceIPs.contains(ip)) {
                mark(t, 4, now);
            }
            if (ip != null && ruleText.contains("--to-destination " + ip + ":")) {
                mark(t, 5, now);
            }
        }
    }

    private static void mark(long[] t, int stage, long now) {
        // A later stage implies the earlier ones: the poll may have missed them.
        for (int i = 0; i <= stage; i++) {
            if (t[i] < 0) {
                t[i] = now;
            }
        }
    }

    private static void print(PrintStream out, Map<String, long[]> seen) {
        out.printf("%-32s", "pod (seconds since apply)");
        for (String s : STAGES) {
            out.printf(" %16s", s);
        }
        out.println();
        for (var e : seen.entrySet()) {
            out.printf("%-32s", e.getKey());
            for (long v : e.getValue()) {
                out.printf(" %16s", v < 0 ? "-" : String.format("%.1f", v / 1e9));
            }
            out.println();
        }
        List<Long> startup = new ArrayList<>();
        for (long[] t : seen.values()) {
            if (t[2] >= 0) {
                startup.add(t[2] - t[0]);
            }
        }
        out.println("pod startup latency (created -> running), " + startup.size() + " pods: " + percentiles(startup)
                + " (upstream SLO: p99 <= 5 s)");
        for (int stage = 1; stage < STAGES.length; stage++) {
            List<Long> d = new ArrayList<>();
            for (long[] t : seen.values()) {
                if (t[stage] >= 0) {
                    d.add(t[stage] - t[0]);
                }
            }
            out.println("  created -> " + STAGES[stage] + ": " + percentiles(d));
        }
    }

    static String percentiles(List<Long> nanos) {
        if (nanos.isEmpty()) {
            return "n/a";
        }
        List<Long> s = new ArrayList<>(nanos);
        s.sort(null);
        return String.format("p50 %.2f s, p90 %.2f s, p99 %.2f s, max %.2f s", rank(s, 50) / 1e9, rank(s, 90) / 1e9,
                rank(s, 99) / 1e9, s.get(s.size() - 1) / 1e9);
    }

    /** Nearest-rank percentile. */
    private static long rank(List<Long> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }
}
