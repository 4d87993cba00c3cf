package io.kplane.bench;

import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A benchmark area (store, scheduler, proxy, the model checks...), found with
 * {@link ServiceLoader}. Each area becomes {@code kplane bench <name> [--quick] [-p key=value]}
 * and a step of {@code kplane suite}. See the package documentation for how to add one.
 */
public interface BenchArea {

    /** The subcommand name, e.g. "store"; lower-case, no spaces. */
    String name();

    /** One line for {@code --help} and the report, e.g. "etcd v3 API: puts and gets vs etcd 3.4". */
    String title();

    /**
     * Runs the area's benchmarks, full or quick ({@link RunContext#quick()}), reporting results
     * with {@link RunContext#load}, {@link RunContext#add}, {@link RunContext#headline}, or
     * {@link RunContext#skip} when it cannot run here. A thrown exception marks the area FAILED in
     * the report; the suite goes on with the next area.
     *
     * <p>Budget: the quick variant should take at most about 90 s on the 2-core machine, since
     * {@code kplane suite --quick} must finish within 10 minutes in total.
     */
    void run(RunContext ctx) throws Exception;

    /** Position in the suite and in {@code --help}: lower runs first (the model checks use 10). */
    default int order() {
        return 100;
    }

    /**
     * Regular expressions of this area's JMH benchmarks that belong in the suite's JMH smoke set
     * when there are too many benchmarks to run them all quickly.
     */
    default List<String> jmhSmoke() {
        return List.of();
    }

    /**
     * Every area on the class path, in {@link #order()}, then name order. Two areas with one name
     * would make the command line unusable; the second is left out with a warning.
     */
    static List<BenchArea> all() {
        java.util.Map<String, BenchArea> byName = new java.util.LinkedHashMap<>();
        ServiceLoader.load(BenchArea.class).stream()
                .map(ServiceLoader.Provider::get)
                .sorted(Comparator.comparingInt(BenchArea::order).thenComparing(BenchArea::name))
                .forEach(a -> {
                    BenchArea first = byName.putIfAbsent(a.name(), a);
                    if (first != null) {
                        System.err.println("kplane: two bench areas are named '" + a.name() + "' ("
                                + first.getClass().getName() + ", " + a.getClass().getName() + "); using the first");
                    }
                });
        return List.copyOf(byName.values());
    }
}
