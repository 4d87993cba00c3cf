package io.kplane.apiserver;

import io.kplane.time.NanoClock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads that move events from the watch caches' windows to the watchers: a few workers, each
 * owning a share of the watchers (assigned round robin) and pumping each one's reader in turn. A
 * worker never waits on a watcher: sinks do not block (the HTTP layer buffers), a watcher that
 * falls a whole window behind is ended by its own pump, and the cache's writer only appends and
 * {@link #signal}s. Workers park when there is nothing to read.
 *
 * <p>Batching: a round that delivered something is followed by a pause until {@link #ROUND_NANOS}
 * after its start, so that under load each watcher's events of that time go out in one write and
 * one flush (one system call) instead of one each — per-event writes to thousands of sockets are
 * what costs CPU here, not the fan-out. An event arriving after an idle spell is sent at once; one
 * arriving during a busy spell waits at most a round. A watcher whose last write has not reached
 * its socket yet is skipped ({@link WatchSource.Sink#ready}): its events wait in the window and
 * go out together, so the event loops' queues hold at most one write per watcher.
 */
final class WatchDispatcher implements AutoCloseable {
  /** Events one watcher may take in one turn before the worker moves on (fairness). */
  static final int BUDGET = 256;
  private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** How soon a worker whose lagging watchers were all busy writing looks again, when rounds are unpaced. */
  private static final long BLOCKED_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** Shortest round while there is work (batching; see the class comment). */
  static final long ROUND_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final Worker[] workers;
  private final long roundNanos;
  private final AtomicInteger next = new AtomicInteger();
  private volatile boolean running = true;

  /** Times bookmarks and idle watchers; the only clock the workers read. */
  private final NanoClock clock;

  WatchDispatcher(int threads) {
    this(threads, ROUND_NANOS, NanoClock.system());
  }

  WatchDispatcher(int threads, NanoClock clock) {
    this(threads, ROUND_NANOS, clock);
  }

  /** With a minimum round length while busy (0: pump again at once). */
  WatchDispatcher(int threads, long roundNanos, NanoClock clock) {
    this.roundNanos = roundNanos;
    this.clock = clock;
    workers = new Worker[threads];
    for (int i = 0; i < threads; i++) {
      workers[i] = new Worker("watch-dispatch-" + i);
      workers[i].thread.start();
    }
  }

  /** Hands a new watcher to a worker. */
  void add(CacheWatcher w) {
    Worker k = workers[Math.floorMod(next.getAndIncrement(), workers.length)];
    k.incoming.add(w);
    k.wake();
  }

  /** New events are in a window: wake the workers that sleep. */
  void signal() {
    for (Worker w : workers) {
      w.wake();
    }
  }

  /** Watchers owned by the workers (approximate: read from other threads). */
  int watchers() {
    int n = 0;
    for (Worker w : workers) {
      n += w.count;
    }
    return n;
  }

  private final class Worker implements Runnable {
    final Thread thread;
    final ConcurrentLinkedQueue<CacheWatcher> incoming = new ConcurrentLinkedQueue<>();
    final List<CacheWatcher> owned = new ArrayList<>();
    volatile boolean sleeping;
    volatile int count;

    Worker(String name) {
      thread = new Thread(this, name);
      thread.setDaemon(true);
    }

    void wake() {
      if (sleeping) {
        LockSupport.unpark(thread);
      }
    }

    @Override
    public void run() {
      while (running) {
        for (CacheWatcher w; (w = incoming.poll()) != null; ) {
          owned.add(w);
        }
        long now = clock.nanoTime();
        long roundStart = now;
        int work = 0;
        for (int i = 0; i < owned.size(); i++) {
          CacheWatcher w = owned.get(i);
          try {
            work += w.pump(BUDGET, now);
          } catch (RuntimeException e) {
            // A failing sink must not stop delivery to everyone else: end that watcher.
            w.close();
          }
          if (w.closed()) {
            owned.set(i, owned.get(owned.size() - 1));
            owned.remove(owned.size() - 1);
            i--;
          }
        }
        count = owned.size();
        if (work == 0) {
          sleeping = true;
          // Checked after announcing sleep, so an append between the pumps and here is not missed.
          // Caught up: sleep until signalled. Lagging with nothing read: those watchers' sinks still
          // have a write in flight (not ready); look again after a round rather than spin.
          if (incoming.isEmpty()) {
            LockSupport.parkNanos(this, anyLag() ? Math.max(roundNanos, BLOCKED_RETRY_NANOS) : IDLE_PARK_NANOS);
          }
          sleeping = false;
        } else if (roundNanos > 0) {
          long left = roundStart + roundNanos - clock.nanoTime();
          if (left > 0) {
            LockSupport.parkNanos(this, left); // let events gather: the next round writes them together
          }
        }
      }
      for (CacheWatcher w : owned) {
        w.requestEnd();
        w.pump(0, clock.nanoTime());
      }
    }

    private boolean anyLag() {
      for (int i = 0; i < owned.size(); i++) {
        if (owned.get(i).lag() > 0) {
          return true;
        }
      }
      return false;
    }
  }

  @Override
  public void close() {
    running = false;
    for (Worker w : workers) {
      LockSupport.unpark(w.thread);
    }
    for (Worker w : workers) {
      try {
        w.thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
