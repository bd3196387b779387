package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.ring.NodeId;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Cluster-unique sequence values for one driver or proxy instance, without a round trip per value:
 * the instance takes a block of values at a time and hands them out from memory, as a PostgreSQL
 * sequence with {@code CACHE n} does per session.
 *
 * <p>A block is taken under a lock on a majority of the cluster's nodes: in node order (so that two
 * instances never wait on each other in opposite orders), each node's transaction takes an advisory
 * lock for the sequence and reads the node's sequence; the block starts after the highest value any
 * locked node has seen, and every locked node's sequence is set to the block's end before the locks
 * are released by COMMIT. Two majorities share a node, and a block is used only once a majority has
 * committed it, so the next block taken anywhere starts after it. The nodes' own sequences thereby
 * follow the cluster ({@code SELECT last_value FROM s} on a node shows at most the highest block
 * end). Values are not transactional, as in PostgreSQL: a rolled-back INSERT leaves a gap, and an
 * instance that stops loses the rest of its block.
 */
final class ClusterSequences {

  /** The first key of the advisory locks on sequences ("ZYSQ" in ASCII). */
  private static final int LOCK_CLASS = 0x5A59_5351;

  private static final String LOCK_WAIT = "10s";

  private final Cluster cluster;
  private final int blockSize;
  private final Map<String, Cache> caches = new ConcurrentHashMap<>();
  private final Map<String, String> names = new ConcurrentHashMap<>();

  ClusterSequences(Cluster cluster, int blockSize) {
    this.cluster = requireNonNull(cluster, "cluster");
    if (blockSize < 1) {
      throw new IllegalArgumentException("block size " + blockSize + " (expected: >= 1)");
    }
    this.blockSize = blockSize;
  }

