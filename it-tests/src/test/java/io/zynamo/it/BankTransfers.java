package io.zynamo.it;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bank-transfer workload, run in a child JVM by {@link TransactionsIT} so that it can be killed
 * mid-commit: {@code threads} threads move random amounts between random accounts, each transfer
 * one transaction of two UPDATEs (usually on accounts whose buckets live on different nodes).
 * Prints {@code committed <n>} after every commit, so the parent knows it is under way.
 *
 * <p>Arguments: the Zynamo URL, the number of accounts, the number of threads.
 */
public final class BankTransfers {

  private BankTransfers() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int accounts = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    AtomicLong committed = new AtomicLong();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> transfer(url, accounts, committed), "transfer-" + t);
      worker.start();
    }
    Thread.sleep(Long.MAX_VALUE); // until killed
  }

  private static void transfer(String url, int accounts, AtomicLong committed) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      PreparedStatement move =
          c.prepareStatement("UPDATE accounts SET balance = balance + ? WHERE id = ?");
      while (true) {
        int a = random.nextInt(accounts);
        int b = random.nextInt(accounts - 1);
        b = b >= a ? b + 1 : b;
        int amount = 1 + random.nextInt(100);
        try {
          // Lower id first: two transfers never wait on each other's rows in opposite orders on
          // two nodes (a deadlock across nodes is not detected; see docs/sql-support.md).
          int first = Math.min(a, b);
          int second = Math.max(a, b);
          move.setInt(1, first == a ? -amount : amount);
          move.setInt(2, first);
          move.executeUpdate();
          move.setInt(1, second == a ? -amount : amount);
          move.setInt(2, second);
          move.executeUpdate();
          c.commit();
          System.out.println("committed " + committed.incrementAndGet());
        } catch (SQLException e) {
          System.out.println("failed " + e.getSQLState() + " " + e.getMessage());
          c.rollback();
        }
      }
    } catch (SQLException e) {
      System.out.println("worker ended: " + e);
    }
  }
}
