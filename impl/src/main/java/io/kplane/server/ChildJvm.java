package io.kplane.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starting {@code kplane} subcommands as child processes of this JVM, the way {@code kplane up},
 * {@code kplane bench} and {@code kplane torture} (and tests) run real multi-process clusters: same
 * Java, same class path, the project's JVM flags (DESIGN §6) as the build filtered them into
 * {@code jvm.flags}, and free loopback ports.
 */
public final class ChildJvm {
    private static final String MAIN = "io.kplane.cli.Main";

    private ChildJvm() {
    }

    /** {@code java <project flags> <jvmOptions> -cp <this class path> io.kplane.cli.Main <args>}. */
    public static List<String> kplaneCommand(List<String> jvmOptions, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN)); // by name: nothing depends on cli (DESIGN §1)
        cmd.addAll(args);
        return cmd;
    }

    /** The project's JVM flags, empty if the resource is missing (an unfiltered IDE build). */
    public static List<String> jvmFlags() throws IOException {
        try (InputStream in = ChildJvm.class.getResourceAsStream("/io/kplane/cli/jvm.flags")) {
            if (in == null) {
                return List.of();
            }
            String flags = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
        }
    }

    /** A port free on loopback right now (another process may take it before it is bound: retry on failure). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
