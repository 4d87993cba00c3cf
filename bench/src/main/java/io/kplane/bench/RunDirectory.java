package io.kplane.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** Creates run directories: {@code <kplane.home>/reports/out/<UTC timestamp>[-<suffix>]/}. */
public final class RunDirectory {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private RunDirectory() {}

    /** The project root: the launcher sets {@code -Dkplane.home}; otherwise the working directory. */
    public static Path home() {
        return Path.of(System.getProperty("kplane.home", ".")).toAbsolutePath().normalize();
    }

    /** {@code reports/out} under the project root. */
    public static Path outRoot() {
        return home().resolve("reports").resolve("out");
    }

    /** A new, empty run directory under {@code base}, named by the current UTC time. */
    public static Path create(Path base, String suffix) {
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
        String name = suffix == null || suffix.isEmpty() ? stamp : stamp + "-" + RunContext.safe(suffix);
        try {
            Files.createDirectories(base);
            for (int i = 0; ; i++) {
                Path dir = base.resolve(i == 0 ? name : name + "." + i);
                try {
                    return Files.createDirectory(dir);
                } catch (FileAlreadyExistsException e) {
                    // two runs in the same second: take the next suffix
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run directory under " + base, e);
        }
    }
}
