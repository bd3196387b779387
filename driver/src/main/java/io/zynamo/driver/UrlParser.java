package io.zynamo.driver;

import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a Zynamo URL into seeds, database and query properties; checks syntax only.
 *
 * <pre>
 *   jdbc:zynamo://h1:5432,[::1]:5433,h3/app?user=alice&amp;password=s%26cret&amp;replicas=3
 *   |prefix     ||authority: seeds      | |db||query: percent-encoded name=value pairs   |
 * </pre>
 *
 * <p>Messages never repeat the URL: its query may hold a password. They show only the part at
 * fault, and of a query value only its name.
 */
final class UrlParser {

  static final String PREFIX = "jdbc:zynamo:";

  static final String SHAPE =
      "jdbc:zynamo://host[:port][,host[:port]...]/database[?property=value&...]";

  /** The URL's parts, decoded. */
  record Parts(List<Seed> seeds, String database, Map<String, String> query) {}

  private UrlParser() {}

  static Parts parse(String url) throws SQLException {
    if (!url.startsWith(PREFIX)) {
      throw invalid("URL: not a Zynamo URL (expected: " + SHAPE + ")");
    }
    int question = url.indexOf('?');
    String head = url.substring(PREFIX.length(), question < 0 ? url.length() : question);
    String query = question < 0 ? "" : url.substring(question + 1);
    if (!head.startsWith("//")) {
      throw invalid("URL: no '//' after " + PREFIX + " (expected: " + SHAPE + ")");
    }
    String rest = head.substring(2);
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    if (authority.indexOf('@') >= 0) {
      // user:password@host: refuse without echoing, the part before '@' may be a password.
      throw invalid(
          "URL: user information before '@' (expected: user and password as properties, "
              + SHAPE
              + ")");
    }
    List<Seed> seeds = seeds(authority);
    if (slash < 0 || slash == rest.length() - 1) {
      throw invalid("URL: no database (expected: /database after the hosts, " + SHAPE + ")");
    }
    return new Parts(seeds, database(rest.substring(slash + 1)), query(query));
  }

  private static List<Seed> seeds(String authority) throws SQLException {
    if (authority.isEmpty()) {
      throw invalid("URL: no host (expected: at least one seed, " + SHAPE + ")");
    }
    List<Seed> seeds = new ArrayList<>();
    for (String entry : authority.split(",", -1)) {
      if (entry.isEmpty()) {
        throw invalid(
            "URL hosts: empty entry in '"
                + authority
                + "' (expected: host[:port] entries separated by commas)");
      }
      seeds.add(seed(entry));
    }
    return seeds;
  }

  private static Seed seed(String entry) throws SQLException {
    String host;
    String port;
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      if (close < 0) {
        throw invalid("URL host '" + entry + "': no ']' (expected: [IPv6 address][:port])");
      }
      String after = entry.substring(close + 1);
      if (!after.isEmpty() && !after.startsWith(":")) {
        throw invalid("URL host '" + entry + "': text after ']' (expected: [IPv6 address][:port])");
      }
      host = entry.substring(1, close);
      if (host.indexOf(':') < 0) {
        throw invalid(
            "URL host '" + entry + "': not an IPv6 address (expected: [IPv6 address][:port])");
      }
      port = after.isEmpty() ? null : after.substring(1);
    } else {
      int colon = entry.indexOf(':');
      if (colon != entry.lastIndexOf(':')) {
        throw invalid(
            "URL host '" + entry + "': IPv6 address without brackets (expected: [address]:port)");
      }
      host = colon < 0 ? entry : entry.substring(0, colon);
      port = colon < 0 ? null : entry.substring(colon + 1);
    }
    try {
      return new Seed(host, port == null ? Seed.DEFAULT_PORT : port(entry, port));
    } catch (IllegalArgumentException e) {
      throw ZynamoErrors.create(ZynamoSqlState.INVALID_PARAMETER_VALUE, "URL " + e.getMessage(), e);
    }
  }

  private static int port(String entry, String port) throws SQLException {
    if (!port.matches("[0-9]{1,5}")) {
      throw invalid("URL host '" + entry + "': port '" + port + "' (expected: 1..65535)");
    }
    return Integer.parseInt(port);
  }

  private static String database(String raw) throws SQLException {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid("URL database '" + raw + "': malformed percent-encoding (expected: %XX)");
    }
  }

  /** {@code a=1&b=%20&c}: pairs in order; a name without '=' has the empty value, as in pgjdbc. */
  private static Map<String, String> query(String query) throws SQLException {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String pair : query.split("&", -1)) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = decode(equals < 0 ? pair : pair.substring(0, equals), "a property name");
      if (name.isEmpty()) {
        throw invalid("URL query: a value without a name (expected: name=value)");
      }
      String value = equals < 0 ? "" : decode(pair.substring(equals + 1), "the value of " + name);
      if (pairs.put(name, value) != null) {
        throw invalid("URL query: '" + name + "' given twice (expected: each property once)");
      }
    }
    return pairs;
  }

  /** Percent-decodes as pgjdbc does ({@link URLDecoder}: {@code +} is a space). */
  private static String decode(String raw, String what) throws SQLException {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid("URL query: malformed percent-encoding in " + what + " (expected: %XX)");
    }
  }

  private static SQLException invalid(String message) {
    return ZynamoErrors.create(ZynamoSqlState.INVALID_PARAMETER_VALUE, message);
  }
}
