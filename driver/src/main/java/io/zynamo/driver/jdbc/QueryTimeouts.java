package io.zynamo.driver.jdbc;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The timer of {@code Statement.setQueryTimeout}: one daemon thread for the whole driver, started
 * by the first timeout, as pgjdbc's shared cancel timer.
 */
final class QueryTimeouts {

  private QueryTimeouts() {}

  /** Created on first use only. */
  private static final class Holder {
    static final ScheduledThreadPoolExecutor TIMER = timer();

    private static ScheduledThreadPoolExecutor timer() {
      ScheduledThreadPoolExecutor timer =
          new ScheduledThreadPoolExecutor(
              1,
              task -> {
                Thread t = new Thread(task, "zynamo-query-timeout");
                t.setDaemon(true);
                return t;
              });
      timer.setRemoveOnCancelPolicy(true); // a statement that finished in time leaves nothing
      return timer;
    }
  }

  /** Runs {@code cancel} after {@code seconds}; cancel the future when the statement is done. */
  static ScheduledFuture<?> schedule(Runnable cancel, int seconds) {
    return Holder.TIMER.schedule(cancel, seconds, TimeUnit.SECONDS);
  }
}
