package io.kplane.bench.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Every receipt is counted exactly once, whichever of the event and its write's acknowledgement
 * comes first — including when they race. (The race lost receipts once: an acknowledgement that
 * skipped the early-arrivals map because it looked empty while a receipt was being put into it.)
 */
class AckTimesTest {
  @Test
  void receiptsBeforeAndAfterTheirAcknowledgementAreCountedOnce() {
    AckTimes t = new AckTimes();
    t.received(5, 100); // before its ack
    t.received(5, 110);
    t.acked(5, 120, true);
    t.received(5, 150); // after: 30 ns
    t.acked(6, 200, false); // warm-up write: delivered, not measured
    t.received(6, 210);
    assertThat(t.deliveries()).isEqualTo(3);
    assertThat(t.early()).isEqualTo(2);
    assertThat(t.latency.getMaxValue()).isEqualTo(30);
  }

  @Test
  void anAcknowledgementRacingItsReceiptLosesNothing() throws Exception {
    int revisions = 200_000;
    AckTimes t = new AckTimes();
    // Both threads start each revision together, so that receipt and acknowledgement overlap often.
    AtomicLong ready = new AtomicLong();
    Thread acker = new Thread(() -> {
      for (long r = 1; r <= revisions; r++) {
        ready.incrementAndGet();
        while (ready.get() < 2 * r) {
          Thread.onSpinWait();
        }
        t.acked(r, System.nanoTime(), true);
      }
    });
    acker.start();
    for (long r = 1; r <= revisions; r++) {
      ready.incrementAndGet();
      while (ready.get() < 2 * r) {
        Thread.onSpinWait();
      }
      t.received(r, System.nanoTime());
    }
    acker.join();
    assertThat(t.deliveries()).isEqualTo(revisions);
  }
}
