package io.zynamo.proxy.session;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.execution.Outcome;
import io.zynamo.driver.execution.StatementExecutor;
import io.zynamo.proxy.copy.CopyCommand;
import io.zynamo.proxy.copy.CopyWriter;
import io.zynamo.proxy.wire.BackendMessage.CommandComplete;
import io.zynamo.proxy.wire.BackendMessage.CopyOutData;
import io.zynamo.proxy.wire.BackendMessage.CopyOutDone;
import io.zynamo.proxy.wire.BackendMessage.CopyResponse;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code COPY table TO STDOUT} and {@code COPY (query) TO STDOUT}: the engine runs the query
 * ({@code SELECT columns FROM table} for a table) like any other, so a cluster-wide table is read
 * from its coverage plan, and each row streams to the client as one CopyData, with backpressure.
 */
final class CopyOut {

  private CopyOut() {}

  static void run(StatementExecutor engine, CopyCommand command, Replies replies, CancelFlag cancel)
      throws SQLException {
    String query = command.query();
    if (query == null) {
      String columns = command.columns().isEmpty() ? "*" : String.join(", ", command.columns());
      query = "SELECT " + columns + " FROM " + command.table();
    }
    Outcome outcome = engine.execute(query, List.of(), false);
    ResultSet rows = outcome.rowsOrReturned();
    if (rows == null) {
      throw ZynamoErrors.create(
          ZynamoSqlState.FEATURE_NOT_SUPPORTED, "COPY query must have a RETURNING clause");
    }
    try (ResultSet open = rows) {
      ResultSetMetaData md = open.getMetaData();
      List<String> names = new ArrayList<>(md.getColumnCount());
      for (int i = 1; i <= md.getColumnCount(); i++) {
        names.add(md.getColumnLabel(i));
      }
      CopyWriter writer = new CopyWriter(command.format(), names);
      replies.send(new CopyResponse(false, names.size()));
      if (command.format().header()) {
        replies.send(new CopyOutData(writer.header(names)));
      }
      long count = 0;
      List<@Nullable String> values = new ArrayList<>(names.size());
      while (true) {
        cancel.check();
        if (!open.next()) {
          break;
        }
        values.clear();
        for (int i = 1; i <= names.size(); i++) {
          values.add(open.getString(i));
        }
        replies.sendRow(new CopyOutData(writer.row(values)));
        count++;
      }
      replies.send(new CopyOutDone());
      replies.send(new CommandComplete("COPY " + count));
    }
  }
}
