package io.kplane.cli;

/**
 * A top-level {@code kplane} subcommand, found with {@link java.util.ServiceLoader}.
 *
 * <p>Modules register their commands in {@code META-INF/services/io.kplane.cli.KplaneSubcommand}.
 * This is how the CLI, which lives in {@code impl}, offers commands from modules that depend on
 * {@code impl} ({@code reports}, {@code tla}, {@code bench}) without importing them, and why a
 * command that is not built is simply not listed.
 */
public interface KplaneSubcommand {

    /** A picocli {@code @Command}-annotated object (or a {@code CommandLine}) for this subcommand. */
    Object command();

    /** Position in {@code kplane --help}; lower comes first. */
    default int order() {
        return 100;
    }
}
