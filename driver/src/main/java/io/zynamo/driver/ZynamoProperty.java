package io.zynamo.driver;

import static java.util.Objects.requireNonNull;

import io.zynamo.ring.KeyHasher;
import io.zynamo.ring.ReplicationFactor;
import java.sql.DriverPropertyInfo;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Every connection property Zynamo itself reads: the single source of names, defaults, ranges and
 * documentation (as pgjdbc's {@code PGProperty}).
 *
 * <p>A property not listed here is not Zynamo's: it passes through unchanged to the PostgreSQL
 * connections to the nodes ({@code ssl}, {@code sslmode}, {@code ApplicationName}, ...). The listed
 * ones never pass through; the connection code applies {@link #USER}, {@link #PASSWORD} and the
 * timeouts to the node connections itself. Names are case-sensitive, as in pgjdbc.
 */
public enum ZynamoProperty {
  /** {@code user}: the role to log in as on every node. */
  USER("user", Kind.TEXT, "The PostgreSQL role to log in as on every node. No default."),

  /** {@code password}: never shown in messages, logs or {@code toString()}. */
  PASSWORD(
      "password",
      Kind.SECRET,
      "The password of user on every node. Never shown in messages, logs or toString()."),

  /** {@code replicas}, N: 1..16, default 3. */
  REPLICAS(
      "replicas",
      "3",
      Kind.INTEGER,
      1,
      ReplicationFactor.MAX,
      "N: replicas per bucket, when this connection creates the ring (the first connection to"
          + " empty nodes); an existing ring keeps the N it was created with. Capped at the number"
          + " of distinct hosts."),

  /** {@code readQuorum}, R: 1..replicas, default 2 (capped at replicas). */
  READ_QUORUM(
      "readQuorum",
      "2",
      Kind.INTEGER,
      1,
      ReplicationFactor.MAX,
      "R: replicas that must answer a read by shard key. When absent: 2, or the ring's copies"
          + " per bucket if fewer (1 on a 1-node cluster)."
          + " R + W > N lets every read see the latest acknowledged write."),

  /** {@code writeQuorum}, W: 1..replicas, default 2 (capped at replicas). */
  WRITE_QUORUM(
      "writeQuorum",
      "2",
      Kind.INTEGER,
      1,
      ReplicationFactor.MAX,
      "W: replicas that must acknowledge a write before it succeeds. When absent: 2, or the ring's"
          + " copies per bucket if fewer (1 on a 1-node cluster)."),

  /** {@code bucketBits}, Q: 0..16, default 8 (256 buckets). */
  BUCKET_BITS(
      "bucketBits",
      "8",
      Kind.INTEGER,
      0,
      KeyHasher.MAX_BITS,
      "Q: the ring has 2^Q buckets, when this connection creates the ring; an existing ring keeps"
          + " its own."),

  /** {@code connectTimeout}: seconds per connection attempt to a node or seed, default 5. */
  CONNECT_TIMEOUT(
      "connectTimeout",
      "5",
      Kind.SECONDS,
      0,
      Kind.MAX_SECONDS,
      "Seconds to open one connection to a node or seed, 0 = no limit. Shorter than pgjdbc's 10"
          + " because the driver moves on to the next seed."),

  /** {@code socketTimeout}: seconds per read from a node, default 30 (0: no limit). */
  SOCKET_TIMEOUT(
      "socketTimeout",
      "30",
      Kind.SECONDS,
      0,
      Kind.MAX_SECONDS,
      "Seconds a read from a node may block before its connection counts as broken (08006) and"
          + " the node as suspect, 0 = no limit. Without a limit, a node that stops answering"
          + " without closing its connections (paused, a half-open network) holds every statement"
          + " waiting on it for ever; the price of a limit is that a node query silent for longer"
          + " (a long sort, a CREATE INDEX on a big table) fails: raise it for those."),

  /** {@code loginTimeout}: seconds for the whole of {@code connect()}; see description. */
  LOGIN_TIMEOUT(
      "loginTimeout",
      null,
      Kind.SECONDS,
      0,
      Kind.MAX_SECONDS,
      "Seconds connect() may take in all, seeds and ring included, 0 = no limit. When absent,"
          + " DriverManager.getLoginTimeout() applies, as in pgjdbc."),

  /** {@code poolSize}: most connections per node, 1..1000, default 10. */
  POOL_SIZE(
      "poolSize",
      "10",
      Kind.INTEGER,
      1,
      1000,
      "Most connections open to one node (the size of its pool). Default as HikariCP."),

  /** {@code downAfterFailures}: failed connection attempts before a node is skipped, default 1. */
  DOWN_AFTER_FAILURES(
      "downAfterFailures",
      "1",
      Kind.INTEGER,
      0,
      1000,
      "Consecutive failed connection attempts to a node (each after the full connectTimeout) after"
          + " which it is believed down: requests skip it at once (SQLState 08001, so the next"
          + " replica is used) until a probe or a retry reaches it. 0 = never skip a node."),

  /** {@code probeInterval}: seconds between probes of nodes believed down, default 1. */
  PROBE_INTERVAL(
      "probeInterval",
      "1",
      Kind.SECONDS,
      1,
      Kind.MAX_SECONDS,
      "Seconds between background probes (log in and SELECT 1, within this interval or"
          + " connectTimeout if shorter) of each node believed down; one that answers is used"
          + " again."),

  /** {@code downRetryInterval}: seconds between real attempts on a node believed down, 10. */
  DOWN_RETRY_INTERVAL(
      "downRetryInterval",
      "10",
      Kind.SECONDS,
      1,
      Kind.MAX_SECONDS,
      "Seconds after which one request tries a node believed down for real, even if no probe has"
          + " reached it; the others keep skipping it."),

  /** {@code recoveryInterval}: seconds between two-phase commit recovery passes, default 10. */
  RECOVERY_INTERVAL(
      "recoveryInterval",
      "10",
      Kind.SECONDS,
      0,
      Kind.MAX_SECONDS,
      "Seconds between background passes that finish or roll back prepared transactions left by"
          + " a coordinator that died mid-commit (the first pass runs at connect); 0 = no"
          + " background pass (SELECT zynamo.recover() still runs one)."),

  /** {@code repairInterval}: seconds between background anti-entropy passes, default 0 (none). */
  REPAIR_INTERVAL(
      "repairInterval",
      "0",
      Kind.SECONDS,
      0,
      Kind.MAX_SECONDS,
      "Seconds between background anti-entropy passes, each starting this long after the previous"
          + " one ended (the first one this long after connecting): every bucket's replicas are"
          + " compared by hash trees computed on the nodes and differing rows repaired; 0 = no"
          + " background pass (SELECT zynamo.repair() still runs one)."),

  /** {@code gossipInterval}: seconds between gossip rounds of the ring, default 1 (0: none). */
  GOSSIP_INTERVAL(
      "gossipInterval",
      "1",
      Kind.SECONDS,
      0,
      Kind.MAX_SECONDS,
      "Seconds between gossip rounds: each round reads the ring stored on one random node, merges"
          + " it, writes back what the node lacks and records this instance's heartbeat there"
          + " (zynamo.instances). A statement waits for a round when none succeeded for 10 rounds"
          + " (at least 5 seconds: the ring lease), and fails with 08001 when no node answers;"
          + " 0 = no gossip and no lease (the ring is read once, at connect)."),

  /** {@code moveRate}: rows per second a bucket move copies at most, default 0 (no limit). */
  MOVE_RATE(
      "moveRate",
      "0",
      Kind.INTEGER,
      0,
      100_000_000,
      "Rows (and tombstones) per second a bucket move started or carried on by this driver"
          + " instance copies at most, on average, so that adding or removing a node leaves room"
          + " for the workload; 0 = as fast as the nodes go."),

  /** {@code sloppyQuorum}: whether stand-ins may make up a write quorum, default true. */
  SLOPPY_QUORUM(
      "sloppyQuorum",
      "true",
      Kind.BOOLEAN,
      0,
      0,
      "Whether a write whose bucket has fewer than W reachable replicas may still be acknowledged"
          + " by leaving its row images as hints on nodes outside the bucket's preference list"
          + " (stand-ins, one per missing acknowledgement; Dynamo's sloppy quorum); they are"
          + " handed off to the replicas once these answer. false = strict quorum: such a write"
          + " fails with ZY001."),

  /** {@code tombstoneGrace}: seconds a tombstone is kept at least, default 3600. */
  TOMBSTONE_GRACE(
      "tombstoneGrace",
      "3600",
      Kind.INTEGER,
      0,
      30 * Kind.MAX_SECONDS,
      "Seconds a deletion's tombstone is kept at least (counted from the deletion's version) before"
          + " an anti-entropy pass may remove it, and only once every replica of its bucket holds"
          + " it and no node keeps hints for its table: longer than any write, transaction or"
          + " delayed image can stay in flight. 0..2592000 (30 days)."),

  /** {@code sequenceCache}: cluster-unique sequence values taken at a time, default 100. */
  SEQUENCE_CACHE(
      "sequenceCache",
      "100",
      Kind.INTEGER,
      1,
      1_000_000,
      "Values of a sequence (serial, identity, nextval) this driver instance takes from the"
          + " cluster at a time, under a lock on a majority of the nodes, and then hands out from"
          + " memory, as a PostgreSQL sequence's CACHE does per session; the rest of a block is"
          + " lost when the instance stops.");

  /** How a value is read. */
  public enum Kind {
    /** Free text. */
    TEXT,
    /** Free text never shown. */
    SECRET,
    /** A decimal integer in a range. */
    INTEGER,
    /** A whole number of seconds in a range. */
    SECONDS,
    /** {@code true} or {@code false}, in any case. */
    BOOLEAN;

    /** Longest accepted timeout: one day, so that milliseconds still fit an int. */
    static final int MAX_SECONDS = 86_400;
  }

  private static final Map<String, ZynamoProperty> BY_NAME =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(p -> p.propertyName, Function.identity()));

  private static final Map<String, ZynamoProperty> BY_LOWER_CASE_NAME =
      Arrays.stream(values())
          .collect(
              Collectors.toUnmodifiableMap(
                  p -> p.propertyName.toLowerCase(Locale.ROOT), Function.identity()));

  private final String propertyName;
  private final @Nullable String defaultValue;
  private final Kind kind;
  private final int minimum;
  private final int maximum;
  private final String description;

  ZynamoProperty(String name, Kind kind, String description) {
    this(name, null, kind, 0, 0, description);
  }

  ZynamoProperty(
      String propertyName,
      @Nullable String defaultValue,
      Kind kind,
      int minimum,
      int maximum,
      String description) {
    this.propertyName = propertyName;
    this.defaultValue = defaultValue;
    this.kind = kind;
    this.minimum = minimum;
    this.maximum = maximum;
    this.description = description;
  }

  /** The name in URLs and {@link java.util.Properties}, e.g. {@code readQuorum}. */
  public String propertyName() {
    return propertyName;
  }

  /** The value used when the property is absent, as written in a URL; empty when none. */
  public Optional<String> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** How the value is read. */
  public Kind kind() {
    return kind;
  }

  /** Whether the value must never be shown. */
  public boolean isSecret() {
    return kind == Kind.SECRET;
  }

  /** What the property does, its unit and its default. */
  public String description() {
    return description;
  }

  /** The property with exactly this name. */
  public static Optional<ZynamoProperty> forName(String name) {
    return Optional.ofNullable(BY_NAME.get(requireNonNull(name, "name")));
  }

  /** The property whose name equals this one ignoring case: catches {@code readquorum}. */
  static Optional<ZynamoProperty> forNameIgnoringCase(String name) {
    return Optional.ofNullable(BY_LOWER_CASE_NAME.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * Reads a numeric value and checks its range.
   *
   * @throws IllegalArgumentException {@code "replicas: 20 (expected: 1..16)"}
   * @throws IllegalStateException if the property is not numeric
   */
  public int parseInt(String value) {
    return parseInt(value, maximum, "");
  }

  /**
   * As {@link #parseInt(String)}, with a tighter maximum and a note saying why: a quorum's maximum
   * is the replica count.
   */
  int parseInt(String value, int max, String maxNote) {
    requireNonNull(value, "value");
    if (kind != Kind.INTEGER && kind != Kind.SECONDS) {
      throw new IllegalStateException(propertyName + " is not numeric");
    }
    String unit = kind != Kind.SECONDS ? "" : minimum == 0 ? " seconds, 0 = no limit" : " seconds";
    String expected = minimum + ".." + max + unit + maxNote;
    int parsed;
    try {
      parsed = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          propertyName + ": '" + value + "' (expected: an integer in " + expected + ")", e);
    }
    if (parsed < minimum || parsed > max) {
      throw new IllegalArgumentException(
          propertyName + ": " + parsed + " (expected: " + expected + ")");
    }
    return parsed;
  }

  /**
   * Reads a boolean value.
   *
   * @throws IllegalArgumentException {@code "sloppyQuorum: 'yes' (expected: true or false)"}
   * @throws IllegalStateException if the property is not a boolean
   */
  public boolean parseBoolean(String value) {
    requireNonNull(value, "value");
    if (kind != Kind.BOOLEAN) {
      throw new IllegalStateException(propertyName + " is not a boolean");
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new IllegalArgumentException(
              propertyName + ": '" + value + "' (expected: true or false)");
    };
  }

  /** For {@link java.sql.Driver#getPropertyInfo}: a secret's value is never returned. */
  public DriverPropertyInfo toDriverPropertyInfo(@Nullable String value) {
    DriverPropertyInfo info =
        new DriverPropertyInfo(
            propertyName, isSecret() ? null : value != null ? value : defaultValue);
    info.description = description;
    info.required = false;
    if (kind == Kind.BOOLEAN) {
      info.choices = new String[] {"true", "false"};
    }
    return info;
  }
}
