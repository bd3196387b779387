package io.zynamo.proxy.session;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.execution.StatementExecutor;
import io.zynamo.driver.sql.SqlFrontend;
import io.zynamo.proxy.wire.BackendMessage.EmptyQueryResponse;
import io.zynamo.proxy.wire.BackendMessage.ReadyForQuery;
import io.zynamo.proxy.wire.BackendMessage.TransactionStatus;
import io.zynamo.proxy.wire.FrontendMessage;
import io.zynamo.proxy.wire.FrontendMessage.Bind;
import io.zynamo.proxy.wire.FrontendMessage.Close;
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
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One client session after the socket is accepted, run on its worker ({@link SerialQueue}):
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
  private @Nullable StatementExecutor executor;
  private @Nullable ExtendedQuery extended;
  private boolean skipUntilSync;
  private boolean closed;

  Session(Startup startup, Replies replies) {
    this.startup = requireNonNull(startup, "startup");
    this.replies = requireNonNull(replies, "replies");
  }

  /** Handles one message; never throws. */
  void handle(FrontendMessage message) {
    if (closed) {
      return;
    }
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
  }

  private void dispatch(FrontendMessage message, StatementExecutor engine) {
    if (message instanceof Terminate) {
      close();
      replies.close();
      return;
    }
    if (skipUntilSync && !(message instanceof Sync)) {
      return;
    }
    ExtendedQuery ext = requireNonNull(extended, "extended");
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
    for (String statement : statements) {
      Prepared prepared = Prepared.of(statement, List.of(), frontend);
      if (!prepared.text().parameterNumbers().isEmpty()) {
        int first = prepared.text().parameterNumbers().get(0);
        throw ZynamoErrors.create(
            ZynamoSqlState.UNDEFINED_PARAMETER, "there is no parameter $" + first);
      }
      try (Portal portal = new Portal(prepared, List.of(), List.of())) {
        portal.executeAll(engine, replies, cancel);
      }
    }
    ready();
  }

  private void unsupported(Unsupported message) throws SQLException {
    if (message.type() == 'F') {
      throw ZynamoErrors.create(
          ZynamoSqlState.FEATURE_NOT_SUPPORTED, "the function call protocol is not supported");
    }
    // CopyData, CopyDone and CopyFail outside COPY are ignored, as by the server.
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
  }

  /**
   * A CancelRequest named this session. The engine's seam has no cancel yet, so a statement still
   * running on the nodes finishes; a result being streamed stops at the next row with 57014.
   */
  private void cancel() {
    cancel.request();
  }

  /** Ends the session: portals, then the engine (which returns its node connections). */
  void close() {
    if (closed) {
      return;
    }
    closed = true;
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
