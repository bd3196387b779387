package io.zynamo.driver.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SchemaScriptTest {

  @Test
  void versionComesFromTheFileNamePrefix() {
    assertEquals(1, SchemaScript.versionOf("001-zynamo-schema.sql"));
    assertEquals(12, SchemaScript.versionOf("012-tombstone-gc.sql"));
  }

  @Test
  void namesWithoutAThreeDigitVersionAreRefused() {
    for (String name : List.of("zynamo.sql", "1-x.sql", "000-x.sql", "001-x.txt", "001-X.sql")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SchemaScript.versionOf(name));
      assertTrue(e.getMessage().contains(name), e.getMessage());
    }
  }

  @Test
  void everyFileInTheSchemaFolderIsBundledInVersionOrder() throws IOException, URISyntaxException {
    URL folder =
        Objects.requireNonNull(
            getClass().getClassLoader().getResource(SchemaScript.FOLDER), "schema folder");
    List<String> files;
    try (Stream<Path> paths = Files.list(Path.of(folder.toURI()))) {
      files = paths.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }

    assertEquals(files, NodeSchema.SCRIPT_NAMES);
    for (int i = 0; i < files.size(); i++) {
      assertEquals(i + 1, SchemaScript.versionOf(files.get(i)), files.get(i));
    }
  }

  @Test
  void bundledSchemaLoadsAndRecordsItsOwnVersion() {
    NodeSchema schema = NodeSchema.bundled();
    SchemaScript first = SchemaScript.load(getClass().getClassLoader(), "001-zynamo-schema.sql");

    assertEquals(NodeSchema.SCRIPT_NAMES.size(), schema.latestVersion());
    assertTrue(first.sql().contains("CREATE SCHEMA IF NOT EXISTS zynamo"));
    assertTrue(
        first.sql().contains("VALUES (1, '001-zynamo-schema.sql')"),
        "the file must record its version in zynamo.schema_version");
  }

  @Test
  void missingFileIsABrokenJar() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> SchemaScript.load(getClass().getClassLoader(), "999-missing.sql"));
    assertTrue(e.getMessage().contains("999-missing.sql"), e.getMessage());
  }
}
