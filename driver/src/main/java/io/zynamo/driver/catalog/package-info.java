/**
 * What Zynamo keeps on each node, seen from Java: the versioned node schema of ADR 0001 ({@link
 * io.zynamo.driver.catalog.NodeSchema}) and the row images that replicate writes ({@link
 * io.zynamo.driver.catalog.ChangeRecord}).
 *
 * <p>Plain {@code java.sql} only: callers hand in connections to nodes, from a pool or not.
 */
@NullMarked
package io.zynamo.driver.catalog;

import org.jspecify.annotations.NullMarked;
