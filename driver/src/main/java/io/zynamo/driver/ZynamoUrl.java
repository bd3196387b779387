package io.zynamo.driver;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.ring.NodeId;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A parsed and validated connection request: the seeds, the database, Zynamo's own properties and
 * the properties passed through to the PostgreSQL connections to the nodes.
 *
 * <pre>
 *   jdbc:zynamo://h1:5432,h2,[::1]:5433/app?user=alice&amp;password=...&amp;readQuorum=2&amp;ssl=true
 * </pre>
 *
 * <p><b>Precedence</b>, lowest first: {@link ZynamoProperty} defaults, then the {@link Properties}
 * given to {@code connect()}, then the URL's query. This is what pgjdbc does: its {@code
 * Driver.connect} copies the given Properties and lets the URL's parameters override them; keeping
 * the same rule means an application switching from {@code jdbc:postgresql:} sees no change. So
 * {@code DriverManager.getConnection(url, user, password)} uses the URL's {@code user} when the URL
 * names one.
 *
 * <p>Query values are decoded as pgjdbc decodes them ({@link java.net.URLDecoder}: {@code %XX} is a
 * UTF-8 byte, {@code +} a space). A property given twice in the URL is rejected, as is a spelling
 * of one of ours in another case ({@code readquorum}), which pgjdbc would otherwise silently
 * ignore.
 *
 * @param seeds the listed hosts, in URL order, no two alike
 * @param database the database every node serves, 1..63 bytes of UTF-8 (PostgreSQL's limit)
 * @param properties Zynamo's own properties that were given (absent ones take their defaults);
 *     holds the password, so never log this map: log the {@code ZynamoUrl}
 * @param passThroughValues everything else, for the node connections; never one of ours
 */
public record ZynamoUrl(
    List<Seed> seeds,
    String database,
    Map<ZynamoProperty, String> properties,
    Map<String, String> passThroughValues) {

  /** PostgreSQL's NAMEDATALEN - 1: longer names are truncated by the server. */
  private static final int MAX_DATABASE_BYTES = 63;

  private static final String HIDDEN = "***";

  public ZynamoUrl {
    seeds = List.copyOf(seeds);
    requireNonNull(database, "database");
    properties = validated(requireNonNull(properties, "properties"));
    passThroughValues = passThroughChecked(requireNonNull(passThroughValues, "passThroughValues"));
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("seeds: none (expected: at least one)");
    }
    Set<Seed> seen = new HashSet<>();
    for (Seed seed : seeds) {
      if (!seen.add(seed)) {
        throw new IllegalArgumentException("seeds: " + seed + " twice (expected: each seed once)");
      }
    }
    int bytes = database.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < 1 || bytes > MAX_DATABASE_BYTES) {
      throw new IllegalArgumentException(
          "database: '" + database + "' (expected: 1.." + MAX_DATABASE_BYTES + " bytes)");
    }
  }

  /** Whether this driver handles the URL: it starts with {@code jdbc:zynamo:}. */
  public static boolean accepts(@Nullable String url) {
    return url != null && url.startsWith(UrlParser.PREFIX);
  }

  /** Parses a URL with no further properties. */
  public static ZynamoUrl parse(String url) throws SQLException {
    return parse(url, null);
  }

  /**
   * Parses a URL and merges the properties given to {@code connect()}; the URL's win.
   *
   * @throws SQLException {@code 22023} naming the part at fault and what was expected; the message
   *     never contains a password
   */
  public static ZynamoUrl parse(String url, @Nullable Properties info) throws SQLException {
    requireNonNull(url, "url");
    UrlParser.Parts parts = UrlParser.parse(url);
    Map<String, String> merged = new LinkedHashMap<>();
    if (info != null) {
      merged.putAll(strings(info));
    }
    merged.putAll(parts.query());
    Map<ZynamoProperty, String> ours = new EnumMap<>(ZynamoProperty.class);
    Map<String, String> others = new LinkedHashMap<>();
    merged.forEach(
        (name, value) ->
            ZynamoProperty.forName(name)
                .ifPresentOrElse(p -> ours.put(p, value), () -> others.put(name, value)));
    try {
      return new ZynamoUrl(parts.seeds(), parts.database(), ours, others);
    } catch (IllegalArgumentException e) {
      throw ZynamoErrors.create(ZynamoSqlState.INVALID_PARAMETER_VALUE, e.getMessage(), e);
    }
  }

  /** The seeds as nodes of {@link #database()}: {@code host:port/database}. */
  public List<NodeId> seedNodes() {
    return seeds.stream().map(s -> s.nodeId(database)).toList();
  }

  /** {@code user}, if given. */
  public Optional<String> user() {
    return Optional.ofNullable(properties.get(ZynamoProperty.USER));
  }

  /** {@code password}, if given. */
  public Optional<String> password() {
    return Optional.ofNullable(properties.get(ZynamoProperty.PASSWORD));
  }

  /** N, {@code replicas}. */
  public int replicas() {
    return intValue(ZynamoProperty.REPLICAS);
  }

  /** R, {@code readQuorum}; when absent the default capped at {@link #replicas()}. */
  public int readQuorum() {
    return quorum(ZynamoProperty.READ_QUORUM);
  }

  /** W, {@code writeQuorum}; when absent the default capped at {@link #replicas()}. */
  public int writeQuorum() {
    return quorum(ZynamoProperty.WRITE_QUORUM);
  }

  /** Q, {@code bucketBits}. */
  public int bucketBits() {
    return intValue(ZynamoProperty.BUCKET_BITS);
  }

  /** {@code poolSize}: most connections per node. */
  public int poolSize() {
    return intValue(ZynamoProperty.POOL_SIZE);
  }

  /** {@code downAfterFailures}: 0 turns failure detection off. */
  public int downAfterFailures() {
    return intValue(ZynamoProperty.DOWN_AFTER_FAILURES);
  }

  /** {@code probeInterval}: between probes of nodes believed down. */
  public Duration probeInterval() {
    return Duration.ofSeconds(intValue(ZynamoProperty.PROBE_INTERVAL));
  }

  /** {@code sequenceCache}: sequence values taken from the cluster at a time. */
  public int sequenceCache() {
    return intValue(ZynamoProperty.SEQUENCE_CACHE);
  }

  /** {@code repairInterval}: between background anti-entropy passes; zero: none. */
  public Duration repairInterval() {
    return Duration.ofSeconds(intValue(ZynamoProperty.REPAIR_INTERVAL));
  }

  /** {@code moveRate}: rows per second a bucket move copies at most; 0: no limit. */
  public int moveRate() {
    return intValue(ZynamoProperty.MOVE_RATE);
  }

  /** {@code gossipInterval}: between gossip rounds of the ring; zero: none. */
  public Duration gossipInterval() {
    return Duration.ofSeconds(intValue(ZynamoProperty.GOSSIP_INTERVAL));
  }

  /** {@code sloppyQuorum}: whether stand-ins may make up a write quorum. */
  public boolean sloppyQuorum() {
    ZynamoProperty p = ZynamoProperty.SLOPPY_QUORUM;
    return p.parseBoolean(properties.getOrDefault(p, p.defaultValue().orElseThrow()));
  }

  /** {@code tombstoneGrace}: how old a tombstone must be before anti-entropy may remove it. */
  public Duration tombstoneGrace() {
    return Duration.ofSeconds(intValue(ZynamoProperty.TOMBSTONE_GRACE));
  }

  /** {@code recoveryInterval}: between two-phase commit recovery passes; zero: none. */
  public Duration recoveryInterval() {
    return Duration.ofSeconds(intValue(ZynamoProperty.RECOVERY_INTERVAL));
  }

  /** {@code downRetryInterval}: between real attempts on a node believed down. */
  public Duration downRetryInterval() {
    return Duration.ofSeconds(intValue(ZynamoProperty.DOWN_RETRY_INTERVAL));
  }

  /** {@code connectTimeout}; {@link Duration#ZERO} means no limit. */
  public Duration connectTimeout() {
    return Duration.ofSeconds(intValue(ZynamoProperty.CONNECT_TIMEOUT));
  }

  /** {@code socketTimeout}; {@link Duration#ZERO} means no limit. */
  public Duration socketTimeout() {
    return Duration.ofSeconds(intValue(ZynamoProperty.SOCKET_TIMEOUT));
  }

  /**
   * {@code loginTimeout}, if given ({@link Duration#ZERO} means no limit); when empty the caller
   * applies {@code DriverManager.getLoginTimeout()}, as pgjdbc does.
   */
  public Optional<Duration> loginTimeout() {
    return Optional.ofNullable(properties.get(ZynamoProperty.LOGIN_TIMEOUT))
        .map(s -> Duration.ofSeconds(Integer.parseInt(s)));
  }

  /** A new copy of the properties for the node connections; none of them is Zynamo's own. */
  public Properties passThrough() {
    Properties copy = new Properties();
    copy.putAll(passThroughValues);
    return copy;
  }

  /**
   * The URL with every given property, for logs: passwords and other secrets (names containing
   * {@code password}, {@code secret} or {@code token}) show as {@code ***}.
   */
  @Override
  public String toString() {
    StringJoiner hosts = new StringJoiner(",", UrlParser.PREFIX + "//", "/");
    seeds.forEach(s -> hosts.add(s.toString()));
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    properties.forEach((p, v) -> query.add(shown(p.propertyName(), v, p.isSecret())));
    passThroughValues.forEach((name, v) -> query.add(shown(name, v, isSecretName(name))));
    return hosts + encode(database) + query;
  }

  private static String shown(String name, String value, boolean secret) {
    return encode(name) + "=" + (secret ? HIDDEN : encode(value));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Whether a pass-through property (e.g. pgjdbc's {@code sslpassword}) holds a secret. */
  static boolean isSecretName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.contains("password") || lower.contains("secret") || lower.contains("token");
  }

  private int intValue(ZynamoProperty p) {
    String value = properties.get(p);
    return Integer.parseInt(value != null ? value : p.defaultValue().orElseThrow());
  }

  /**
   * R for a ring that really keeps {@code replicas} copies of each bucket (fewer than N while it
   * has fewer hosts than N): an explicit value as given, the default capped at {@code replicas}.
   */
  public int readQuorum(int replicas) {
    return quorum(ZynamoProperty.READ_QUORUM, replicas);
  }

  /** W for a ring that really keeps {@code replicas} copies; see {@link #readQuorum(int)}. */
  public int writeQuorum(int replicas) {
    return quorum(ZynamoProperty.WRITE_QUORUM, replicas);
  }

  private int quorum(ZynamoProperty p, int replicas) {
    String value = properties.get(p);
    return value != null ? Integer.parseInt(value) : Math.min(quorum(p), replicas);
  }

  private int quorum(ZynamoProperty p) {
    String value = properties.get(p);
    return value != null
        ? Integer.parseInt(value)
        : Math.min(Integer.parseInt(p.defaultValue().orElseThrow()), replicas());
  }

  /** Checks every value; numbers come back in canonical form ({@code " 3"} becomes {@code "3"}). */
  private static Map<ZynamoProperty, String> validated(Map<ZynamoProperty, String> given) {
    Map<ZynamoProperty, String> result = new EnumMap<>(ZynamoProperty.class);
    given.forEach((p, v) -> result.put(requireNonNull(p, "property"), requireNonNull(v, "value")));
    ZynamoProperty n = ZynamoProperty.REPLICAS;
    int replicas = n.parseInt(result.getOrDefault(n, n.defaultValue().orElseThrow()));
    result.replaceAll((p, v) -> canonical(p, v, replicas));
    return Collections.unmodifiableMap(result);
  }

  private static String canonical(ZynamoProperty p, String value, int replicas) {
    return switch (p) {
      case USER, PASSWORD -> value;
      case SLOPPY_QUORUM -> Boolean.toString(p.parseBoolean(value));
      case READ_QUORUM, WRITE_QUORUM ->
          Integer.toString(p.parseInt(value, replicas, ", at most replicas"));
      default -> Integer.toString(p.parseInt(value));
    };
  }

  private static Map<String, String> passThroughChecked(Map<String, String> given) {
    Map<String, String> sorted = new TreeMap<>();
    given.forEach(
        (name, value) -> {
          Optional<ZynamoProperty> ours = ZynamoProperty.forNameIgnoringCase(name);
          if (ours.isPresent() && ours.get().propertyName().equals(name)) {
            throw new IllegalArgumentException(
                "pass-through property '" + name + "': Zynamo's own (expected: others only)");
          }
          if (ours.isPresent()) {
            throw new IllegalArgumentException(
                "property '"
                    + name
                    + "': unknown (expected: '"
                    + ours.get().propertyName()
                    + "'; names are case-sensitive)");
          }
          sorted.put(name, requireNonNull(value, "value"));
        });
    return Collections.unmodifiableMap(sorted);
  }

  /** The entries of {@code info}, which JDBC allows to hold only strings; defaults included. */
  private static Map<String, String> strings(Properties info) throws SQLException {
    for (Map.Entry<Object, Object> e : info.entrySet()) {
      if (!(e.getKey() instanceof String name)) {
        throw ZynamoErrors.invalidValue(
            "connection properties",
            "a key of type " + e.getKey().getClass().getName(),
            "String keys");
      }
      if (!(e.getValue() instanceof String)) {
        throw ZynamoErrors.invalidValue(
            "connection property '" + name + "'",
            "a value of type " + e.getValue().getClass().getName(),
            "a String");
      }
    }
    Map<String, String> result = new LinkedHashMap<>();
    info.stringPropertyNames().stream()
        .sorted()
        .forEach(name -> result.put(name, info.getProperty(name)));
    return result;
  }
}
