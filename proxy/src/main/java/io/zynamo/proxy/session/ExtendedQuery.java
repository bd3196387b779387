package io.zynamo.proxy.session;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.execution.StatementExecutor;
import io.zynamo.driver.sql.SqlFrontend;
import io.zynamo.proxy.wire.BackendMessage.BindComplete;
import io.zynamo.proxy.wire.BackendMessage.CloseComplete;
import io.zynamo.proxy.wire.BackendMessage.ParseComplete;
import io.zynamo.proxy.wire.FrontendMessage.Bind;
import io.zynamo.proxy.wire.FrontendMessage.Close;
import io.zynamo.proxy.wire.FrontendMessage.Describe;
import io.zynamo.proxy.wire.FrontendMessage.Execute;
import io.zynamo.proxy.wire.FrontendMessage.Parse;
import io.zynamo.proxy.wire.FrontendMessage.Target;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The extended query protocol of one session: prepared statements and portals by name ("" being the
 * unnamed ones, replaced by each Parse or Bind), and the messages that act on them. Portals end at
 * the Sync that ends their transaction (the implicit one, or BEGIN ... COMMIT).
 */
final class ExtendedQuery implements AutoCloseable {

  private final StatementExecutor executor;
  private final Replies replies;
  private final SqlFrontend frontend;
  private final CancelFlag cancel;
  private final Map<String, Prepared> statements = new HashMap<>();
  private final Map<String, Portal> portals = new HashMap<>();

  ExtendedQuery(
      StatementExecutor executor, Replies replies, SqlFrontend frontend, CancelFlag cancel) {
    this.executor = requireNonNull(executor, "executor");
    this.replies = requireNonNull(replies, "replies");
    this.frontend = requireNonNull(frontend, "frontend");
    this.cancel = requireNonNull(cancel, "cancel");
  }

  void parse(Parse parse) throws SQLException {
    if (!parse.name().isEmpty() && statements.containsKey(parse.name())) {
      throw ZynamoErrors.create(
          ZynamoSqlState.DUPLICATE_PREPARED_STATEMENT,
          "prepared statement \"" + parse.name() + "\" already exists");
    }
    if (frontend.split(parse.sql()).size() > 1) {
      throw ZynamoErrors.create(
          ZynamoSqlState.SYNTAX_ERROR, "cannot insert multiple commands into a prepared statement");
    }
    statements.put(parse.name(), Prepared.of(parse.sql(), parse.parameterTypes(), frontend));
    replies.send(new ParseComplete());
  }

  void bind(Bind bind) throws SQLException {
    Prepared statement = statement(bind.statement());
    if (statement.needsTypes(bind)) {
      statement = resolved(bind.statement(), statement).statement();
    }
    if (!bind.portal().isEmpty() && portals.containsKey(bind.portal())) {
      throw ZynamoErrors.create(
          ZynamoSqlState.DUPLICATE_CURSOR, "cursor \"" + bind.portal() + "\" already exists");
    }
    Portal portal =
        new Portal(statement, statement.values(bind, bind.statement()), bind.resultFormats());
    closePortal(bind.portal());
    portals.put(bind.portal(), portal);
    replies.send(new BindComplete());
  }

  void describe(Describe describe) throws SQLException {
    if (describe.target() == Target.PORTAL) {
      replies.send(portal(describe.name()).describe(executor, replies));
      return;
    }
    StatementDescriber.Description description =
        resolved(describe.name(), statement(describe.name())).description();
    replies.send(description.parameters());
    replies.send(description.columns());
  }

  private record Resolved(Prepared statement, StatementDescriber.Description description) {}

  /** Describes the statement on a node and keeps the parameter types the node inferred. */
  private Resolved resolved(String name, Prepared statement) throws SQLException {
    StatementDescriber.Description description = StatementDescriber.describe(executor, statement);
    Prepared typed = statement.withTypes(description.parameters().typeOids());
    statements.put(name, typed);
    return new Resolved(typed, description);
  }

  void execute(Execute execute) throws SQLException {
    portal(execute.portal()).execute(executor, execute.maxRows(), replies, cancel);
  }

  void close(Close close) throws SQLException {
    if (close.target() == Target.STATEMENT) {
      statements.remove(close.name());
    } else {
      closePortal(close.name());
    }
    replies.send(new CloseComplete());
  }

  /**
   * Outside a transaction block, Sync ends the implicit transaction and with it every portal;
   * inside one (BEGIN ... COMMIT) portals live on, as pgjdbc's cursor fetches need, until the Sync
   * after the transaction ends.
   */
  void sync() throws SQLException {
    if (executor.transactionState() == StatementExecutor.TransactionState.IDLE) {
      closePortals();
    }
  }

  /** A simple Query replaces the unnamed statement and portal, as in PostgreSQL. */
  void dropUnnamed() throws SQLException {
    statements.remove("");
    closePortal("");
  }

  private Prepared statement(String name) throws SQLException {
    Prepared statement = statements.get(name);
    if (statement == null) {
      throw ZynamoErrors.create(
          ZynamoSqlState.INVALID_SQL_STATEMENT_NAME,
          "prepared statement \"" + name + "\" does not exist");
    }
    return statement;
  }

  private Portal portal(String name) throws SQLException {
    Portal portal = portals.get(name);
    if (portal == null) {
      throw ZynamoErrors.create(
          ZynamoSqlState.INVALID_CURSOR_NAME, "portal \"" + name + "\" does not exist");
    }
    return portal;
  }

  private void closePortal(String name) throws SQLException {
    Portal portal = portals.remove(name);
    if (portal != null) {
      portal.close();
    }
  }

  private void closePortals() throws SQLException {
    List<Portal> open = new ArrayList<>(portals.values());
    portals.clear();
    SQLException first = null;
    for (Portal portal : open) {
      try {
        portal.close();
      } catch (SQLException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public void close() throws SQLException {
    statements.clear();
    closePortals();
  }
}
