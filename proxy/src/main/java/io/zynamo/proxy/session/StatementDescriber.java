package io.zynamo.proxy.session;

import io.zynamo.driver.execution.StatementExecutor;
import io.zynamo.driver.result.VisibleColumnsResultSet;
import io.zynamo.proxy.types.PgType;
import io.zynamo.proxy.wire.BackendMessage;
import io.zynamo.proxy.wire.BackendMessage.NoData;
import io.zynamo.proxy.wire.BackendMessage.ParameterDescription;
import java.sql.Connection;
import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers Describe of a prepared statement, which comes before any parameter is bound: no shard key
 * is known, so nothing can be routed or run. The text is instead described (parsed, not run) on the
 * node that serves the session's metadata: every node holds the same tables, so the parameter and
 * column types are the same everywhere. Internal columns are hidden.
 *
 * <p>The engine's seam has no describe of its own yet; this uses the connection behind {@link
 * StatementExecutor#metaData()}, which the session keeps until it ends.
 */
final class StatementDescriber {

  /** ParameterDescription, then RowDescription (text format) or NoData. */
  record Description(ParameterDescription parameters, BackendMessage columns) {}

  private StatementDescriber() {}

  static Description describe(StatementExecutor executor, Prepared statement) throws SQLException {
    Connection node = executor.metaData().getConnection();
    try (PreparedStatement described = node.prepareStatement(statement.text().sql())) {
      List<Integer> numbers = statement.text().parameterNumbers();
      int[] types = new int[statement.parameterCount()];
      for (int i = 0; i < types.length; i++) {
        types[i] = statement.declaredType(i + 1);
      }
      if (!numbers.isEmpty()) {
        ParameterMetaData parameters = described.getParameterMetaData();
        for (int i = 0; i < numbers.size(); i++) {
          int number = numbers.get(i);
          if (types[number - 1] == 0) {
            types[number - 1] = PgType.ofColumn(parameters.getParameterTypeName(i + 1)).oid();
          }
        }
      }
      for (int i = 0; i < types.length; i++) {
        if (types[i] == 0) {
          types[i] = PgType.TEXT.oid(); // declared nowhere and unused in the text
        }
      }
      ResultSetMetaData columns = described.getMetaData();
      BackendMessage rows =
          columns == null
              ? new NoData()
              : Columns.of(VisibleColumnsResultSet.visibleMetaData(columns), List.of())
                  .description();
      List<Integer> oids = new ArrayList<>(types.length);
      for (int type : types) {
        oids.add(type);
      }
      return new Description(new ParameterDescription(oids), rows);
    }
  }
}
