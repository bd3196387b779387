package io.zynamo.driver.execution;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.UUID;

/**
 * What one replica holds for the rows a read touches: each row's version, and for rows it lacks,
 * the version of its deletion (tombstone), if any.
 *
 * @param rows row id -> {@code zynamo_version}
 * @param tombstones row id -> version of the deletion, for deleted rows
 */
public record Digest(Map<UUID, Long> rows, Map<UUID, Long> tombstones) {
  public Digest {
    rows = Map.copyOf(requireNonNull(rows, "rows"));
    tombstones = Map.copyOf(requireNonNull(tombstones, "tombstones"));
  }

  /** The newest thing this replica knows about a row: + version if present, - if deleted. */
  long stateOf(UUID row) {
    Long present = rows.get(row);
    Long deleted = tombstones.get(row);
    if (present == null) {
      return deleted == null ? 0 : -deleted;
    }
    return deleted != null && deleted >= present ? -deleted : present;
  }
}
