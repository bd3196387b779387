package io.zynamo.proxy.session;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.nio.AbstractNioChannel;
import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.proxy.wire.BackendMessage;
import java.sql.SQLException;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes one session's messages, in order, from the connection's own event loop ({@link
 * ConnectionLoops}), where the session runs. Messages are buffered until {@link #flush()} (Sync,
 * Flush, the end of a simple query). Rows are written with backpressure: when the channel's buffer
 * is above its high-water mark, the session waits until the socket has taken it below the low-water
 * mark, so a large result never piles up in memory.
 */
final class Replies {

  private final Channel channel;

  Replies(Channel channel) {
    this.channel = requireNonNull(channel, "channel");
  }

  void send(BackendMessage message) {
    var unused = channel.write(message, channel.voidPromise());
  }

  /** Sends a row, waiting while the client reads too slowly. */
  void sendRow(BackendMessage row) throws SQLException {
    send(row);
    if (!channel.isWritable()) {
      if (channel.eventLoop().inEventLoop()) {
        drain();
      } else {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).awaitUninterruptibly();
      }
    }
    if (!channel.isActive()) {
      throw ZynamoErrors.create(
          ZynamoSqlState.CONNECTION_FAILURE, "the client closed the connection");
    }
  }

  /**
   * Waits, on the connection's loop, until the socket has taken the buffer below its low-water
   * mark. The loop cannot wait for the socket the usual way (it is this thread, busy with the
   * session), so it writes what the socket takes, pausing between tries (50 µs, doubling up to 1
   * ms). A write the loop had left pending is forced: a plain flush would wait for the loop to see
   * the socket writable.
   */
  private void drain() {
    channel.flush();
    long pause = 50_000;
    while (!channel.isWritable() && channel.isActive()) {
      LockSupport.parkNanos(pause);
      pause = Math.min(pause * 2, 1_000_000);
      if (channel.unsafe() instanceof AbstractNioChannel.NioUnsafe nio) {
        nio.forceFlush();
      } else {
        channel.flush();
      }
    }
  }

  void flush() {
    channel.flush();
  }

  /** Flushes, then closes the connection. */
  void close() {
    var unused =
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }
}
