package io.zynamo.it.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * How a bulk-load contender writes ids 1..rows into an empty {@code bench_cov}, on one connection.
 */
enum BulkLoad {
  /** Multi-row {@code INSERT ... VALUES} statements of {@code batch} rows each. */
  INSERT {
    @Override
    void load(Connection connection, int rows, int batch) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        for (long from = 1; from <= rows; from += batch) {
          CoverageTable.insert(statement, from, Math.min(rows, from + batch - 1L));
        }
      }
    }
  },

  /** One {@code COPY bench_cov FROM STDIN} (text), written in chunks of {@code batch} rows. */
  COPY {
    @Override
    void load(Connection connection, int rows, int batch) throws SQLException {
      CopyIn copy =
          connection
              .unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn("COPY bench_cov (id, g, n, v) FROM STDIN");
      try {
        for (long from = 1; from <= rows; from += batch) {
          byte[] chunk =
              CoverageTable.copyText(from, Math.min(rows, from + batch - 1L))
                  .getBytes(StandardCharsets.UTF_8);
          copy.writeToCopy(chunk, 0, chunk.length);
        }
        long copied = copy.endCopy();
        if (copied != rows) {
          throw new IllegalStateException("COPY: " + copied + " rows (expected " + rows + ")");
        }
      } finally {
        if (copy.isActive()) {
          copy.cancelCopy();
        }
      }
    }
  };

  abstract void load(Connection connection, int rows, int batch) throws SQLException;
}
