package io.zynamo.it.bench;

import io.zynamo.proxy.embedded.PostgresNode;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Apache ShardingSphere-JDBC 5.5.2, the peer of benchmark workload 5, configured here and nowhere
 * in the product: one data source per node (database {@value #DATABASE}, created first), no
 * replication (N=1), and the benchmark tables as auto-tables cut by {@code HASH_MOD} of {@code id}
 * into {@value #SHARDS} shards (Zynamo's default bucket count), spread round-robin over the nodes.
 *
 * <p>Its jars (Calcite 1.38, Guava 32, ... which clash with ours) come from {@code
 * bench-peers/target/lib}, named by {@code zynamo.bench.shardingsphere}, and are loaded by a class
 * loader of their own whose parent is the platform loader, so only {@code java.sql} is shared. Its
 * driver is found through {@link ServiceLoader} on that loader, not {@link DriverManager}.
 */
final class ShardingSphere implements AutoCloseable {

  static final String DATABASE = "ss";
  static final int SHARDS = 256;
  private static final String DRIVER = "org.apache.shardingsphere.driver.ShardingSphereDriver";

  private final URLClassLoader loader;
  private final Driver driver;
  private final String url;

  private ShardingSphere(URLClassLoader loader, Driver driver, String url) {
    this.loader = loader;
    this.driver = driver;
    this.url = url;
  }

  /**
   * ShardingSphere over {@code nodes}, or empty with the reason in {@code notes} when the run has
   * no folder of its jars (a benchmark run outside the bench profile).
   *
   * @param tables the logical tables, each sharded by its column {@code id}
   */
  static Optional<ShardingSphere> open(
      List<PostgresNode> nodes, List<String> tables, Path folder, List<String> notes)
      throws Exception {
    String lib = System.getProperty("zynamo.bench.shardingsphere");
    if (lib == null || !Files.isDirectory(Path.of(lib))) {
      notes.add(
          "ShardingSphere-JDBC skipped: no jars in zynamo.bench.shardingsphere ("
              + lib
              + "); the bench profile copies them into bench-peers/target/lib");
      return Optional.empty();
    }
    for (PostgresNode node : nodes) {
      try (Connection connection = DriverManager.getConnection(node.jdbcUrl());
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE DATABASE " + DATABASE);
      }
    }
    Path config = Files.writeString(folder.resolve("shardingsphere.yaml"), yaml(nodes, tables));
    URLClassLoader loader =
        new URLClassLoader(
            "shardingsphere", jars(Path.of(lib)), ClassLoader.getPlatformClassLoader());
    try {
      Driver driver =
          ServiceLoader.load(Driver.class, loader).stream()
              .filter(provider -> provider.type().getName().equals(DRIVER))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalStateException(DRIVER + ": not among the jars in " + lib))
              .get();
      return Optional.of(
          new ShardingSphere(loader, driver, "jdbc:shardingsphere:absolutepath:" + config));
    } catch (RuntimeException e) {
      loader.close();
      throw e;
    }
  }

  private static URL[] jars(Path lib) throws IOException {
    List<URL> urls = new ArrayList<>();
    try (Stream<Path> files = Files.list(lib)) {
      for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
        urls.add(jar.toUri().toURL());
      }
    }
    return urls.toArray(URL[]::new);
  }

  /** The version-5.5 YAML: data sources ds_0.., one auto-table per logical table. */
  static String yaml(List<PostgresNode> nodes, List<String> tables) {
    StringBuilder out = new StringBuilder("databaseName: bench\nmode:\n  type: Standalone\n");
    out.append("dataSources:\n");
    for (int i = 0; i < nodes.size(); i++) {
      PostgresNode node = nodes.get(i);
      out.append("  ds_")
          .append(i)
          .append(":\n")
          .append("    dataSourceClassName: com.zaxxer.hikari.HikariDataSource\n")
          .append("    driverClassName: org.postgresql.Driver\n")
          .append("    jdbcUrl: jdbc:postgresql://")
          .append(node.host())
          .append(':')
          .append(node.port())
          .append('/')
          .append(DATABASE)
          .append("\n    username: postgres\n    password: ''\n    maximumPoolSize: 16\n");
    }
    out.append("rules:\n- !SHARDING\n  autoTables:\n");
    for (String table : tables) {
      out.append("    ")
          .append(table)
          .append(":\n")
          .append("      actualDataSources: ds_${0..")
          .append(nodes.size() - 1)
          .append("}\n")
          .append("      shardingStrategy:\n        standard:\n")
          .append("          shardingColumn: id\n          shardingAlgorithmName: hash_mod\n");
    }
    out.append("  shardingAlgorithms:\n    hash_mod:\n      type: HASH_MOD\n      props:\n")
        .append("        sharding-count: ")
        .append(SHARDS)
        .append('\n');
    out.append("props:\n  sql-show: false\n");
    return out.toString();
  }

  /** A contender opening connections of ShardingSphere's data source. */
  Contender contender(String name, String description) {
    return new Contender(name, description, () -> driver.connect(url, new Properties()), loader);
  }

  @Override
  public void close() throws IOException {
    loader.close();
  }
}
