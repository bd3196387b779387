package io.zynamo.proxy.embedded;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a cluster folder ({@code <folder>/.lock}), held while a cluster runs from
 * it, so two processes never drive the same data directories. The operating system drops the lock
 * when the process dies, so a crashed owner never blocks the next start.
 */
final class FolderLock implements AutoCloseable {

  static final String FILE_NAME = ".lock";

  private final FileChannel channel;
  private final FileLock lock;

  private FolderLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static FolderLock acquire(Path folder) throws IOException {
    Path file = folder.resolve(FILE_NAME);
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException | IOException e) {
      channel.close();
      throw new PostgresLaunchException(inUse(folder), e);
    }
    if (lock == null) {
      channel.close();
      throw new PostgresLaunchException(inUse(folder));
    }
    return new FolderLock(channel, lock);
  }

  private static String inUse(Path folder) {
    return "cluster folder "
        + folder
        + " is in use by another running Zynamo cluster (expected it to hold "
        + FILE_NAME
        + " unlocked); stop that one first or choose another folder";
  }

  @Override
  public void close() throws IOException {
    try (channel) {
      if (lock.isValid()) {
        lock.release();
      }
    }
  }
}
