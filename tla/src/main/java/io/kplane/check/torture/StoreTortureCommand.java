package io.kplane.check.torture;

import io.kplane.server.ChildJvm;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kplane torture store}: a store cluster (kplane or etcd 3.4) under faults, with clients
 * recording a history that is then checked. See {@link TortureRun} for the phases and
 * {@link Sandbox} for where it runs.
 */
@Command(name = "store", mixinStandardHelpOptions = true,
        description = {
            "Runs a store cluster under faults and checks what the clients saw.",
            "Members run as processes, each in a network namespace of its own with a",
            "tmpfs data disk (the harness re-executes itself under 'unshare --net",
            "--mount'; needs root). Clients run linearizable reads, puts, compare-and-set",
            "txns and watches on a few keys over the etcd gRPC API and record a history.",
            "Nemeses: kill -9 and SIGSTOP of leader and follower, iptables partitions,",
            "disk-full, member replacement (MemberRemove, wipe, MemberAdd), and member",
            "replacement with the leader killed, paused or cut off while the new member",
            "joins. Checked: per-key linearizability (WGL, P-compositional), watch",
            "streams gap-free, ordered and duplicate-free, no acknowledged write lost.",
            "Prints progress and a summary; writes result.json and history.jsonl.",
            "Exit 0: no anomalies; 1: anomalies or an unverified key; 2: setup error."})
public final class StoreTortureCommand implements Callable<Integer> {

    @Option(names = "--members", defaultValue = "3", description = "Cluster size, 3 or 5 (default: ${DEFAULT-VALUE}).")
    int members;

    @Option(names = "--duration", defaultValue = "60s", description = "How long faults and clients run, e.g. 60s, 2m (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--target", defaultValue = "kplane", description = "kplane or etcd (default: ${DEFAULT-VALUE}).")
    String target;

    @Option(names = "--clients", defaultValue = "6", description = "Client threads (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--watchers", defaultValue = "2", description = "Watch streams (default: ${DEFAULT-VALUE}).")
    int watchers;

    @Option(names = "--keys", defaultValue = "5", description = "Keys the clients share (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(names = "--nemesis", split = ",", paramLabel = "FAULT",
            description = "Faults to inject, comma-separated (default: all the target supports): kill-leader, kill-follower, "
                    + "pause-leader, pause-follower, partition-leader, partition-halves, disk-full, member-replace, "
                    + "member-replace-under-fault; or none.")
    List<String> nemesis;

    @Option(names = "--seed", description = "Seed of the clients' and nemesis's choices (default: time).")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write result.json, history.jsonl and member logs "
            + "(default: reports/out/<timestamp>-torture-store-<target>).")
    Path out;

    @Option(names = "--inject-anomaly", hidden = true,
            description = "Self-test of the checks: add an acknowledged write that was never sent to the history.")
    boolean injectAnomaly;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Target t;
        Duration d;
        List<Fault> faults;
        try {
            t = Target.valueOf(target.toUpperCase(Locale.ROOT));
            if (members != 3 && members != 5) {
                throw new IllegalArgumentException("--members must be 3 or 5");
            }
            d = parseDuration(duration);
            if (clients < 1 || watchers < 0 || keys < 1) {
                throw new IllegalArgumentException("--clients and --keys must be >= 1, --watchers >= 0");
            }
            faults = faults(t);
        } catch (IllegalArgumentException e) {
            err.println("kplane torture store: " + e.getMessage());
            return 2;
        }
        if (t == Target.ETCD && !onPath("etcd")) {
            err.println("kplane torture store: --target etcd needs the etcd binary (3.4) on the PATH");
            return 2;
        }
        long s = seed != null ? seed : System.nanoTime();
        Path dir = out != null ? out : defaultOut(t);
        if (!Sandbox.inside()) {
            String why = Sandbox.unavailable();
            if (why != null) {
                err.println("kplane torture store: the fault sandbox " + why);
                return 2;
            }
            List<String> args = new ArrayList<>(List.of("torture", "store", "--members", Integer.toString(members),
                    "--duration", duration, "--target", target, "--clients", Integer.toString(clients),
                    "--watchers", Integer.toString(watchers), "--keys", Integer.toString(keys),
                    "--seed", Long.toString(s), "--out", dir.toAbsolutePath().toString(),
                    "--nemesis", faults.isEmpty() ? "none" : String.join(",", faults.stream().map(f -> f.cliName).toList())));
            if (injectAnomaly) {
                args.add("--inject-anomaly");
            }
            err.flush();
            return Sandbox.reexec(ChildJvm.kplaneCommand(List.of("-Xmx768m"), args), spec.commandLine().getOut(), err);
        }
        TortureRun run = new TortureRun(t, members, d, clients, watchers, keys, faults, s, dir.toAbsolutePath(),
                spec.commandLine().getOut(), err).injectAnomaly(injectAnomaly);
        return run.call();
    }

    private List<Fault> faults(Target t) {
        if (nemesis == null) {
            return Arrays.asList(Fault.values());
        }
        if (nemesis.equals(List.of("none"))) {
            return List.of();
        }
        return nemesis.stream().map(Fault::parse).toList();
    }

    static Duration parseDuration(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            } else if (v.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
            }
            return Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--duration: cannot read '" + s + "' (e.g. 60s, 2m, 500ms)");
        }
    }

    private static Path defaultOut(Target t) {
        String home = System.getProperty("kplane.home", ".");
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Path.of(home, "reports", "out", stamp + "-torture-store-" + t.name().toLowerCase(Locale.ROOT));
    }

    private static boolean onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (java.nio.file.Files.isExecutable(Path.of(d, name))) {
                return true;
            }
        }
        return false;
    }
}
