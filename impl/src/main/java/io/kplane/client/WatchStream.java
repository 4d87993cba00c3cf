package io.kplane.client;

import io.kplane.model.Json;
import io.kplane.model.WatchEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An open watch: newline-delimited JSON watch events read one at a time with {@link #next()}.
 * ERROR events raise {@link io.kplane.model.WatchErrorException} (the Status inside tells a 410
 * from other failures). {@link #close()} may be called from another thread to end a blocked
 * {@link #next()}.
 */
public final class WatchStream<T> implements AutoCloseable {
    private final InputStream in;
    private final Class<T> type;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
    private final byte[] buf = new byte[8192];
    private int pos;
    private int end;
    private volatile boolean closed;

    WatchStream(InputStream in, Class<T> type) {
        this.in = in;
        this.type = type;
    }

    /** The next event, or null when the server ended the watch (timeout) or the stream was closed. */
    public WatchEvent<T> next() throws IOException {
        line.reset();
        while (true) {
            if (pos == end) {
                int n;
                try {
                    n = closed ? -1 : in.read(buf);
                } catch (IOException e) {
                    if (closed) {
                        return null;
                    }
                    throw e;
                }
                if (n < 0) {
                    return null;   // a partial last line is dropped: the server never ends mid-event on purpose
                }
                pos = 0;
                end = n;
            }
            while (pos < end) {
                byte b = buf[pos++];
                if (b == '\n') {
                    if (line.size() > 0) {
                        return Json.readWatchEvent(line.toByteArray(), type);
                    }
                } else {
                    line.write(b);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            in.close();
        } catch (IOException e) {
            // closing a dead connection: nothing to do
        }
    }
}
