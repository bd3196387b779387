package io.zynamo.proxy.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Unpacks an xz-compressed tar archive into a directory, keeping permission bits, symbolic links
 * and hard links (the PostgreSQL libraries are reached through versioned symlinks).
 *
 * <p>Entries whose path or link target would land outside the directory are rejected.
 */
final class TarXzArchive {

  private TarXzArchive() {}

  static void extract(InputStream compressed, Path target) throws IOException {
    Path root = target.toAbsolutePath().normalize();
    List<TarArchiveEntry> directories = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(compressed)))) {
      for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
        Path path = inside(root, root.resolve(entry.getName()), entry.getName());
        if (entry.isDirectory()) {
          Files.createDirectories(path);
          directories.add(entry);
        } else {
          Files.createDirectories(path.getParent());
          extractEntry(tar, entry, root, path);
        }
      }
    }
    // Directory modes last, so a read-only directory does not block its own entries.
    for (TarArchiveEntry directory : directories) {
      Files.setPosixFilePermissions(root.resolve(directory.getName()), permissions(directory));
    }
  }

  private static void extractEntry(
      TarArchiveInputStream tar, TarArchiveEntry entry, Path root, Path path) throws IOException {
    if (entry.isSymbolicLink()) {
      Path link = Path.of(entry.getLinkName());
      inside(root, path.getParent().resolve(link), entry.getName() + " -> " + link);
      Files.createSymbolicLink(path, link);
    } else if (entry.isLink()) {
      Path existing = inside(root, root.resolve(entry.getLinkName()), entry.getLinkName());
      Files.createLink(path, existing);
    } else if (entry.isFile()) {
      Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(path, permissions(entry));
    } else {
      throw new IOException(
          "archive entry " + entry.getName() + ": unsupported type (expected file, dir or link)");
    }
  }

  private static Path inside(Path root, Path candidate, String what) throws IOException {
    Path normalized = candidate.normalize();
    if (!normalized.startsWith(root)) {
      throw new IOException("archive entry " + what + " points outside " + root);
    }
    return normalized;
  }

  /** The rwx bits of a tar mode; set-id and sticky bits are deliberately dropped. */
  static Set<PosixFilePermission> permissions(TarArchiveEntry entry) {
    return permissions(entry.getMode());
  }

  static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> result = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] byBit = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < byBit.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        result.add(byBit[bit]);
      }
    }
    return result;
  }
}
