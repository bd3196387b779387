package io.zynamo.proxy.embedded;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/** Copies and deletes whole directory trees without following symbolic links. */
final class FileTree {

  private FileTree() {}

  /**
   * Copies {@code source} to the not yet existing {@code target}, keeping permissions, owners and
   * symlinks (the JVM keeps owners when it runs as root, which is what a template copy needs).
   */
  static void copy(Path source, Path target) throws IOException {
    Files.walkFileTree(
        source,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            copyOne(dir, target.resolve(source.relativize(dir)));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            copyOne(file, target.resolve(source.relativize(file)));
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void copyOne(Path from, Path to) throws IOException {
    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
  }

  /**
   * Moves {@code root} into a fresh sibling folder, then deletes that: the name is free at once,
   * even while another process still reads the old tree. A missing {@code root} is fine.
   */
  static void discard(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Path parent = root.toAbsolutePath().getParent();
    Path trash = Files.createTempDirectory(parent, root.getFileName() + ".discarded-");
    try {
      Files.move(root, trash.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
    } catch (NoSuchFileException e) {
      // Another process discarded it first.
    }
    delete(trash);
  }

  /** Deletes {@code root} and everything below it; a missing {@code root} is not an error. */
  static void delete(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            deleteOne(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException failure)
              throws IOException {
            if (failure != null) {
              throw failure;
            }
            deleteOne(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  private static void deleteOne(Path path) throws IOException {
    try {
      Files.delete(path);
    } catch (NoSuchFileException e) {
      // Already gone: a server removing its own pid file while we clean up is fine.
    }
  }
}
