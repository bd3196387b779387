package io.zynamo.driver.execution;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Which ring epochs this instance's statements are running with: a bucket move deletes the old
 * copies only once no statement can still read them ({@link BucketMover}).
 *
 * <p>A statement {@link #enter enters} the gate of the epoch in force and leaves it when its node
 * queries have all started (a PostgreSQL query reads the snapshot it started with, so a deletion
 * committed later does not change its answer). A new epoch opens a new gate and retires the old
 * one, which stays counted until its last statement leaves. A statement that entered a gate just
 * retired reads the ring after entering, so it routes with the new ring: the count errs only on the
 * safe side.
 */
final class RingEpochs {

  /** The statements running with one epoch. */
  static final class Gate {
    final long epoch;
    private final LongAdder inFlight = new LongAdder();

    Gate(long epoch) {
      this.epoch = epoch;
    }
  }

  private final AtomicReference<Gate> current;
  private final ConcurrentLinkedQueue<Gate> retired = new ConcurrentLinkedQueue<>();

  RingEpochs(long epoch) {
    current = new AtomicReference<>(new Gate(epoch));
  }

  /**
   * A statement starts, with the ring of {@code ringEpoch} in force (or newer, by the time it reads
   * it): the gate to {@link #leave} when it is done.
   */
  Gate enter(long ringEpoch) {
    advance(ringEpoch);
    Gate g = current.get();
    g.inFlight.increment();
    return g;
  }

  void leave(Gate g) {
    g.inFlight.decrement();
  }

  /** The ring in force moved to {@code epoch}. */
  private void advance(long epoch) {
    Gate g = current.get();
    while (g.epoch < epoch) {
      if (current.compareAndSet(g, new Gate(epoch))) {
        retired.add(g);
        return;
      }
      g = current.get();
    }
  }

  /**
   * The oldest epoch a running statement may still route with: {@code ringEpoch}, the ring in
   * force, when none.
   */
  long oldestInUse(long ringEpoch) {
    advance(ringEpoch);
    retired.removeIf(g -> g.inFlight.sum() == 0);
    long oldest = current.get().epoch;
    for (Gate g : retired) {
      oldest = Math.min(oldest, g.epoch);
    }
    return oldest;
  }
}
