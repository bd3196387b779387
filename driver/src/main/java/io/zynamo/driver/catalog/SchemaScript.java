package io.zynamo.driver.catalog;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One versioned SQL file of the node schema, shipped in the driver jar under {@value #FOLDER}.
 *
 * <p>File names are {@code NNN-description.sql}; {@code NNN} is the version the file records in
 * {@code zynamo.schema_version}. A released file never changes: later changes come as new files.
 *
 * @param version the schema version the file brings a node to
 * @param name the file name, e.g. {@code 001-zynamo-schema.sql}
 * @param sql the statements, run as one script
 */
record SchemaScript(int version, String name, String sql) {

  /** Where the files are on the class path. */
  static final String FOLDER = "io/zynamo/driver/schema/";

  private static final Pattern NAME = Pattern.compile("(\\d{3})-[a-z0-9-]+\\.sql");

  SchemaScript {
    requireNonNull(name, "name");
    requireNonNull(sql, "sql");
    if (version != versionOf(name)) {
      throw new IllegalArgumentException("schema script " + name + ": version " + version);
    }
  }

  /** The version in a file name such as {@code 001-zynamo-schema.sql}. */
  static int versionOf(String name) {
    Matcher matcher = NAME.matcher(name);
    if (!matcher.matches() || Integer.parseInt(matcher.group(1)) == 0) {
      throw new IllegalArgumentException(
          "schema script name: '" + name + "' (expected: NNN-words.sql, NNN from 001)");
    }
    return Integer.parseInt(matcher.group(1));
  }

  /**
   * Reads the file {@code name} from {@link #FOLDER} with the given class loader.
   *
   * @throws IllegalStateException if the file is missing: the driver jar is broken
   */
  static SchemaScript load(ClassLoader loader, String name) {
    try (InputStream in = loader.getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "schema script " + FOLDER + name + " is not on the class path");
      }
      return new SchemaScript(
          versionOf(name), name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("schema script " + FOLDER + name + ": cannot be read", e);
    }
  }
}
