package io.kplane.check.trace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads one or several NDJSON trace files and hands out their lines as one trace. Several files (one per member
 * of a real cluster) are merged by their {@code ts} stamps: a k-way merge that keeps each file's own order, so a
 * clock step backwards inside one file cannot reorder that file's lines. A line that is not JSON is reported with
 * its file and line number; a file that ends in the middle of a line (a member killed while writing) loses only
 * that partial line, which is counted in {@link #tornLines()}.
 */
public final class TraceReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Path> files;
    private long tornLines;

    public TraceReader(List<Path> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no trace file given");
        }
        this.files = List.copyOf(files);
    }

    public long tornLines() {
        return tornLines;
    }

    /** Feeds every line, merged, to {@code sink}. */
    public void forEach(Consumer<TraceLine> sink) throws IOException {
        List<Cursor> cursors = new ArrayList<>();
        try {
            for (Path f : files) {
                Cursor c = new Cursor(f, Files.newBufferedReader(f, StandardCharsets.UTF_8));
                c.advance();
                cursors.add(c);
            }
            if (cursors.size() > 1) {
                for (Cursor c : cursors) {
                    if (c.head != null && c.head.ts() < 0) {
                        throw new TraceFormatException(c.head, "merging several files needs a \"ts\" stamp on every line "
                                + "(written by kplane store --trace-out)");
                    }
                }
            }
            long position = 0;
            while (true) {
                Cursor best = null;
                for (Cursor c : cursors) {
                    if (c.head != null && (best == null || c.head.ts() < best.head.ts())) {
                        best = c;
                    }
                }
                if (best == null) {
                    return;
                }
                TraceLine l = best.head;
                sink.accept(new TraceLine(++position, l.file(), l.lineNo(), l.ts(), l.json(), l.text()));
                best.advance();
            }
        } finally {
            for (Cursor c : cursors) {
                c.in.close();
            }
        }
    }

    private final class Cursor {
        final Path file;
        final BufferedReader in;
        long lineNo;
        TraceLine head;

        Cursor(Path file, BufferedReader in) {
            this.file = file;
            this.in = in;
        }

        void advance() {
            try {
                TraceLine torn = null;
                while (true) {
                    String s = in.readLine();
                    if (s == null) {
                        if (torn != null) {
                            tornLines++; // the file's last line, cut short: the writer was killed mid-line
                        }
                        head = null;
                        return;
                    }
                    lineNo++;
                    String t = s.strip();
                    if (t.isEmpty() || t.startsWith("#")) {
                        continue;
                    }
                    JsonNode n = null;
                    String error = null;
                    try {
                        n = JSON.readTree(t);
                    } catch (IOException e) {
                        error = e.getMessage().lines().findFirst().orElse("");
                    }
                    if (n == null || !n.isObject()) {
                        if (torn != null) {
                            throw new TraceFormatException(torn, "not a JSON object");
                        }
                        torn = new TraceLine(0, file.toString(), lineNo, -1, null, s);
                        if (error == null) {
                            throw new TraceFormatException(torn, "not a JSON object");
                        }
                        continue;
                    }
                    if (torn != null) {
                        // A bad line is a writer killed mid-line only if the process restarted right after it.
                        if (!"Restart".equals(n.path("event").asText())) {
                            throw new TraceFormatException(torn, "not a JSON object");
                        }
                        tornLines++;
                    }
                    long ts = n.has("ts") ? n.get("ts").asLong() : -1;
                    head = new TraceLine(0, file.toString(), lineNo, ts, n, s);
                    return;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
