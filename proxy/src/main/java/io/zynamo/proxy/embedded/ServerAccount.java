package io.zynamo.proxy.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The operating-system account PostgreSQL runs as: the JVM's own user, or uid/gid 65534 (nobody)
 * when the JVM is root, because PostgreSQL refuses to run as root.
 *
 * <p>When dropping privileges, every command is prefixed with {@code setpriv --reuid=65534
 * --regid=65534 --clear-groups}, and the directories the server writes are handed to that uid.
 */
public final class ServerAccount {

  /** The uid and gid PostgreSQL runs as when the JVM is root. */
  public static final int UNPRIVILEGED_ID = 65534;

  private final int jvmUid;
  private final Optional<Path> setpriv;

  private ServerAccount(int jvmUid, Optional<Path> setpriv) {
    this.jvmUid = jvmUid;
    this.setpriv = setpriv;
  }

  /** Detects the JVM's effective uid from {@code /proc/self/status} and finds {@code setpriv}. */
  public static ServerAccount detect() {
    int uid;
    try {
      String status = Files.readString(Path.of("/proc/self/status"), StandardCharsets.UTF_8);
      uid =
          effectiveUid(status)
              .orElseThrow(() -> new PostgresLaunchException("no Uid line in /proc/self/status"));
    } catch (IOException e) {
      throw new PostgresLaunchException(
          "cannot read /proc/self/status to learn the JVM's uid (expected Linux): " + e, e);
    }
    if (uid != 0) {
      return new ServerAccount(uid, Optional.empty());
    }
    Path tool =
        findOnPath("setpriv", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"))
            .orElseThrow(
                () ->
                    new PostgresLaunchException(
                        "running as root needs setpriv (util-linux) on PATH to start PostgreSQL"
                            + " as uid "
                            + UNPRIVILEGED_ID
                            + "; install util-linux or run as a normal user"));
    return new ServerAccount(uid, Optional.of(tool));
  }

  /** The effective uid from the text of {@code /proc/<pid>/status} ("Uid: real effective ..."). */
  static OptionalInt effectiveUid(String procStatus) {
    for (String line : procStatus.split("\n", -1)) {
      if (line.startsWith("Uid:")) {
        String[] ids = line.substring("Uid:".length()).trim().split("\\s+", -1);
        if (ids.length >= 2) {
          return OptionalInt.of(Integer.parseInt(ids[1]));
        }
      }
    }
    return OptionalInt.empty();
  }

  private static Optional<Path> findOnPath(String program, String path) {
    for (String directory : path.split(":", -1)) {
      if (!directory.isEmpty()) {
        Path candidate = Path.of(directory, program);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /** True when the JVM is root and PostgreSQL therefore runs as {@link #UNPRIVILEGED_ID}. */
  public boolean dropsPrivileges() {
    return setpriv.isPresent();
  }

  /** The uid the PostgreSQL processes run as. */
  public int serverUid() {
    return dropsPrivileges() ? UNPRIVILEGED_ID : jvmUid;
  }

  /** The command line that runs {@code command} as the server account. */
  List<String> wrap(List<String> command) {
    if (setpriv.isEmpty()) {
      return List.copyOf(command);
    }
    List<String> wrapped = new ArrayList<>();
    wrapped.add(setpriv.get().toString());
    wrapped.add("--reuid=" + UNPRIVILEGED_ID);
    wrapped.add("--regid=" + UNPRIVILEGED_ID);
    wrapped.add("--clear-groups");
    wrapped.addAll(command);
    return wrapped;
  }

  /** Gives {@code path} (not following symlinks) to the server account, if that is another uid. */
  void own(Path path) throws IOException {
    if (!dropsPrivileges()) {
      return;
    }
    PosixFileAttributeView view =
        Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
    UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
    // Numeric names resolve to that uid/gid even when /etc/passwd has no such entry.
    view.setOwner(lookup.lookupPrincipalByName(Integer.toString(UNPRIVILEGED_ID)));
    view.setGroup(lookup.lookupPrincipalByGroupName(Integer.toString(UNPRIVILEGED_ID)));
  }

  /**
   * Fails with a clear message unless the server account can reach {@code directory}: every
   * existing ancestor must be searchable by "others", since the server runs without our groups.
   */
  void checkTraversable(Path directory) throws IOException {
    if (!dropsPrivileges()) {
      return;
    }
    for (Path current = directory.toAbsolutePath();
        current != null;
        current = current.getParent()) {
      if (!Files.exists(current)) {
        continue;
      }
      PosixFileAttributes attributes = Files.readAttributes(current, PosixFileAttributes.class);
      if (!attributes.permissions().contains(PosixFilePermission.OTHERS_EXECUTE)) {
        throw new PostgresLaunchException(notTraversable(directory, current, attributes));
      }
    }
  }

  private static String notTraversable(Path wanted, Path blocking, PosixFileAttributes attrs) {
    return "cluster folder "
        + wanted.toAbsolutePath()
        + " is not reachable by uid "
        + UNPRIVILEGED_ID
        + ", which PostgreSQL runs as because Zynamo runs as root: "
        + blocking
        + " has mode "
        + PosixFilePermissions.toString(attrs.permissions())
        + " (expected others to have x, as in rwxr-xr-x); choose a folder outside it, e.g. under"
        + " /var/lib or /tmp, or run chmod o+x "
        + blocking;
  }
}
