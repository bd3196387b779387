package io.zynamo.proxy.embedded;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class TarXzArchiveTest {

  @TempDir Path target;

  @Test
  void keepsExecutableBitsAndSymlinks() throws IOException {
    byte[] archive =
        txz(
            directory("bin/"),
            file("bin/tool", "#!/bin/sh\n", 0755),
            directory("lib/"),
            file("lib/libx.so.5.17", "elf", 0644),
            symlink("lib/libx.so.5", "libx.so.5.17"));

    TarXzArchive.extract(new ByteArrayInputStream(archive), target);

    assertEquals(
        "rwxr-xr-x",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(target.resolve("bin/tool"))));
    assertTrue(Files.isSymbolicLink(target.resolve("lib/libx.so.5")));
    assertEquals("elf", Files.readString(target.resolve("lib/libx.so.5"), UTF_8));
  }

  @Test
  void entryEscapingTheTargetIsRejected() throws IOException {
    byte[] archive = txz(file("../escape", "x", 0644));

    assertThrows(
        IOException.class, () -> TarXzArchive.extract(new ByteArrayInputStream(archive), target));
    assertFalse(Files.exists(target.resolveSibling("escape")));
  }

  @Test
  void symlinkPointingOutsideIsRejected() throws IOException {
    byte[] archive = txz(symlink("etc", "../../etc"));

    assertThrows(
        IOException.class, () -> TarXzArchive.extract(new ByteArrayInputStream(archive), target));
  }

  @Test
  void modeBitsMapToPermissions() {
    assertEquals("rwxr-x--x", PosixFilePermissions.toString(TarXzArchive.permissions(0104751)));
  }

  private record Entry(TarArchiveEntry header, String content) {}

  private static Entry directory(String name) {
    TarArchiveEntry header = new TarArchiveEntry(name);
    header.setMode(040755);
    return new Entry(header, "");
  }

  private static Entry file(String name, String content, int mode) {
    byte[] bytes = content.getBytes(UTF_8);
    TarArchiveEntry header = new TarArchiveEntry(name);
    header.setMode(0100000 | mode);
    header.setSize(bytes.length);
    return new Entry(header, content);
  }

  private static Entry symlink(String name, String linkTarget) {
    TarArchiveEntry header = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
    header.setLinkName(linkTarget);
    return new Entry(header, "");
  }

  private static byte[] txz(Entry... entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar =
        new TarArchiveOutputStream(new XZOutputStream(bytes, new LZMA2Options()))) {
      for (Entry entry : entries) {
        tar.putArchiveEntry(entry.header());
        tar.write(entry.content().getBytes(UTF_8));
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }
}
