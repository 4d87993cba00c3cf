package io.kplane.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.kplane.server.ChildJvm;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file created or renamed into a directory survives a machine crash only once the directory
 * itself is fsynced (the file's own fsync does not persist its name). Seen from the outside with
 * real {@code strace} on a child JVM that creates a WAL, saves a snapshot and rolls segments: every
 * new directory ({@code wal/}, {@code snap/}) is fsynced together with its parent, and every rename
 * into {@code wal/} or {@code snap/} is followed by an fsync of that directory.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WalDirectorySyncProcessTest {
    @TempDir
    Path dir;

    /** The child: a WAL with small segments, a snapshot, and enough synced entries to roll segments. */
    public static void main(String[] args) {
        try (WriteAheadLog wal = WriteAheadLog.open(Path.of(args[0]), WalSyncMode.FSYNC, 8192)) {
            wal.saveSnapshot(new SnapshotFile(1, 1, new byte[0], "state".getBytes(StandardCharsets.UTF_8)));
            for (int i = 2; i < 200; i++) {
                wal.append(new WalEntry(i, 1, (byte) 0, new byte[100]));
                wal.sync();
            }
        }
    }

    /** One traced system call: its name, the paths in its arguments, whether it succeeded. */
    private record Call(String name, List<String> paths, boolean ok) {}

    private static final Pattern CALL = Pattern.compile("^\\d+\\s+(\\w+)\\((.*)");
    private static final Pattern PATH = Pattern.compile("\"([^\"]*)\"|<([^>]*)>");

    @Test
    void newDirectoriesAndRenamedFilesAreMadeDurableByFsyncingTheirDirectory() throws Exception {
        Assumptions.assumeTrue(onPath("strace"), "strace not installed");
        Path data = dir.toRealPath().resolve("member");
        Path trace = dir.resolve("strace.out");
        List<String> cmd = new ArrayList<>(List.of("strace", "-f", "-qq", "-y", "--seccomp-bpf", "-o", trace.toString(),
                "-e", "trace=mkdir,mkdirat,rename,renameat,renameat2,fsync,fdatasync"));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ChildJvm.jvmFlags());
        cmd.addAll(List.of("-Xmx128m", "-cp", System.getProperty("java.class.path"),
                WalDirectorySyncProcessTest.class.getName(), data.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("child.log"))).isZero();

        List<Call> calls = parse(Files.readAllLines(trace));
        String wal = data.resolve("wal").toString();
        String snap = data.resolve("snap").toString();
        for (String created : List.of(wal, snap)) {
            int made = indexOf(calls, 0, c -> c.name().startsWith("mkdir") && c.paths().contains(created));
            assertThat(made).as("mkdir of " + created).isNotNegative();
            assertThat(indexOf(calls, made, c -> isFsyncOf(c, created))).as("fsync of " + created + " after its mkdir").isPositive();
            assertThat(indexOf(calls, made, c -> isFsyncOf(c, data.toString())))
                    .as("fsync of " + data + " after " + created + " was made in it").isPositive();
        }
        int renames = 0;
        for (int i = 0; i < calls.size(); i++) {
            Call c = calls.get(i);
            if (!c.name().startsWith("rename") || !c.ok() || c.paths().size() < 2) {
                continue;
            }
            String target = c.paths().get(c.paths().size() - 1);
            String parent = new File(target).getParent();
            if (parent.equals(wal) || parent.equals(snap)) {
                renames++;
                assertThat(indexOf(calls, i, x -> isFsyncOf(x, parent))).as("fsync of " + parent + " after renaming " + target)
                        .isPositive();
            }
        }
        // the snapshot file, the first segment and at least two rolled segments
        assertThat(renames).as(String.join("\n", Files.readAllLines(trace))).isGreaterThanOrEqualTo(4);
    }

    private static boolean isFsyncOf(Call c, String directory) {
        return c.name().equals("fsync") && c.ok() && c.paths().equals(List.of(directory));
    }

    private static int indexOf(List<Call> calls, int after, java.util.function.Predicate<Call> p) {
        for (int i = after; i < calls.size(); i++) {
            if (p.test(calls.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * strace lines in the order the calls started; a call another thread interrupted is split into
     * "NAME(args <unfinished ...>" and "<... NAME resumed>...) = RESULT": the result is taken from the
     * resumed half of the same pid and call.
     */
    private static List<Call> parse(List<String> lines) {
        List<Call> calls = new ArrayList<>();
        java.util.Map<String, Integer> unfinished = new java.util.HashMap<>();
        Pattern resumed = Pattern.compile("^(\\d+)\\s+<\\.\\.\\. (\\w+) resumed>.*\\)\\s+=\\s+(-?\\d+)");
        for (String line : lines) {
            Matcher r = resumed.matcher(line);
            if (r.find()) {
                Integer at = unfinished.remove(r.group(1) + " " + r.group(2));
                if (at != null) {
                    Call c = calls.get(at);
                    calls.set(at, new Call(c.name(), c.paths(), !r.group(3).startsWith("-")));
                }
                continue;
            }
            Matcher m = CALL.matcher(line);
            if (!m.find()) {
                continue;
            }
            boolean open = line.endsWith("<unfinished ...>");
            List<String> paths = new ArrayList<>();
            Matcher path = PATH.matcher(open ? m.group(2).substring(0, m.group(2).lastIndexOf("<unfinished")) : m.group(2));
            while (path.find()) {
                paths.add(path.group(1) != null ? path.group(1) : path.group(2));
            }
            boolean ok = !open && Pattern.compile("\\)\\s+=\\s+\\d+").matcher(line).find();
            calls.add(new Call(m.group(1), paths, ok));
            if (open) {
                unfinished.put(line.split("\\s+")[0] + " " + m.group(1), calls.size() - 1);
            }
        }
        return calls;
    }

    private static boolean onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, name))) {
                return true;
            }
        }
        return false;
    }
}
