package io.kplane.cli;

import io.kplane.client.KubeClient;
import io.kplane.election.LeaderElection;
import io.kplane.scheduler.SchedulerRuntime;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kplane scheduler run}: the scheduler against an API server, optionally under leader election. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Schedules the cluster's pending pods (schedulerName default-scheduler) until SIGTERM/SIGINT:",
                "informers for Pods, Nodes and PriorityClasses, binding through pods/binding, PodScheduled=False",
                "and FailedScheduling events for pods that do not fit, preemption.",
                "With --leader-elect, instances share the Lease kube-system/kube-scheduler and only the holder",
                "schedules; one that loses the Lease exits with status 1, as kube-scheduler does."})
final class SchedulerRunCommand implements Callable<Integer> {

    @Option(names = "--kubeconfig", required = true, paramLabel = "FILE", description = "kubeconfig of the API server.")
    Path kubeconfig;

    @Option(names = "--leader-elect", description = "Schedule only while holding the Lease kube-system/kube-scheduler.")
    boolean leaderElect;

    @Option(names = "--identity", description = "Holder identity in the Lease (default: hostname_random).")
    String identity;

    @Option(names = "--scheduler-name", defaultValue = SchedulerRuntime.DEFAULT_SCHEDULER,
            description = "Pods with this spec.schedulerName are ours (default: ${DEFAULT-VALUE}).")
    String schedulerName;

    @Option(names = "--leader-elect-lease-duration", defaultValue = "15s", converter = ControllerManagerCommand.DurationConverter.class,
            description = "leaseDuration (default: ${DEFAULT-VALUE}).")
    Duration leaseDuration;

    @Option(names = "--leader-elect-renew-deadline", defaultValue = "10s", converter = ControllerManagerCommand.DurationConverter.class,
            description = "renewDeadline (default: ${DEFAULT-VALUE}).")
    Duration renewDeadline;

    @Option(names = "--leader-elect-retry-period", defaultValue = "2s", converter = ControllerManagerCommand.DurationConverter.class,
            description = "retryPeriod (default: ${DEFAULT-VALUE}).")
    Duration retryPeriod;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        KubeClient client = KubeconfigClient.open(kubeconfig, spec.commandLine().getErr());
        if (client == null) {
            return 2;
        }
        LeaderElection.Config election = null;
        if (leaderElect) {
            try {
                String id = identity != null ? identity : InetAddress.getLocalHost().getHostName() + "_" + UUID.randomUUID();
                election = new LeaderElection.Config(SchedulerRuntime.LEASE_NAMESPACE, SchedulerRuntime.LEASE_NAME, id,
                        leaseDuration, renewDeadline, retryPeriod);
            } catch (IOException | IllegalArgumentException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return 2;
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicInteger exit = new AtomicInteger();
        SchedulerRuntime runtime = new SchedulerRuntime(client, new SchedulerRuntime.Config(schedulerName, election), () -> {
            exit.set(1);
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runtime.close();
            stopped.countDown();
        }, "scheduler-shutdown"));
        System.err.println("scheduler: " + client.config().server()
                + (leaderElect ? " (leader election as " + election.identity() + ")" : ""));
        runtime.start(Duration.ofSeconds(60));
        stopped.await();
        if (exit.get() != 0) {
            System.err.println("scheduler: leader election lost");
        }
        return exit.get();
    }
}
