package io.zynamo.driver.execution;

import io.zynamo.ring.BucketId;
import io.zynamo.ring.NodeId;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The stand-ins of one bucket's write (Dynamo's sloppy quorum, section 4.6): the ring's nodes
 * outside the bucket's preference list, which may keep a write's row images as hints for replicas
 * that cannot take them, each such node counting as one acknowledgement. They come in an order of
 * their own per bucket (rendezvous hashing of bucket and node, the same in every driver instance:
 * one bucket's hints gather on few nodes, different buckets' spread over all), without the nodes
 * this instance believes down.
 *
 * @param nodes the stand-ins, in the order to try them
 */
public record StandIns(List<NodeId> nodes) {

  public StandIns {
    nodes = List.copyOf(nodes);
  }

  /** The stand-ins of {@code bucket} among {@code members}, leaving out those believed down. */
  static StandIns of(
      List<NodeId> members, BucketId bucket, Collection<NodeId> replicas, NodeHealth health) {
    return new StandIns(
        order(members, bucket, replicas).stream()
            .filter(n -> health.state(n) != NodeHealth.State.DOWN)
            .toList());
  }

  /** Every member outside {@code replicas}, in the bucket's stand-in order. */
  static List<NodeId> order(List<NodeId> members, BucketId bucket, Collection<NodeId> replicas) {
    return members.stream()
        .filter(n -> !replicas.contains(n))
        .sorted(
            Comparator.comparingLong((NodeId n) -> weight(bucket, n))
                .reversed()
                .thenComparing(NodeId::value))
        .toList();
  }

  /** The rendezvous weight of a node for a bucket: SplitMix64's finalizer over both. */
  private static long weight(BucketId bucket, NodeId node) {
    long z = bucket.value() * 0x9E3779B97F4A7C15L ^ node.value().hashCode();
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  public boolean isEmpty() {
    return nodes.isEmpty();
  }
}
