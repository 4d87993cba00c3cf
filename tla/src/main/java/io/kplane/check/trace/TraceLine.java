package io.kplane.check.trace;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One parsed line of a Raft NDJSON trace.
 *
 * @param position 1-based position in the merged trace
 * @param file     the file it came from (as given on the command line)
 * @param lineNo   1-based line number in that file
 * @param ts       the writer's wall-clock stamp in microseconds, or -1 if the line has none
 * @param json     the parsed object
 * @param text     the line as written
 */
public record TraceLine(long position, String file, long lineNo, long ts, JsonNode json, String text) {

    /** "file:line" for messages. */
    public String where() {
        return file + ":" + lineNo;
    }
}
