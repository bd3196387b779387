/**
 * Vector clocks (Dynamo section 4.4): which of two versions of the ring state descends from the
 * other, and which were made concurrently.
 *
 * <p>Pure values only: no I/O, threads or clock reads; every timestamp is supplied by the caller.
 */
@NullMarked
package io.zynamo.ring.clock;

import org.jspecify.annotations.NullMarked;
