package io.zynamo.proxy.session;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.execution.StatementExecutor;
import io.zynamo.driver.sql.SqlFrontend;
import io.zynamo.driver.sql.StatementKind;
import io.zynamo.proxy.ProxyConfig;
import io.zynamo.proxy.copy.CopyCommand;
import io.zynamo.proxy.wire.BackendMessage.CommandComplete;
import io.zynamo.proxy.wire.BackendMessage.CopyResponse;
import io.zynamo.proxy.wire.BackendMessage.EmptyQueryResponse;
import io.zynamo.proxy.wire.BackendMessage.ReadyForQuery;
import io.zynamo.proxy.wire.BackendMessage.TransactionStatus;
import io.zynamo.proxy.wire.FrontendMessage;
import io.zynamo.proxy.wire.FrontendMessage.Bind;
import io.zynamo.proxy.wire.FrontendMessage.Close;
import io.zynamo.proxy.wire.FrontendMessage.CopyData;
import io.zynamo.proxy.wire.FrontendMessage.CopyDone;
import io.zynamo.proxy.wire.FrontendMessage.CopyFail;
import io.zynamo.proxy.wire.FrontendMessage.Describe;
import io.zynamo.proxy.wire.FrontendMessage.Execute;
import io.zynamo.proxy.wire.FrontendMessage.Flush;
import io.zynamo.proxy.wire.FrontendMessage.Parse;
import io.zynamo.proxy.wire.FrontendMessage.Query;
import io.zynamo.proxy.wire.FrontendMessage.Sync;
import io.zynamo.proxy.wire.FrontendMessage.Terminate;
import io.zynamo.proxy.wire.FrontendMessage.Unsupported;
import java.lang.System.Logger.Level;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One client session after the socket is accepted, run on its connection's own event loop ({@link
 * ConnectionLoops}):
 *
 * <pre>
 *   STARTUP --StartupMessage, engine opened--> READY ('I')
 *   READY: Query                -> results of each statement, ReadyForQuery
 *          Parse/Bind/Describe/Execute/Close -> replies; on error: ErrorResponse, then
 *                                 every message is discarded until Sync (protocol 55.2.3)
 *          Sync                 -> portals end, ReadyForQuery
 *   Terminate or disconnect     -> portals and engine closed
 * </pre>
 *
 * ReadyForQuery reports the engine's transaction state: idle ('I') outside BEGIN ... COMMIT, 'T'
 * inside, 'E' inside a transaction that failed.
 */
final class Session {

  private static final System.Logger LOG = System.getLogger(Session.class.getName());

  private final Startup startup;
  private final Replies replies;
  private final SqlFrontend frontend = new SqlFrontend();
  private final CancelFlag cancel = new CancelFlag();
  private final ProxyConfig.Timeouts timeouts;
  private final Timer timer;

  /** Set on the session's loop, read by a CancelRequest on another connection's loop. */
  private volatile @Nullable StatementExecutor executor;

  private @Nullable ExtendedQuery extended;
  private final int maxMessageBytes;
  private boolean skipUntilSync;
  private boolean closed;

  /** The COPY FROM STDIN in progress, or null. */
  private @Nullable CopyIn copyIn;

  /** The statements of the simple Query after the COPY FROM STDIN in progress. */
  private final Deque<String> afterCopy = new ArrayDeque<>();

  /** Messages handled so far: an idle timer expires only if none came since it was set. */
  private long handled;

  private @Nullable Runnable idleTimer;

  /** Runs a task on the session's loop after a delay; the returned action stops it. */
  @FunctionalInterface
  interface Timer {
    Runnable schedule(Runnable task, Duration delay);
  }

  Session(
      Startup startup,
      Replies replies,
      int maxMessageBytes,
      ProxyConfig.Timeouts timeouts,
      Timer timer) {
    this.startup = requireNonNull(startup, "startup");
    this.replies = requireNonNull(replies, "replies");
    this.maxMessageBytes = maxMessageBytes;
    this.timeouts = requireNonNull(timeouts, "timeouts");
    this.timer = requireNonNull(timer, "timer");
  }

  /** Handles one message; never throws. */
  void handle(FrontendMessage message) {
    if (closed) {
      return;
    }
    handled++;
    stopIdleTimer();
    try {
      if (executor == null) {
        begin(message);
      } else {
        dispatch(message, executor);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "session failed on " + message.getClass().getSimpleName(), e);
      replies.send(
          ErrorResponses.of("FATAL", ZynamoSqlState.INTERNAL_ERROR, "internal error: " + e));
      replies.close();
      close();
    }
  }

