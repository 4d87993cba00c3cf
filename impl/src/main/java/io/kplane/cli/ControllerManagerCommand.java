package io.kplane.cli;

import io.kplane.client.KubeClient;
import io.kplane.controller.ControllerManager;
import io.kplane.controller.NodeLifecycle;
import io.kplane.election.LeaderElection;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kplane controller-manager}: the Deployment, ReplicaSet, EndpointSlice, node lifecycle and
 * garbage-collector controllers against an API server, optionally under Lease leader election.
 */
@Command(name = "controller-manager", mixinStandardHelpOptions = true,
        description = {"Runs the controllers (Deployment, ReplicaSet, EndpointSlice + Endpoints, node lifecycle,",
                "garbage collector) against the API server until SIGTERM/SIGINT.",
                "With --leader-elect, instances share the Lease kube-system/kube-controller-manager and only",
                "the holder acts; on SIGTERM the Lease is released so a standby takes over at once."})
public final class ControllerManagerCommand implements Callable<Integer> {

    @Option(names = "--kubeconfig", required = true, paramLabel = "FILE", description = "kubeconfig of the API server.")
    Path kubeconfig;

    @Option(names = "--leader-elect", description = "Act only while holding the Lease kube-system/kube-controller-manager.")
    boolean leaderElect;

    @Option(names = "--identity", description = "Holder identity in the Lease (default: hostname_random).")
    String identity;

    @Option(names = "--leader-elect-lease-duration", defaultValue = "15s", converter = DurationConverter.class,
            description = "leaseDuration (default: ${DEFAULT-VALUE}).")
    Duration leaseDuration;

    @Option(names = "--leader-elect-renew-deadline", defaultValue = "10s", converter = DurationConverter.class,
            description = "renewDeadline (default: ${DEFAULT-VALUE}).")
    Duration renewDeadline;

    @Option(names = "--leader-elect-retry-period", defaultValue = "2s", converter = DurationConverter.class,
            description = "retryPeriod (default: ${DEFAULT-VALUE}).")
    Duration retryPeriod;

    @Option(names = "--node-monitor-grace-period", defaultValue = "50s", converter = DurationConverter.class,
            description = "How long a node may stay silent before it is marked Unknown (default: ${DEFAULT-VALUE}).")
    Duration gracePeriod;

    @Option(names = "--concurrent-syncs", defaultValue = "5", description = "Workers per controller (default: ${DEFAULT-VALUE}).")
    int workers;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        KubeClient client = KubeconfigClient.open(kubeconfig, spec.commandLine().getErr());
        if (client == null) {
            return 2;
        }
        LeaderElection.Config election = null;
        if (leaderElect) {
            String id = identity != null ? identity : host() + "_" + UUID.randomUUID();
            try {
                election = new LeaderElection.Config(ControllerManager.LEASE_NAMESPACE, ControllerManager.LEASE_NAME, id,
                        leaseDuration, renewDeadline, retryPeriod);
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return 2;
            }
        }
        ControllerManager.Config config = new ControllerManager.Config(workers, Duration.ZERO,
                new NodeLifecycle.Config(gracePeriod), Duration.ofSeconds(1), Duration.ofSeconds(5), election);
        ControllerManager cm = new ControllerManager(client, config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cm.close();
            stopped.countDown();
        }, "controller-manager-shutdown"));
        System.err.println("controller-manager: " + client.config().server()
                + (leaderElect ? " (leader election as " + election.identity() + ")" : ""));
        cm.start(Duration.ofSeconds(60));
        stopped.await();
        return 0;
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "kplane";
        }
    }

    /** 15s, 500ms, 2m, or an ISO-8601 duration. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String v) {
            String s = v.trim();
            try {
                if (s.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
                }
                if (s.endsWith("s")) {
                    return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
                }
                if (s.endsWith("m")) {
                    return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
                }
                return Duration.parse(s);
            } catch (RuntimeException e) {
                throw new CommandLine.TypeConversionException("not a duration: " + v + " (e.g. 15s, 500ms, 2m)");
            }
        }
    }
}
