package io.zynamo.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One driver instance inserting into {@code bigserial} tables, run in a child JVM by {@link
 * SequencesIT} so that several instances take values at once: {@code threads} threads each insert
 * {@code rows} rows into {@code events} (sharded by its serial key) and into {@code orders}
 * (sharded by customer, the serial a second key column), as single prepared INSERTs with {@code
 * RETURNING}, JDBC batches and multi-row VALUES. Prints {@code done <rows inserted>} at the end, or
 * {@code failed ...} per error.
 *
 * <p>Arguments: the Zynamo URL, a tag for the rows, the number of threads, rows per thread.
 */
public final class SerialInserts {

  private SerialInserts() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String tag = args[1];
    int threads = Integer.parseInt(args[2]);
    int rows = Integer.parseInt(args[3]);
    List<Thread> workers = new ArrayList<>();
    long[] inserted = new long[threads];
    for (int t = 0; t < threads; t++) {
      int thread = t;
      Thread worker =
          new Thread(() -> inserted[thread] = insert(url, tag + "-" + thread, thread, rows));
      workers.add(worker);
      worker.start();
    }
    long total = 0;
    for (int t = 0; t < threads; t++) {
      workers.get(t).join();
      total += inserted[t];
    }
    System.out.println("done " + total);
  }

  private static long insert(String url, String tag, int customer, int rows) {
    long inserted = 0;
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement event =
            c.prepareStatement("INSERT INTO events (payload) VALUES (?)", new String[] {"id"});
        PreparedStatement order =
            c.prepareStatement("INSERT INTO orders (customer, payload) VALUES (?, ?)");
        Statement plain = c.createStatement()) {
      int i = 0;
      while (i < rows) {
        switch (i % 3) {
          case 0 -> {
            event.setString(1, tag + "-" + i);
            event.executeUpdate();
            try (ResultSet key = event.getGeneratedKeys()) {
              if (!key.next() || key.getLong(1) <= 0) {
                System.out.println("failed no generated key for " + tag + "-" + i);
              }
            }
            order.setInt(1, customer);
            order.setString(2, tag + "-" + i);
            order.executeUpdate();
            i++;
          }
          case 1 -> {
            for (int b = 0; b < 5 && i < rows; b++, i++) {
              event.setString(1, tag + "-" + i);
              event.addBatch();
              order.setInt(1, customer + b);
              order.setString(2, tag + "-" + i);
              order.addBatch();
            }
            event.executeBatch();
            order.executeBatch();
          }
          default -> {
            String a = tag + "-" + i++;
            String b = tag + "-" + i++;
            plain.execute(
                "INSERT INTO events (payload) VALUES ('" + a + "'), ('" + b + "') RETURNING id");
            plain.executeUpdate(
                "INSERT INTO orders (customer, payload) VALUES ("
                    + customer
                    + ", '"
                    + a
                    + "'), ("
                    + (customer + 1)
                    + ", '"
                    + b
                    + "')");
          }
        }
      }
      inserted = i;
    } catch (SQLException e) {
      System.out.println("failed " + e.getSQLState() + " " + e.getMessage());
    }
    return inserted;
  }
}
