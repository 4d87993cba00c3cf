package io.kplane.cli;

import io.kplane.model.GenericObject;
import io.kplane.model.Json;
import io.kplane.model.KubeObject;
import io.kplane.model.Node;
import io.kplane.model.Pod;
import io.kplane.model.PriorityClass;
import io.kplane.model.Service;
import io.kplane.scheduler.Disruption;
import io.kplane.scheduler.FromModel;
import io.kplane.scheduler.NodeInfo;
import io.kplane.scheduler.PodInfo;
import io.kplane.scheduler.Selector;
import io.kplane.scheduler.Simulation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kplane scheduler}: {@code run} (the runtime against an API server) and {@code simulate} (the core, offline). */
@Command(name = "scheduler", mixinStandardHelpOptions = true,
        description = "The kube-scheduler (default profile): `run` against the API server, `simulate` on a cluster described in YAML.",
        subcommands = {SchedulerCommand.Simulate.class, SchedulerRunCommand.class})
public final class SchedulerCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** Output formats of {@code simulate}. */
    public enum Format { text, json }

    @Command(name = "simulate", mixinStandardHelpOptions = true,
            description = {"Schedule the pending Pods in FILE (in file order) onto its Nodes, next to its bound Pods",
                "(spec.nodeName set), with its PriorityClasses, PodDisruptionBudgets and Services (for default",
                "spreading), and print for each attempt every node's filter verdict, each plugin's normalized",
                "score per feasible node with the weighted total, the chosen node and preemption victims.",
                "FILE is kubectl YAML or JSON (several documents or a List)."})
    static final class Simulate implements Callable<Integer> {
        @Option(names = "--objects", required = true, paramLabel = "FILE", description = "Cluster objects (YAML/JSON); - for stdin.")
        String objects;

        @Option(names = {"-o", "--output"}, defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE}).")
        Format format;

        @Option(names = "--seed", defaultValue = "0", description = "Seed for ties between equal scores (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() {
            String text;
            try {
                text = objects.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                        : Files.readString(Path.of(objects));
            } catch (NoSuchFileException e) {
                System.err.println("kplane scheduler simulate: no such file: " + objects);
                return 2;
            } catch (IOException e) {
                System.err.println("kplane scheduler simulate: cannot read " + objects + ": " + e.getMessage());
                return 2;
            }
            Simulation.Input in;
            try {
                in = input(Json.readAll(text));
            } catch (IllegalArgumentException e) {
                System.err.println("kplane scheduler simulate: " + objects + ": " + e.getMessage());
                return 2;
            }
            List<Simulation.Outcome> out = Simulation.run(in, seed);
            if (format == Format.json) {
                System.out.println(Json.writePretty(out));
            } else {
                print(out, System.out);
            }
            System.out.flush();
            System.err.printf("%d nodes, %d bound pods, %d pending pods, %d disruption budgets%n",
                    in.nodes().size(), in.bound().size(), in.pending().size(), in.disruptionBudgets().size());
            return 0;
        }

        static Simulation.Input input(List<KubeObject> objects) {
            Map<String, PriorityClass> classes = new HashMap<>();
            for (KubeObject o : objects) {
                if (o instanceof PriorityClass pc) {
                    classes.put(pc.metadata().name(), pc);
                }
            }
            List<NodeInfo.NodeSpec> nodes = new ArrayList<>();
            List<PodInfo> bound = new ArrayList<>();
            List<PodInfo> pending = new ArrayList<>();
            Map<String, Disruption> pdbs = new LinkedHashMap<>();
            Map<String, Selector> services = new LinkedHashMap<>();
            for (KubeObject o : objects) {
                if (o instanceof Node n) {
                    nodes.add(FromModel.node(n));
                } else if (o instanceof Pod p) {
                    PodInfo info = FromModel.pod(p, classes::get);
                    (info.nodeName() != null ? bound : pending).add(info);
                } else if (o instanceof GenericObject g && "PodDisruptionBudget".equals(g.kind())) {
                    Disruption d = FromModel.disruption(g);
                    pdbs.put(d.namespace() + "/" + g.metadata().name(), d);
                } else if (o instanceof Service s && s.spec() != null && s.spec().selector() != null
                        && !s.spec().selector().isEmpty()) {
                    String ns = s.metadata().namespace() == null ? "default" : s.metadata().namespace();
                    services.put(ns + "/" + s.metadata().name(), Selector.labels(s.spec().selector()));
                }
            }
            if (nodes.isEmpty()) {
                throw new IllegalArgumentException("no Node objects");
            }
            return new Simulation.Input(nodes, bound, pending, pdbs, services);
        }

        static void print(List<Simulation.Outcome> outcomes, PrintStream out) {
            for (Simulation.Outcome o : outcomes) {
                out.printf("pod %s (priority %d): %s%n", o.pod(), o.priority(),
                        o.node() == null ? "not scheduled" : "scheduled on " + o.node());
                for (Simulation.Attempt a : o.attempts()) {
                    out.printf("  attempt %d: %s%s%n", a.cycle(), a.result().toLowerCase(java.util.Locale.ROOT),
                            a.node() == null ? "" : " on " + a.node());
                    out.println("    filter:");
                    for (Simulation.Verdict v : a.filter()) {
                        out.printf("      %-16s %s%n", v.node(), v.feasible() ? "fits"
                                : (v.plugin() == null || v.plugin().isEmpty() ? "" : v.plugin() + ": ") + v.reason());
                    }
                    if (!a.scores().isEmpty()) {
                        out.println("    score (normalized 0-100; weight in brackets):");
                        StringBuilder head = new StringBuilder(String.format("      %-16s", "node"));
                        a.weights().forEach((p, w) -> head.append(String.format(" %s[%d]", p, w)));
                        out.println(head.append("  total"));
                        for (Simulation.NodeScore s : a.scores()) {
                            StringBuilder row = new StringBuilder(String.format("      %-16s", s.node()));
                            a.weights().forEach((p, w) -> row.append(String.format(" %" + (p.length() + 2 + String.valueOf(w).length()) + "d",
                                    s.normalized().get(p))));
                            out.println(row.append(String.format("  %5d", s.total())));
                        }
                    } else if (a.node() != null) {
                        out.println("    score: not run (one feasible node)");
                    }
                    if (a.postFilter() != null) {
                        out.println("    preemption: " + a.postFilter());
                    }
                    if (!a.victims().isEmpty()) {
                        out.println("    victims: " + String.join(", ", a.victims()));
                    }
                    if (a.nominatedNode() != null) {
                        out.println("    nominated node: " + (a.nominatedNode().isEmpty() ? "(cleared)" : a.nominatedNode()));
                    }
                }
            }
        }
    }
}