  private void begin(FrontendMessage message) {
    StatementExecutor opened = startup.handle(message, replies, this::cancel);
    if (startup.state() == Startup.State.FAILED) {
      replies.close();
      close();
      return;
    }
    if (opened == null) {
      return; // waiting for the client's password
    }
    executor = opened;
    extended = new ExtendedQuery(opened, replies, frontend, cancel);
    waitForClient(StatementExecutor.TransactionState.IDLE); // Startup sent ReadyForQuery
  }

  private void dispatch(FrontendMessage message, StatementExecutor engine) {
    if (message instanceof Terminate) {
      close();
      replies.close();
      return;
    }
    CopyIn copying = copyIn;
    if (copying != null) {
      copyMessage(message, copying, engine);
      return;
    }
    ExtendedQuery ext = requireNonNull(extended, "extended");
    if (skipUntilSync && !(message instanceof Sync)) {
      return;
    }
    cancel.clear();
    try {
      if (message instanceof Query query) {
        simpleQuery(query.sql(), engine, ext);
      } else if (message instanceof Sync) {
        skipUntilSync = false;
        ext.sync();
        ready();
      } else if (message instanceof Flush) {
        replies.flush();
      } else if (message instanceof Unsupported unsupported) {
        unsupported(unsupported);
      } else if (message instanceof CopyData
          || message instanceof CopyDone
          || message instanceof CopyFail) {
        // Outside COPY (e.g. after it failed) the server ignores them.
      } else {
        extended(message, ext);
      }
    } catch (SQLException e) {
      replies.send(ErrorResponses.error(e));
      if (message instanceof Query || message instanceof Sync) {
        ready();
      } else {
        skipUntilSync = true;
      }
    }
  }

  private static void extended(FrontendMessage message, ExtendedQuery ext) throws SQLException {
    if (message instanceof Parse parse) {
      ext.parse(parse);
    } else if (message instanceof Bind bind) {
      ext.bind(bind);
    } else if (message instanceof Describe describe) {
      ext.describe(describe);
    } else if (message instanceof Execute execute) {
      ext.execute(execute);
    } else if (message instanceof Close close) {
      ext.close(close);
    } else {
      throw ZynamoErrors.create(
          ZynamoSqlState.PROTOCOL_VIOLATION,
          "unexpected message " + message.getClass().getSimpleName());
    }
  }

  /**
   * Runs each statement of a simple Query in turn; the first error ends the Query. Unlike
   * PostgreSQL, the statements do not share one implicit transaction: each commits on its own.
   */
  private void simpleQuery(String sql, StatementExecutor engine, ExtendedQuery ext)
      throws SQLException {
    ext.dropUnnamed();
    List<String> statements = frontend.split(sql);
    if (statements.isEmpty()) {
      replies.send(new EmptyQueryResponse());
    }
    Deque<String> pending = new ArrayDeque<>(statements);
    if (runStatements(pending, engine)) {
      ready();
    }
  }

  /**
   * Runs the statements in turn until one starts a COPY FROM STDIN: then the rest wait for its end
   * and this returns false (no ReadyForQuery yet).
   */
  private boolean runStatements(Deque<String> pending, StatementExecutor engine)
      throws SQLException {
    while (!pending.isEmpty()) {
      String statement = pending.removeFirst();
      Prepared prepared = Prepared.of(statement, List.of(), frontend);
      if (prepared.kind() == StatementKind.COPY
          || CommandTag.leadingWords(statement, 1).equals(List.of("copy"))) {
        CopyCommand command = CopyCommand.parse(statement);
        if (!command.from()) {
          CopyOut.run(engine, command, replies, cancel);
          continue;
        }
        CopyIn started = CopyIn.start(engine, command, maxMessageBytes);
        copyIn = started;
        afterCopy.clear();
        afterCopy.addAll(pending);
        replies.send(new CopyResponse(true, started.columns()));
        replies.flush();
        return false;
      }
      if (!prepared.text().parameterNumbers().isEmpty()) {
        int first = prepared.text().parameterNumbers().get(0);
        throw ZynamoErrors.create(
            ZynamoSqlState.UNDEFINED_PARAMETER, "there is no parameter $" + first);
      }
      try (Portal portal = new Portal(prepared, List.of(), List.of())) {
        portal.executeAll(engine, replies, cancel);
      }
    }
    return true;
  }

