package io.zynamo.proxy.session;

import static java.util.Objects.requireNonNull;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.zynamo.driver.error.ZynamoErrors;
import io.zynamo.driver.error.ZynamoSqlState;
import io.zynamo.proxy.wire.BackendMessage;
import java.sql.SQLException;

/**
 * Writes one session's messages from its worker thread, in order. Messages are buffered until
 * {@link #flush()} (Sync, Flush, the end of a simple query). Rows are written with backpressure:
 * when the channel's buffer is above its high-water mark, the worker waits until the row is on the
 * socket, so a large result never piles up in memory.
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
    if (channel.isWritable()) {
      send(row);
    } else {
      channel.writeAndFlush(row).awaitUninterruptibly();
    }
    if (!channel.isActive()) {
      throw ZynamoErrors.create(
          ZynamoSqlState.CONNECTION_FAILURE, "the client closed the connection");
    }
  }

  void flush() {
    channel.flush();
  }

  /** Flushes, then closes the connection. */
  void close() {
    var unused =
        channel
            .writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
            .addListener(ChannelFutureListener.CLOSE);
  }
}
