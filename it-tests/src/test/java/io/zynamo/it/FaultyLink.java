package io.zynamo.it;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * A TCP proxy on the loopback interface in front of one node, whose faults a test switches at
 * runtime: the network between the driver and that node.
 *
 * <pre>
 *   driver --- 127.0.0.1:{@link #port()} --- FaultyLink --- 127.0.0.1:node port --- PostgreSQL
 *              one pair of pump threads per connection, one per direction
 * </pre>
 *
 * <ul>
 *   <li>{@link Mode#PASS}: bytes flow as read.
 *   <li>{@link Mode#DELAY}: each chunk waits {@link #delay} before it is forwarded (latency).
 *   <li>{@link Mode#DROP}: every open connection is reset (RST, as a crashed host's kernel or a
 *       firewall answers) and each new one is reset as soon as accepted.
 *   <li>{@link Mode#HALF_OPEN}: connections stay open and new ones are accepted, but nothing is
 *       forwarded either way and nothing is ever closed: the hung peer. A chunk already read waits
 *       in the link and goes on once the mode changes, as TCP retransmits after a partition heals.
 * </ul>
 */
final class FaultyLink implements AutoCloseable {

  /** What the link does to the bytes. */
  enum Mode {
    PASS,
    DELAY,
    DROP,
    HALF_OPEN
  }

  private static final int CHUNK = 8192;
  private static final long WAIT_MILLIS = 5;

  private final IntSupplier target;
  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong resets = new AtomicLong();
  private volatile Mode mode = Mode.PASS;
  private volatile Duration delay = Duration.ofMillis(20);
  private volatile boolean closed;

  /** Listens on a free loopback port and forwards to {@code 127.0.0.1:target}. */
  FaultyLink(IntSupplier target) throws IOException {
    this.target = requireNonNull(target, "target");
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "faulty-link-" + listener.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** The address a driver URL names the node by. */
  String address() {
    return "127.0.0.1:" + port();
  }

  Mode mode() {
    return mode;
  }

  /** Switches the mode; {@link Mode#DROP} resets every open connection at once. */
  void mode(Mode next) {
    mode = requireNonNull(next, "next");
    if (next == Mode.DROP) {
      open.forEach(this::reset);
    }
  }

  /** The latency each chunk gets in {@link Mode#DELAY}. */
  void delay(Duration value) {
    delay = requireNonNull(value, "value");
  }

  /** Connections accepted so far, and connections reset by {@link Mode#DROP}. */
  String counts() {
    return "accepted " + accepted.get() + ", reset " + resets.get();
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      if (mode == Mode.DROP) {
        reset(client);
        continue;
      }
      try {
        Socket server = new Socket();
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target.getAsInt()));
        open.add(client);
        open.add(server);
        pump(client, server, "up");
        pump(server, client, "down");
      } catch (IOException e) {
        reset(client); // the node refuses: so does the link
      }
    }
  }

  private void pump(Socket from, Socket to, String direction) {
    Thread t =
        new Thread(() -> forward(from, to), "faulty-link-" + port() + "-" + direction + "-" + from);
    t.setDaemon(true);
    t.start();
  }

  /** Copies one direction until either side closes; the other direction then ends too. */
  private void forward(Socket from, Socket to) {
    byte[] buffer = new byte[CHUNK];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      while (true) {
        awaitForwarding();
        int n = in.read(buffer);
        if (n < 0) {
          break;
        }
        awaitForwarding(); // a chunk read before the link hung waits for it to heal
        if (mode == Mode.DELAY) {
          Thread.sleep(delay.toMillis());
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // Reset, or the other side closed: close both below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    close(from);
    close(to);
  }

  /** Waits while the link is half-open: reads nothing, writes nothing, closes nothing. */
  private void awaitForwarding() throws InterruptedException {
    while (mode == Mode.HALF_OPEN && !closed) {
      Thread.sleep(WAIT_MILLIS);
    }
  }

  /** Closes with SO_LINGER 0: the peer gets a RST, not a FIN. */
  private void reset(Socket socket) {
    resets.incrementAndGet();
    try {
      socket.setSoLinger(true, 0);
    } catch (SocketException e) {
      // Already closed.
    }
    close(socket);
  }

  private void close(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    open.forEach(this::close);
  }
}