  /**
   * A message during COPY FROM STDIN (protocol 55.2.6): CopyData feeds it, CopyDone ends it (and
   * the rest of its Query runs), CopyFail or an error aborts it; Flush and Sync are ignored; any
   * other message aborts it with 08P01.
   */
  private void copyMessage(FrontendMessage message, CopyIn copying, StatementExecutor engine) {
    // Terminate was handled before: closing the engine rolls the COPY's transaction back.
    if (message instanceof Flush || message instanceof Sync) {
      return;
    }
    try {
      if (message instanceof CopyData data) {
        copying.data(data.data());
        return;
      }
      if (message instanceof CopyDone) {
        long count = copying.done();
        copyIn = null;
        replies.send(new CommandComplete("COPY " + count));
        Deque<String> rest = new ArrayDeque<>(afterCopy);
        afterCopy.clear();
        if (runStatements(rest, engine)) {
          ready();
        }
        return;
      }
      if (message instanceof CopyFail fail) {
        throw ZynamoErrors.create(
            ZynamoSqlState.QUERY_CANCELED, "COPY from stdin failed: " + fail.message());
      }
      throw ZynamoErrors.create(
          ZynamoSqlState.PROTOCOL_VIOLATION,
          "unexpected message " + message.getClass().getSimpleName() + " during COPY from stdin");
    } catch (SQLException e) {
      CopyIn failed = copyIn;
      if (failed != null) {
        failed.abort();
      }
      copyIn = null;
      afterCopy.clear();
      replies.send(ErrorResponses.error(e));
      ready();
    }
  }

  private void unsupported(Unsupported message) throws SQLException {
    if (message.type() == 'F') {
      throw ZynamoErrors.create(
          ZynamoSqlState.FEATURE_NOT_SUPPORTED, "the function call protocol is not supported");
    }
  }

  private void ready() {
    StatementExecutor.TransactionState state =
        executor == null ? StatementExecutor.TransactionState.IDLE : executor.transactionState();
    replies.send(
        new ReadyForQuery(
            switch (state) {
              case IDLE -> TransactionStatus.IDLE;
              case ACTIVE -> TransactionStatus.IN_TRANSACTION;
              case FAILED -> TransactionStatus.FAILED;
            }));
    replies.flush();
    waitForClient(state);
  }

  /**
   * Starts the idle timer of the session's state (ReadyForQuery was just sent): if no message comes
   * before it expires, the session ends as PostgreSQL ends it, with a FATAL 57P05 (idle) or 25P03
   * (idle inside a transaction block, whose transaction is rolled back).
   */
  private void waitForClient(StatementExecutor.TransactionState state) {
    boolean inTransaction = state != StatementExecutor.TransactionState.IDLE;
    Duration limit = inTransaction ? timeouts.idleInTransaction() : timeouts.idleSession();
    if (limit.isZero() || closed) {
      return;
    }
    long armedAt = handled;
    idleTimer =
        timer.schedule(
            () -> {
              if (handled == armedAt && !closed) {
                replies.send(
                    inTransaction
                        ? ErrorResponses.of(
                            "FATAL",
                            ZynamoSqlState.IDLE_IN_TRANSACTION_SESSION_TIMEOUT,
                            "terminating connection due to idle-in-transaction timeout")
                        : ErrorResponses.of(
                            "FATAL",
                            ZynamoSqlState.IDLE_SESSION_TIMEOUT,
                            "terminating connection due to idle-session timeout"));
                replies.close();
                close();
              }
            },
            limit);
  }

  private void stopIdleTimer() {
    Runnable stop = idleTimer;
    if (stop != null) {
      idleTimer = null;
      stop.run();
    }
  }

  /**
   * A CancelRequest named this session (on the event loop): the statement running on the nodes is
   * cancelled there, and a result being streamed stops at the next row; both fail with 57014. The
   * nodes' cancel requests are sent from another thread, never holding up the event loop.
   */
  private void cancel() {
    cancel.request();
    StatementExecutor engine = executor;
    if (engine != null) {
      var unused = CompletableFuture.runAsync(engine::cancel);
    }
  }

  /** Ends the session: portals, then the engine (which returns its node connections). */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopIdleTimer();
    startup.end();
    try {
      if (extended != null) {
        extended.close();
      }
    } catch (SQLException e) {
      LOG.log(Level.DEBUG, "closing a session's portals: " + e);
    }
    try {
      if (executor != null) {
        executor.close();
      }
    } catch (SQLException e) {
      LOG.log(Level.DEBUG, "closing a session's engine: " + e);
    }
  }
}
