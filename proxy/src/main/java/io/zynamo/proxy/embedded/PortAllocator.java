package io.zynamo.proxy.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.IntSupplier;

/**
 * Picks TCP ports on 127.0.0.1 for the nodes of one cluster, never the same port twice.
 *
 * <p>A port found free here can still be taken before PostgreSQL binds it; {@link PostgresNode}
 * then asks for another one and retries.
 */
final class PortAllocator {

  private final IntPredicate isFree;
  private final IntSupplier anyFreePort;
  private final Set<Integer> handedOut = new HashSet<>();

  PortAllocator(IntPredicate isFree, IntSupplier anyFreePort) {
    this.isFree = isFree;
    this.anyFreePort = anyFreePort;
  }

  /** An allocator that probes the loopback interface with real sockets. */
  static PortAllocator loopback() {
    return new PortAllocator(PortAllocator::canBind, () -> bind(0));
  }

  /** {@code wanted} if it is free and not yet handed out, otherwise {@link #anyFree()}. */
  synchronized int preferred(int wanted) {
    if (wanted > 0 && !handedOut.contains(wanted) && isFree.test(wanted)) {
      handedOut.add(wanted);
      return wanted;
    }
    return anyFree();
  }

  /** A free port chosen by the operating system, not yet handed out by this allocator. */
  synchronized int anyFree() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = anyFreePort.getAsInt();
      if (handedOut.add(port)) {
        return port;
      }
    }
    throw new PostgresLaunchException("no free TCP port on 127.0.0.1 after 100 attempts");
  }

  private static boolean canBind(int port) {
    try {
      bind(port);
      return true;
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  private static int bind(int port) {
    // SO_REUSEADDR as PostgreSQL sets it, so a port in TIME_WAIT counts as free for both.
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(loopbackAddress(), port), 1);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind 127.0.0.1:" + port, e);
    }
  }

  static InetAddress loopbackAddress() {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    } catch (IOException e) {
      throw new UncheckedIOException("127.0.0.1 is a valid literal address", e);
    }
  }
}
