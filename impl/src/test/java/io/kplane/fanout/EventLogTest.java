package io.kplane.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class EventLogTest {

    @Test
    void readerSeesAppendsInOrderAndThenNothing() throws Exception {
        EventLog<String> log = new EventLog<>(4);
        EventLog.Cursor<String> cursor = log.newCursor();
        assertThat(cursor.poll()).isNull();
        log.append("a");
        log.append("b");
        assertThat(cursor.poll()).isEqualTo("a");
        assertThat(cursor.poll()).isEqualTo("b");
        assertThat(cursor.poll()).isNull();
        assertThat(cursor.position()).isEqualTo(2);
    }

    @Test
    void newCursorStartsAtTheTail() throws Exception {
        EventLog<String> log = new EventLog<>(4);
        log.append("old");
        EventLog.Cursor<String> cursor = log.newCursor();
        log.append("new");
        assertThat(cursor.poll()).isEqualTo("new");
    }

    @Test
    void lappedReaderIsToldWhatItLostAndCanSeek() throws Exception {
        EventLog<Integer> log = new EventLog<>(4);
        EventLog.Cursor<Integer> cursor = log.newCursor();
        for (int i = 0; i < 4; i++) {
            log.append(i);
        }
        assertThat(cursor.poll()).isEqualTo(0); // exactly capacity behind: still readable
        log.append(4);
        log.append(5); // overwrites sequence 1
        assertThatThrownBy(cursor::poll).isInstanceOf(OverrunException.class)
                .satisfies(e -> {
                    OverrunException o = (OverrunException) e;
                    assertThat(o.lostFrom()).isEqualTo(1);
                    assertThat(o.oldestAvailable()).isEqualTo(2);
                });
        assertThat(cursor.position()).as("an overrun does not move the cursor").isEqualTo(1);
        assertThatThrownBy(cursor::poll).isInstanceOf(OverrunException.class);
        cursor.seek(log.oldestAvailable());
        assertThat(cursor.poll()).isEqualTo(2);
    }

    @Test
    void rejectsCapacityThatIsNotAPowerOfTwo() {
        assertThatThrownBy(() -> new EventLog<>(6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EventLog<>(1)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * One writer, several readers on a large ring: every reader sees every element, in order,
     * exactly once.
     */
    @Test
    void concurrentReadersSeeEveryElementInOrderWhenTheRingIsLargeEnough() throws Exception {
        int count = 200_000;
        EventLog<Long> log = new EventLog<>(1 << 18);
        List<Thread> readers = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<EventLog.Cursor<Long>> cursors = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            cursors.add(log.newCursor());
        }
        for (EventLog.Cursor<Long> cursor : cursors) {
            Thread t = new Thread(() -> {
                try {
                    long expected = 0;
                    while (expected < count) {
                        Long v = cursor.poll();
                        if (v == null) {
                            Thread.onSpinWait();
                            continue;
                        }
                        if (v != expected) {
                            throw new AssertionError("expected " + expected + " got " + v);
                        }
                        expected++;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            t.start();
            readers.add(t);
        }
        for (long i = 0; i < count; i++) {
            log.append(i);
        }
        for (Thread t : readers) {
            t.join(60_000);
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(failure.get()).isNull();
    }

    /**
     * One writer, several readers on a tiny ring so that readers are lapped all the time: a reader
     * never sees an element under the wrong sequence, and every element is either delivered or
     * reported lost by an overrun (delivered + reported lost = appended).
     */
    @Test
    void lappedReadersNeverSeeAWrongElementAndAccountForEveryLoss() throws Exception {
        int count = 300_000;
        EventLog<Long> log = new EventLog<>(16);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        long[] delivered = new long[3];
        long[] lost = new long[3];
        long[] overruns = new long[3];
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int id = r;
            EventLog.Cursor<Long> cursor = log.newCursor(0);
            Thread t = new Thread(() -> {
                try {
                    while (cursor.position() < count) {
                        long want = cursor.position();
                        Long v;
                        try {
                            v = cursor.poll();
                        } catch (OverrunException e) {
                            overruns[id]++;
                            long resume = Math.max(e.oldestAvailable(), log.oldestAvailable());
                            lost[id] += resume - want;
                            cursor.seek(resume);
                            continue;
                        }
                        if (v == null) {
                            Thread.onSpinWait();
                            continue;
                        }
                        if (v != want) {
                            throw new AssertionError("sequence " + want + " returned element " + v);
                        }
                        delivered[id]++;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            t.start();
            readers.add(t);
        }
        for (long i = 0; i < count; i++) {
            log.append(i);
            if ((i & 1023) == 0) {
                Thread.yield();
            }
        }
        for (Thread t : readers) {
            t.join(60_000);
            assertThat(t.isAlive()).isFalse();
        }
        assertThat(failure.get()).isNull();
        for (int r = 0; r < 3; r++) {
            assertThat(delivered[r] + lost[r]).isEqualTo(count);
        }
    }
}
