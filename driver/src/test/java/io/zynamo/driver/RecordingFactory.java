package io.zynamo.driver;

import io.zynamo.driver.execution.Outcome;
import io.zynamo.driver.execution.StatementExecutor;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** A ConnectionFactory that records the URLs it opens and hands out idle engines. */
final class RecordingFactory implements ConnectionFactory {

  final List<ZynamoUrl> opened = new ArrayList<>();
  @Nullable SQLException failure;

  @Override
  public StatementExecutor open(ZynamoUrl url) throws SQLException {
    if (failure != null) {
      throw failure;
    }
    opened.add(url);
    return new StatementExecutor() {
      @Override
      public Outcome execute(String sql, List<@Nullable Object> parameters, boolean keys) {
        return new Outcome.Count(0, null);
      }

      @Override
      public DatabaseMetaData metaData() throws SQLException {
        throw new SQLException("no metadata in this test", "XX000");
      }

      @Override
      public boolean isValid(int timeoutSeconds) {
        return true;
      }

      @Override
      public void close() {}
    };
  }
}
