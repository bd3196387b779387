package io.zynamo.driver.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplicaCallsTest {

  private static final BucketId BUCKET = new BucketId(17);
  private static final NodeId N1 = new NodeId("n1:1/db");
  private static final NodeId N2 = new NodeId("n2:1/db");
  private static final NodeId N3 = new NodeId("n3:1/db");
  private static final List<NodeId> REPLICAS = List.of(N1, N2, N3);

  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final ReplicaCalls calls = new ReplicaCalls(executor, Duration.ofSeconds(5));
  private final Set<NodeId> asked = ConcurrentHashMap.newKeySet();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private NodeTask<String> failingOn(Set<NodeId> down) {
    return node -> {
      asked.add(node);
      if (down.contains(node)) {
        throw new SQLException("connection refused", "08001");
      }
      return "ok " + node;
    };
  }

  @Test
  void writeSucceedsWithOneReplicaDown() throws SQLException {
    List<Reply<String>> replies = calls.write(BUCKET, REPLICAS, 2, failingOn(Set.of(N2)));
    assertEquals(2, replies.size());
    assertTrue(replies.stream().noneMatch(r -> r.node().equals(N2)));
  }

  @Test
  void writeFailsClearlyWhenTheQuorumCannotBeMet() {
    SQLException e =
        assertThrows(
            SQLException.class, () -> calls.write(BUCKET, REPLICAS, 2, failingOn(Set.of(N1, N3))));
    assertEquals("ZY001", e.getSQLState());
    // It fails as soon as two failures make W=2 impossible, so the healthy replica's answer may
    // not have arrived yet: "0 of 3" and "1 of 3" are both true at that moment.
    assertTrue(
        e.getMessage().matches("bucket 17: write acknowledged by [01] of 3 replicas .*"),
        e.getMessage());
    assertTrue(e.getMessage().contains(N3 + ": connection refused"), e.getMessage());
    assertTrue(e.getMessage().contains("expected: >= 2"), e.getMessage());
    assertTrue(e.getMessage().contains(N1 + ": connection refused"), e.getMessage());
    assertEquals("08001", ((SQLException) e.getCause()).getSQLState());
  }

  @Test
  void writeReturnsAtTheQuorumWhileSlowReplicasFinishInTheBackground() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch slowDone = new CountDownLatch(1);
    NodeTask<String> task =
        node -> {
          if (node.equals(N3)) {
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            slowDone.countDown();
          }
          return "ok";
        };
    assertEquals(2, calls.write(BUCKET, REPLICAS, 2, task).size());
    release.countDown();
    assertTrue(slowDone.await(5, TimeUnit.SECONDS));
  }

  @Test
  void readAsksOnlyAsManyReplicasAsNeeded() throws SQLException {
    List<Reply<String>> replies = calls.read(BUCKET, REPLICAS, 1, failingOn(Set.of()));
    assertEquals(List.of(new Reply<>(N1, "ok " + N1)), replies);
    assertEquals(Set.of(N1), asked);
  }

  @Test
  void readReplacesAFailedReplicaWithTheNextOne() throws SQLException {
    List<Reply<String>> replies = calls.read(BUCKET, REPLICAS, 2, failingOn(Set.of(N1)));
    assertEquals(Set.of(N2, N3), Set.copyOf(replies.stream().map(Reply::node).toList()));
  }

  @Test
  void readFailsWhenTooFewReplicasAreLeft() {
    SQLException e =
        assertThrows(
            SQLException.class, () -> calls.read(BUCKET, REPLICAS, 2, failingOn(Set.of(N1, N2))));
    assertTrue(
        e.getMessage().matches("bucket 17: read answered by [01] of 3 replicas .*"),
        e.getMessage());
  }

  @Test
  void aHangingReplicaCostsOneTimeoutNotForever() {
    ReplicaCalls quick = new ReplicaCalls(executor, Duration.ofMillis(200));
    CountDownLatch never = new CountDownLatch(1);
    NodeTask<String> hang =
        node -> {
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return "late";
        };
    SQLException e = assertThrows(SQLException.class, () -> quick.read(BUCKET, REPLICAS, 1, hang));
    assertTrue(e.getMessage().contains(": timed out after 200 ms"), e.getMessage());
  }

  @Test
  void aReplicaThatDoesNotAnswerInTimeIsReportedAsUnanswered() {
    Set<NodeId> unanswered = ConcurrentHashMap.newKeySet();
    ReplicaCalls quick =
        new ReplicaCalls(executor, Duration.ofMillis(200), (node, why) -> unanswered.add(node));
    CountDownLatch never = new CountDownLatch(1);
    NodeTask<String> hung =
        node -> {
          if (node.equals(N2)) {
            try {
              never.await(); // a node that accepted the call and never answers
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new SQLException("interrupted", "57014", e);
            }
          }
          if (node.equals(N3)) {
            throw new SQLException("connection refused", "08001");
          }
          return "ok";
        };
    SQLException e = assertThrows(SQLException.class, () -> quick.write(BUCKET, REPLICAS, 2, hung));
    assertEquals("ZY001", e.getSQLState());
    assertEquals(Set.of(N2), unanswered); // not N1 (answered), not N3 (failed: reported as such)
    never.countDown();
  }

  @Test
  void writeAndSettleWaitsForEveryReplicaAndIgnoresLateFailures() throws Exception {
    CountDownLatch quorumMet = new CountDownLatch(1);
    NodeTask<String> task =
        node -> {
          if (node.equals(N1)) {
            quorumMet.countDown();
            return "ok";
          }
          try {
            quorumMet.await(); // N2 and N3 answer only after N1's answer has met W = 1
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          if (node.equals(N3)) {
            throw new SQLException("connection refused", "08001");
          }
          return "ok";
        };
    List<Reply<String>> replies = calls.writeAndSettle(BUCKET, REPLICAS, 1, task);
    assertEquals(Set.of(N1, N2), Set.copyOf(replies.stream().map(Reply::node).toList()));
  }

  @Test
  void writeAndSettleStopsWaitingForAHungReplicaAtTheTimeout() throws SQLException {
    Set<NodeId> unanswered = ConcurrentHashMap.newKeySet();
    ReplicaCalls quick =
        new ReplicaCalls(executor, Duration.ofMillis(200), (node, why) -> unanswered.add(node));
    CountDownLatch never = new CountDownLatch(1);
    NodeTask<String> hung =
        node -> {
          if (node.equals(N3)) {
            try {
              never.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return "ok";
        };
    List<Reply<String>> replies = quick.writeAndSettle(BUCKET, REPLICAS, 2, hung);
    assertEquals(Set.of(N1, N2), Set.copyOf(replies.stream().map(Reply::node).toList()));
    assertEquals(Set.of(N3), unanswered);
    never.countDown();
  }
}
