package io.zynamo.it.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The table of the coverage-query and bulk-load workloads, {@code bench_cov}, with the same rows
 * (ids 1..rows) on every contender: {@code g = id % 100}, {@code n = id * 7919 % 1000003} (a
 * scramble, so that ordering by {@code n} is not ordering by key) and {@code v = 'v' || id}.
 */
final class CoverageTable {

  static final String CREATE =
      "CREATE TABLE bench_cov (id bigint PRIMARY KEY, g int NOT NULL, n bigint NOT NULL,"
          + " v text NOT NULL)";

  private static final long STACK_BYTES = 256L << 20;

  private CoverageTable() {}

  static long g(long id) {
    return id % 100;
  }

  static long n(long id) {
    return id * 7919 % 1_000_003;
  }

  /** One plain PostgreSQL: a single {@code INSERT ... SELECT} over {@code generate_series}. */
  static void loadPlain(Connection connection, int rows) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(CREATE);
      statement.execute(
          "INSERT INTO bench_cov SELECT i, i % 100, i * 7919 % 1000003, 'v' || i"
              + " FROM generate_series(1::bigint, "
              + rows
              + ") i");
      statement.execute("ANALYZE bench_cov");
    }
  }

  /** The multi-row INSERT of ids {@code from..to}, inclusive, as literal values. */
  static String insert(long from, long to) {
    StringBuilder sql = new StringBuilder("INSERT INTO bench_cov (id, g, n, v) VALUES ");
    for (long id = from; id <= to; id++) {
      sql.append(id > from ? ", (" : "(").append(id).append(", ").append(g(id)).append(", ");
      sql.append(n(id)).append(", 'v").append(id).append("')");
    }
    return sql.toString();
  }

  /** Runs the multi-row INSERT of ids {@code from..to} and checks its count. */
  static void insert(Statement statement, long from, long to) throws SQLException {
    int inserted = statement.executeUpdate(insert(from, to));
    if (inserted != to - from + 1) {
      throw new IllegalStateException(
          "INSERT of ids "
              + from
              + ".."
              + to
              + ": "
              + inserted
              + " rows (expected "
              + (to - from + 1)
              + ")");
    }
  }

  /** COPY text format lines of ids {@code from..to}, inclusive. */
  static String copyText(long from, long to) {
    StringBuilder text = new StringBuilder();
    for (long id = from; id <= to; id++) {
      text.append(id).append('\t').append(g(id)).append('\t').append(n(id));
      text.append("\tv").append(id).append('\n');
    }
    return text.toString();
  }

  /** Writes the rows of ids {@code from..to}, inclusive, and checks the count. */
  @FunctionalInterface
  interface Writer {
    void write(Connection connection, long from, long to) throws SQLException;
  }

  /** One multi-row INSERT of literal values. */
  static final Writer MULTI_ROW_INSERT =
      (connection, from, to) -> {
        try (Statement statement = connection.createStatement()) {
          insert(statement, from, to);
        }
      };

  /** A JDBC batch of one-row prepared INSERTs. */
  static final Writer PREPARED_BATCH =
      (connection, from, to) -> {
        try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO bench_cov (id, g, n, v) VALUES (?, ?, ?, ?)")) {
          for (long id = from; id <= to; id++) {
            insert.setLong(1, id);
            insert.setLong(2, g(id));
            insert.setLong(3, n(id));
            insert.setString(4, "v" + id);
            insert.addBatch();
          }
          long inserted = 0;
          for (int count : insert.executeBatch()) {
            inserted += count;
          }
          if (inserted != to - from + 1) {
            throw new IllegalStateException(
                "batch of ids " + from + ".." + to + ": " + inserted + " rows inserted");
          }
        }
      };

  /**
   * Inserts ids 1..rows through {@code contender} in pieces of {@code batch} rows, {@code threads}
   * connections at a time, each taking the next piece of ids; the table exists.
   */
  static void insertInParallel(Contender contender, Writer writer, int rows, int batch, int threads)
      throws Exception {
    AtomicLong next = new AtomicLong(1);
    List<Callable<Void>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(
          () ->
              contender.call(
                  () -> {
                    try (Connection connection = contender.connector().open()) {
                      for (long from = next.getAndAdd(batch);
                          from <= rows;
                          from = next.getAndAdd(batch)) {
                        writer.write(connection, from, Math.min(rows, from + batch - 1));
                      }
                    }
                    return null;
                  }));
    }
    // A deep stack: ShardingSphere's parser recurses once per VALUES row (5,000 rows overflow 1
    // MiB).
    ExecutorService executor =
        Executors.newFixedThreadPool(
            threads, work -> new Thread(null, work, "bench-load", STACK_BYTES));
    try {
      for (Future<Void> done : executor.invokeAll(workers)) {
        try {
          done.get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception cause ? cause : e;
        }
      }
    } finally {
      executor.shutdownNow();
    }
  }
}
