package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import io.zynamo.driver.catalog.CatalogLoader;
import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.driver.result.CloseAll;
import io.zynamo.driver.routing.RoutePlan;
import io.zynamo.driver.routing.Router;
import io.zynamo.driver.routing.TableCatalog;
import io.zynamo.driver.sql.ParsedStatement;
import io.zynamo.driver.sql.SqlFrontend;
import io.zynamo.driver.sql.StatementKind;
import io.zynamo.ring.BucketId;
import io.zynamo.ring.KeyHasher;
import io.zynamo.ring.NodeId;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One connection's engine: parses each statement, routes it and runs it on the nodes; keeps the
 * session's read and write quorums ({@code SET zynamo.read_quorum = 1}).
 */
public final class ClusterSession<B> implements StatementExecutor {

  private static final Pattern QUORUM_SETTING =
      Pattern.compile(
          "\\s*SET\\s+(?:SESSION\\s+)?zynamo\\.(read_quorum|write_quorum)\\s*(?:=|TO)\\s*'?(\\d{1,3})'?\\s*;?\\s*",
          Pattern.CASE_INSENSITIVE);

  private final Cluster cluster;
  private final SqlFrontend frontend = new SqlFrontend();
  private final CatalogLoader loader = new CatalogLoader();
  private final KeyWriter<B> writer;
  private final KeyReader<B> reader;
  private final DdlExecutor ddl;
  private volatile @Nullable TableCatalog catalog;
  private volatile int readQuorum;
  private volatile int writeQuorum;
  private @Nullable Connection metadataConnection;

  public ClusterSession(
      Cluster cluster, RowImages<B> images, TableSetup setup, int readQuorum, int writeQuorum) {
    this.cluster = requireNonNull(cluster, "cluster");
    this.writer = new KeyWriter<>(cluster, images);
    this.reader = new KeyReader<>(cluster, images);
    this.ddl = new DdlExecutor(cluster, setup);
    this.readQuorum = readQuorum;
    this.writeQuorum = writeQuorum;
  }

  @Override
  public Outcome execute(String sql, List<@Nullable Object> parameters, boolean generatedKeys)
      throws SQLException {
    Matcher setting = QUORUM_SETTING.matcher(sql);
    if (setting.matches()) {
      return setQuorum(setting.group(1).toLowerCase(Locale.ROOT), setting.group(2));
    }
    ParsedStatement parsed = frontend.parse(sql);
    RoutePlan plan = route(parsed, parameters);
    if (plan instanceof RoutePlan.SingleBucket single) {
      if (parsed.kind() == StatementKind.SELECT) {
        return reader.read(single, sql, parameters, readQuorum);
      }
      List<NodeId> replicas = cluster.ring().placement().replicas(single.bucket());
      return writer.write(single.bucket(), replicas, sql, parameters, generatedKeys, writeQuorum);
    }
    if (plan instanceof RoutePlan.AllNodes all) {
      if (all.write() == null) {
        Outcome outcome = ddl.execute(parsed, sql);
        catalog = null; // tables changed: reload on next use
        return outcome;
      }
      List<NodeId> nodes = cluster.ring().placement().nodes();
      return writer.write(new BucketId(0), nodes, sql, parameters, generatedKeys, writeQuorum);
    }
    return anyNode(sql, parameters, generatedKeys);
  }

  /** Routes; a table unknown to this session's catalog may just have been created elsewhere. */
  private RoutePlan route(ParsedStatement parsed, List<@Nullable Object> parameters)
      throws SQLException {
    try {
      return router().route(parsed, parameters);
    } catch (SQLException e) {
      if (!ZynamoSqlState.UNDEFINED_TABLE.code().equals(e.getSQLState())) {
        throw e;
      }
      catalog = null;
      return router().route(parsed, parameters);
    }
  }

  private Router router() throws SQLException {
    TableCatalog current = catalog;
    if (current == null) {
      try (Connection c = firstReachable()) {
        current = loader.load(c);
      }
      catalog = current;
    }
    return new Router(current, new KeyHasher(cluster.ring().bucketBits()));
  }

  private Outcome anyNode(String sql, List<@Nullable Object> parameters, boolean generatedKeys)
      throws SQLException {
    Connection c = firstReachable();
    return NodeStatements.run(c, sql, parameters, generatedKeys, c);
  }

  private Outcome setQuorum(String name, String value) throws SQLException {
    int n = Integer.parseInt(value);
    int replicas = cluster.ring().placement().columns();
    if (n < 1 || n > replicas) {
      throw ZynamoErrors.invalidValue("zynamo." + name, value, "1.." + replicas);
    }
    if (name.equals("read_quorum")) {
      readQuorum = n;
    } else {
      writeQuorum = n;
    }
    return new Outcome.Count(-1, null);
  }

  /** A connection to the first node, in ring order, that accepts one. */
  private Connection firstReachable() throws SQLException {
    SQLException first = null;
    for (NodeId node : cluster.ring().placement().nodes()) {
      try {
        return cluster.pools().connection(node);
      } catch (SQLException e) {
        first = first == null ? e : first;
      }
    }
    throw ZynamoErrors.create(
        ZynamoSqlState.SQLCLIENT_UNABLE_TO_ESTABLISH_SQLCONNECTION, "no node is reachable", first);
  }

  /** One node's metadata. Zynamo's own schema and internal columns are not yet filtered out. */
  @Override
  public synchronized DatabaseMetaData metaData() throws SQLException {
    if (metadataConnection == null || metadataConnection.isClosed()) {
      metadataConnection = firstReachable();
    }
    return metadataConnection.getMetaData();
  }

  @Override
  public boolean isValid(int timeoutSeconds) throws SQLException {
    try (Connection c = firstReachable()) {
      return c.isValid(timeoutSeconds);
    }
  }

  @Override
  public synchronized void close() throws SQLException {
    CloseAll.close(metadataConnection);
    metadataConnection = null;
  }
}
