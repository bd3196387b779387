package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Cancelling the statement a session runs, on every node that runs part of it, from another thread
 * (a client's CancelRequest, {@code Statement.cancel()}, a statement timeout).
 *
 * <p>A session marks each statement with {@link #start}; while it runs, every node statement that
 * may take long (the user's SQL on a node, a cluster-wide query's gathering, TRUNCATE, VACUUM)
 * registers itself with {@link #executing} on the thread that runs it, replica threads included
 * ({@link #propagate}). {@link #cancel} then sends each registered node a cancel request (pgjdbc's
 * {@code Statement.cancel()}, which reaches only a statement still executing) and makes every node
 * statement the run starts later fail at once with 57014.
 *
 * <p>What is never registered, so never cancelled: commits (a commit half cancelled would leave
 * some replicas with the write and some without), two-phase commit steps, the replication of row
 * images after a commit, DDL (it commits on each node on its own) and catalog reads. A cancel that
 * arrives there lets the statement finish; one that arrives when no statement runs does nothing, as
 * in PostgreSQL.
 *
 * <p>Registering, unregistering and cancelling hold the run's lock, so a node connection leaves the
 * run (and may go back to its pool for another session) only once a cancel being sent to it is
 * done: a cancel never reaches a statement of somebody else.
 */
public final class StatementCancel {

  private static final System.Logger LOG = System.getLogger(StatementCancel.class.getName());

  /** The run of the statement this thread works for, or null. */
  private static final ThreadLocal<@Nullable Run> CURRENT = new ThreadLocal<>();

  private volatile @Nullable Run running;

  /** What a node runs that a cancel can stop. */
  @FunctionalInterface
  interface Target {
    void cancel() throws SQLException;
  }

  /**
   * Marks the statement this thread starts now; close the run when it ends. Runs do not nest: a
   * session runs one statement at a time, and no statement starts another.
   */
  Run start() {
    Run run = new Run(this);
    running = run;
    CURRENT.set(run);
    return run;
  }

  /**
   * Cancels the running statement, if any, from any thread: it fails with 57014 and {@code
   * message}.
   */
  public void cancel(String message) {
    Run run = running;
    if (run != null) {
      run.cancel(message);
    }
  }

  /** A node call that may take long. */
  @FunctionalInterface
  interface NodeCall<T> {
    T run() throws SQLException;
  }

  /**
   * Runs {@code call} registered in the current thread's run, so that a cancel reaches {@code
   * target}; fails with 57014 without running it when the run was cancelled already.
   */
  static <T> T executing(Target target, NodeCall<T> call) throws SQLException {
    Run run = CURRENT.get();
    if (run == null || !run.register(target)) {
      return call.run();
    }
    try {
      return call.run();
    } finally {
      run.unregister(target);
    }
  }

  /** Executes {@code sql} on {@code statement} so that a cancel of the current run reaches it. */
  static boolean execute(java.sql.Statement statement, String sql) throws SQLException {
    return executing(statement::cancel, () -> statement.execute(sql));
  }

  /** The task, run on another thread as part of the current thread's run (if any). */
  static Runnable propagate(Runnable task) {
    Run run = CURRENT.get();
    if (run == null) {
      return task;
    }
    return () -> {
      Run before = CURRENT.get();
      CURRENT.set(run);
      try {
        task.run();
      } finally {
        CURRENT.set(before);
      }
    };
  }

  /** One statement of a session, from {@link #start} to {@link #close}. */
  static final class Run implements AutoCloseable {
    private final StatementCancel owner;

    /** What runs now; a list only once a second target runs at once (a statement's replicas). */
    private @Nullable Target executingOne;

    private @Nullable List<Target> executingMore;
    private @Nullable String cancelled;
    private boolean ended;

    private Run(StatementCancel owner) {
      this.owner = owner;
    }

    synchronized void cancel(String message) {
      if (ended || cancelled != null) {
        return;
      }
      cancelled = requireNonNull(message, "message");
      if (executingOne != null) {
        send(executingOne);
      }
      if (executingMore != null) {
        executingMore.forEach(Run::send);
      }
    }

    private static void send(Target target) {
      try {
        target.cancel();
      } catch (SQLException | RuntimeException e) {
        // The node may have gone: its statement fails on its own.
        LOG.log(Level.DEBUG, "sending a cancel request failed: " + e);
      }
    }

    /** The cancel's message once the run was cancelled, else null. */
    synchronized @Nullable String cancelled() {
      return cancelled;
    }

    /** 57014 with the cancel's message, the failure it caused attached. */
    SQLException failure(@Nullable SQLException caused) {
      return ZynamoErrors.create(
          ZynamoSqlState.QUERY_CANCELED, requireNonNull(cancelled(), "not cancelled"), caused);
    }

    /** Whether registered: not once the statement returned (a replica task finishing late). */
    synchronized boolean register(Target target) throws SQLException {
      if (ended) {
        return false;
      }
      if (cancelled != null) {
        throw failure(null);
      }
      if (executingOne == null) {
        executingOne = target;
      } else {
        if (executingMore == null) {
          executingMore = new ArrayList<>();
        }
        executingMore.add(target);
      }
      return true;
    }

    private synchronized void unregister(Target target) {
      if (executingOne == target) {
        executingOne = null;
      } else if (executingMore != null) {
        executingMore.remove(target);
      }
    }

    @Override
    public void close() {
      synchronized (this) {
        ended = true;
        executingOne = null;
        executingMore = null;
      }
      if (owner.running == this) {
        owner.running = null;
      }
      if (CURRENT.get() == this) {
        CURRENT.set(null); // not remove(): that clears a reference, for every statement
      }
    }
  }
}