  /**
   * The sequence a name means, schema-qualified and quoted as {@code format('%I.%I')} prints it,
   * resolved as PostgreSQL resolves {@code 'name'::regclass} on the nodes.
   */
  String resolve(String name) throws SQLException {
    String known = names.get(name);
    if (known != null) {
      return known;
    }
    try (Connection c = cluster.anyConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT format('%I.%I', n.nspname, c.relname), c.relkind FROM pg_class c"
                    + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE c.oid = CAST(? AS regclass)")) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next() || !"S".equals(rs.getString(2))) {
          throw ZynamoErrors.create(
              ZynamoSqlState.WRONG_OBJECT_TYPE, "\"" + name + "\" is not a sequence");
        }
        String qualified = rs.getString(1);
        names.put(name, qualified);
        return qualified;
      }
    }
  }

  /** The next value of {@code sequence} (as {@link #resolve} gives it) for this instance. */
  long next(String sequence) throws SQLException {
    Cache cache = caches.computeIfAbsent(sequence, s -> new Cache());
    synchronized (cache) {
      if (cache.remaining == 0) {
        Block block = allocate(sequence, null);
        cache.next = block.first();
        cache.increment = block.increment();
        cache.remaining = block.count();
      }
      long value = cache.next;
      cache.remaining--;
      if (cache.remaining > 0) {
        cache.next += cache.increment;
      }
      return value;
    }
  }

  /**
   * {@code setval(sequence, value, called)} on a majority of the nodes, under the same locks as a
   * block; this instance's block is dropped. Other instances keep theirs until used up, as other
   * sessions keep their cached values of a PostgreSQL sequence.
   */
  void set(String sequence, long value, boolean called) throws SQLException {
    caches.remove(sequence);
    allocate(sequence, new long[] {value, called ? 1 : 0});
    caches.remove(sequence);
  }

  /** Forgets blocks and names: after DDL, which may have changed or dropped a sequence. */
  void forget() {
    caches.clear();
    names.clear();
  }

  /** Values handed out from memory. */
  private static final class Cache {
    long next;
    long increment;
    long remaining;
  }

  /** {@code count} values from {@code first}, {@code increment} apart. */
  record Block(long first, long increment, long count) {}

  /** A node's sequence as read under the lock. */
  private record State(BigInteger next, long increment, long min, long max) {}

  /**
   * Takes a block (or, with {@code setTo} = {value, called}, sets the sequence) under a majority's
   * locks; null for a set.
   */
  private @Nullable Block allocate(String sequence, long @Nullable [] setTo) throws SQLException {
    List<NodeId> nodes = cluster.ring().nodes();
    int majority = nodes.size() / 2 + 1;
    Map<NodeId, String> failures = new LinkedHashMap<>();
    List<Locked> locked = new ArrayList<>();
    try {
      for (NodeId node : nodes) {
        Locked lock = lock(node, sequence, failures);
        if (lock != null) {
          locked.add(lock);
        }
      }
      requireMajority(sequence, nodes, locked.size(), majority, failures);
      Block block = null;
      long end;
      boolean called = true;
      if (setTo == null) {
        block = block(sequence, locked);
        end = block.first() + (block.count() - 1) * block.increment();
      } else {
        end = setTo[0];
        called = setTo[1] == 1;
      }
      for (Locked lock : locked) {
        lock.set(sequence, end, called);
      }
      int committed = 0;
      for (Locked lock : locked) {
        if (lock.commit(failures)) {
          committed++;
        }
      }
      requireMajority(sequence, nodes, committed, majority, failures);
      return block;
    } finally {
      for (Locked lock : locked) {
        lock.close();
      }
    }
  }

  private static void requireMajority(
      String sequence, List<NodeId> nodes, int count, int majority, Map<NodeId, String> failures)
      throws SQLException {
    if (count >= majority) {
      return;
    }
    StringBuilder message =
        new StringBuilder(
            String.format(
                "sequence %s: %d of %d nodes took part in taking values (expected: a majority,"
                    + " >= %d)",
                sequence, count, nodes.size(), majority));
    failures.forEach((node, why) -> message.append("; ").append(node).append(": ").append(why));
    throw ZynamoErrors.create(ZynamoSqlState.QUORUM_NOT_MET, message.toString());
  }

  /** The next block after every locked node's values. */
  private Block block(String sequence, List<Locked> locked) throws SQLException {
    // Parameters (increment, bounds) as the first locked node has them: ALTER SEQUENCE reaches
    // every node as DDL.
    State first = requireNonNull(locked.get(0).state);
    long increment = first.increment();
    BigInteger start = first.next();
    for (Locked lock : locked) {
      BigInteger next = requireNonNull(lock.state).next();
      start = increment > 0 ? start.max(next) : start.min(next);
    }
    BigInteger step = BigInteger.valueOf(increment);
    BigInteger limit = BigInteger.valueOf(increment > 0 ? first.max() : first.min());
    if (increment > 0 ? start.compareTo(limit) > 0 : start.compareTo(limit) < 0) {
      throw ZynamoErrors.create(
          ZynamoSqlState.SEQUENCE_GENERATOR_LIMIT_EXCEEDED,
          "nextval: reached "
              + (increment > 0 ? "maximum" : "minimum")
              + " value of sequence \""
              + sequence
              + "\" ("
              + limit
              + ")");
    }
    BigInteger left = limit.subtract(start).divide(step).add(BigInteger.ONE);
    long count = left.min(BigInteger.valueOf(blockSize)).longValueExact();
    return new Block(start.longValueExact(), increment, count);
  }

  /** Opens a transaction on {@code node} holding the sequence's lock; null if it is unreachable. */
  private @Nullable Locked lock(NodeId node, String sequence, Map<NodeId, String> failures)
      throws SQLException {
    Connection c;
    try {
      c = cluster.pools().connection(node);
    } catch (SQLException e) {
      if (!NodeFailures.isUnreachable(e)) {
        throw ZynamoErrors.fromNode(node, e);
      }
      failures.put(node, String.valueOf(e.getMessage()));
      return null;
    }
    Locked lock = new Locked(node, c);
    try {
      lock.begin(sequence);
      return lock;
    } catch (SQLException e) {
      lock.close();
      if (!NodeFailures.isUnreachable(e)) {
        throw ZynamoErrors.fromNode(node, e);
      }
      failures.put(node, String.valueOf(e.getMessage()));
      return null;
    }
  }

  /** One node's transaction holding the sequence's lock. */
  private static final class Locked implements AutoCloseable {
    final NodeId node;
    final Connection connection;
    @Nullable State state;
    boolean open;

    Locked(NodeId node, Connection connection) {
      this.node = node;
      this.connection = connection;
    }

    void begin(String sequence) throws SQLException {
      connection.setAutoCommit(false);
      open = true;
      try (Statement s = connection.createStatement()) {
        s.execute("SET LOCAL lock_timeout = '" + LOCK_WAIT + "'");
      }
      try (PreparedStatement lock =
          connection.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
        lock.setInt(1, LOCK_CLASS);
        lock.setString(2, sequence);
        lock.execute();
      }
      // The name comes from format('%I.%I'): quoted where needed, safe in the text.
      try (PreparedStatement read =
          connection.prepareStatement(
              "SELECT s.seqincrement, s.seqmin, s.seqmax, l.last_value, l.is_called"
                  + " FROM pg_sequence s, "
                  + sequence
                  + " l WHERE s.seqrelid = CAST(? AS regclass)")) {
        read.setString(1, sequence);
        try (ResultSet rs = read.executeQuery()) {
          if (!rs.next()) {
            throw ZynamoErrors.create(
                ZynamoSqlState.WRONG_OBJECT_TYPE, "\"" + sequence + "\" is not a sequence");
          }
          long increment = rs.getLong(1);
          BigInteger last = BigInteger.valueOf(rs.getLong(4));
          BigInteger next = rs.getBoolean(5) ? last.add(BigInteger.valueOf(increment)) : last;
          state = new State(next, increment, rs.getLong(2), rs.getLong(3));
        }
      }
    }

    void set(String sequence, long value, boolean called) throws SQLException {
      try (PreparedStatement set =
          connection.prepareStatement("SELECT setval(CAST(? AS regclass), ?, ?)")) {
        set.setString(1, sequence);
        set.setLong(2, value);
        set.setBoolean(3, called);
        set.execute();
      } catch (SQLException e) {
        throw ZynamoErrors.fromNode(node, e);
      }
    }

    /** Commits; false (with the reason noted) if the node went away meanwhile. */
    boolean commit(Map<NodeId, String> failures) throws SQLException {
      try {
        connection.commit();
        open = false;
        return true;
      } catch (SQLException e) {
        if (!NodeFailures.isUnreachable(e)) {
          throw ZynamoErrors.fromNode(node, e);
        }
        failures.put(node, String.valueOf(e.getMessage()));
        return false;
      }
    }

    @Override
    public void close() {
      try {
        if (open) {
          connection.rollback();
        }
        connection.setAutoCommit(true);
      } catch (SQLException e) {
        // the connection is broken: closing it discards it
      }
      try {
        connection.close();
      } catch (SQLException e) {
        // nothing more to release
      }
    }
  }
}
